"""ReportDatabase on hand-made items: stable IDs, versions, which document the facts come from, status, region and
level, headline numbers, generated labels, the printed applications table, carryover continuity, metadata coverage."""

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from crawler.database import ReportDatabase, update_carryover_checks
from crawler.extract.vocabulary import (
    APPLICANTS,
    APPLICATION_ROWS,
    CLAUSES,
    OUTCOMES,
    PROCEEDINGS,
    VOCABULARY,
    printed_label,
)
from crawler.items import AttachmentLink, Capture, Document, Failure, ReportItem
from crawler.publish import METADATA_PATH
from crawler.reports import facts_source, report_status, stable_id
from crawler.schema import APPLICATIONS_PRINTED, OutdatedDatabase

ROOT = Path(__file__).resolve().parents[1]
PAGE_URL = "http://kjj.example.gov.cn/art/2021/1/20/art_1_2.html"


def capture(body: bytes) -> Capture:
    return Capture(url="u", request_url="u", status=200, headers={}, body=body, fetched_at="2026-01-01T00:00:00+00:00")


def extraction(kind: str, new_received: int = 3, checks_pass: bool = True, year: int = 2020) -> dict:
    return {
        "source": {"kind": kind},
        "year": year,
        "template": "2019",
        "sections": [{"number": 1, "heading": "一、总体情况", "text": "……"}],
        "active_disclosure": [{"clause": "20.1", "item": "rules", "metric": "new_made", "value": 0, "raw": "0"}],
        "applications": [
            {"row": "new_received", "applicant": "natural_person", "value": new_received, "raw": str(new_received)}
        ],
        "review_litigation": [{"proceeding": "review", "outcome": "total", "value": 0, "raw": "0"}],
        "checks": [{"name": "applications_balance", "passed": checks_pass, "detail": ""}],
        "warnings": [],
    }


def document(name: str, body: bytes, kind: str | None = None, **extraction_args) -> Document:
    return Document(
        link=AttachmentLink(url=f"http://kjj.example.gov.cn/{name}", text=name),
        capture=capture(body),
        filename=name,
        sha256=name.encode().hex().ljust(64, "0")[:64],
        kind=kind,
        extraction=extraction(kind, **extraction_args) if kind else None,
    )


def report(documents) -> ReportItem:
    return ReportItem(
        spider="example", agency="某某局", title="某某局2020年政府信息公开工作年度报告", year=2020, page_url=PAGE_URL,
        published="2021-01-20", page=capture(b"<html>page</html>"), documents=documents,
    )


@pytest.fixture
def db(tmp_path):
    database = ReportDatabase(tmp_path / "reports.db")
    yield database
    database.close()


def test_facts_come_from_the_document_with_most_facts_then_passing_checks_then_format():
    docx, pdf = document("a.docx", b"1", "docx"), document("a.pdf", b"2", "pdf")
    assert facts_source([pdf, docx]) is docx
    failing_docx = document("b.docx", b"3", "docx", checks_pass=False)
    assert facts_source([failing_docx, pdf]) is pdf
    assert facts_source([document("c.pdf", b"4")]) is None


def test_status_names_what_went_wrong():
    assert report_status(None) == "unreadable"
    assert report_status(document("b.docx", b"3", "docx", checks_pass=False)) == "check_failed"
    assert report_status(document("a.docx", b"1", "docx")) == "ok"
    no_tables = document("c.docx", b"4", "docx")
    for table in ("active_disclosure", "applications", "review_litigation"):
        no_tables.extraction[table] = []
    assert report_status(no_tables) == "no_tables"


def test_the_page_is_the_reports_first_document():
    item = report([document("a.docx", b"1", "docx")])
    assert [d.role for d in item.documents] == ["page", "attachment"]
    assert item.page_document.capture is item.page and item.page_document.link.url == PAGE_URL


def test_saved_report_has_documents_facts_with_labels_and_failures(db):
    failed = Document(link=AttachmentLink("http://kjj.example.gov.cn/missing.pdf", "缺失.pdf"),
                      failure=Failure("http_404", "HTTP 404"))
    report_id = db.save_report(report([document("a.docx", b"1", "docx"), failed]))
    assert report_id == stable_id("example", PAGE_URL)
    row = db.db["reports"].get(report_id)
    assert (row["year"], row["template"], row["status"], row["version"]) == (2020, "2019", "ok", 1)
    documents = {d["url"].rsplit("/", 1)[1]: d for d in db.db["documents"].rows_where("role = 'attachment'")}
    assert documents["missing.pdf"]["failure_kind"] == "http_404" and documents["missing.pdf"]["sha256"] is None
    assert documents["a.docx"]["archive_path"].startswith("objects/")
    (fact,) = db.db["applications"].rows
    assert fact["value"] == 3 and fact["label"] == "一、本年新收政府信息公开申请数量 | 自然人"
    (disclosure,) = db.db["active_disclosure"].rows
    assert disclosure["label"] == "第二十条第（一）项 规章 本年新制作数量"


def test_same_content_keeps_version_changed_content_is_a_new_version(db):
    report_id = db.save_report(report([document("a.docx", b"1", "docx")]))
    first_seen = db.db["reports"].get(report_id)["first_seen"]
    db.save_report(report([document("a.docx", b"1", "docx")]))
    assert db.db["reports"].get(report_id)["version"] == 1
    db.save_report(report([document("a2.docx", b"changed", "docx", new_received=5)]))
    row = db.db["reports"].get(report_id)
    assert row["version"] == 2 and row["first_seen"] == first_seen
    assert [v["version"] for v in db.db["report_versions"].rows_where("report_id = ?", [report_id])] == [1, 2]
    # Facts follow the newest version, without leftovers from the old one.
    assert [f["value"] for f in db.db["applications"].rows] == [5]


def test_schema_has_foreign_keys_and_facet_indexes(tmp_path):
    ReportDatabase(tmp_path / "r.db").close()
    db = sqlite_utils.Database(tmp_path / "r.db")
    for table in ("applications", "active_disclosure", "review_litigation", "sections", "checks", "documents"):
        assert {fk.other_table for fk in db[table].foreign_keys} == {"reports"}, table
    assert {fk.other_table for fk in db["reports"].foreign_keys} == {"agencies"}
    leading = {index.columns[0] for index in db["reports"].indexes}
    assert {"year", "agency", "region", "level", "template", "status", "check_status", "version"} <= leading
    assert {"passed", "name"} <= {index.columns[0] for index in db["checks"].indexes}


def test_region_level_and_site_reach_agencies_and_reports(db):
    item = report([document("a.docx", b"1", "docx")])
    item.region, item.level = "山东省淄博市", "市级"
    report_id = db.save_report(item)
    assert db.db["agencies"].get("山东省淄博市/某某局") == {
        "id": "山东省淄博市/某某局", "name": "某某局", "unit_code": "", "region": "山东省淄博市", "level": "市级",
        "site": "http://kjj.example.gov.cn", "spider": "example"}
    row = db.db["reports"].get(report_id)
    assert (row["region"], row["level"], row["agency_id"]) == ("山东省淄博市", "市级", "山东省淄博市/某某局")


def test_an_agency_is_its_unit_code_where_the_platform_gives_one_else_its_normalised_name_in_its_region(db):
    spellings = ["某某县财政局", "某某县 财政局", "某某县财政局。"]
    for number, name in enumerate(spellings):
        item = report([document(f"{number}.docx", bytes([number]), "docx")])
        item.agency, item.region, item.page_url = name, "山东省某某县", f"http://kjj.example.gov.cn/{number}.html"
        db.save_report(item)
    other_county = report([document("x.docx", b"x", "docx")])
    other_county.agency, other_county.region = "某某县财政局", "河南省某某县"
    other_county.page_url = "http://czj.example.gov.cn/x.html"
    db.save_report(other_county)
    party = report([document("p.docx", b"p", "docx")])
    party.agency, party.region, party.page_url = "中共某某县委宣传部", "山东省某某县", "http://kjj.example.gov.cn/p.html"
    db.save_report(party)
    renamed = [report([document(f"u{year}.docx", bytes([year - 2000]), "docx")]) for year in (2021, 2022)]
    for item, name in zip(renamed, ["某某县科学技术局", "某某县科学技术和工业信息化局"]):
        item.agency, item.region, item.unit_code = name, "山东省某某县", "11370303004305217R"
        item.page_url = f"http://kjj.example.gov.cn/{name}.html"
        db.save_report(item)
    agencies = {row["id"]: row["name"] for row in db.db["agencies"].rows}
    assert agencies == {"山东省某某县/某某县财政局": "某某县财政局", "河南省某某县/某某县财政局": "某某县财政局",
                        "山东省某某县/中共某某县委宣传部": "中共某某县委宣传部",
                        "11370303004305217R": "某某县科学技术和工业信息化局"}
    per_agency = dict(db.db.execute("select agency_id, count(*) from reports group by agency_id").fetchall())
    assert per_agency == {"山东省某某县/某某县财政局": 3, "河南省某某县/某某县财政局": 1,
                          "山东省某某县/中共某某县委宣传部": 1, "11370303004305217R": 2}


def test_first_and_last_seen_are_the_sighting_times(db):
    item = report([document("a.docx", b"1", "docx")])
    report_id = db.save_report(item)
    assert db.db["reports"].get(report_id)["first_seen"] == item.page.fetched_at
    db.save_report(report([document("a.docx", b"1", "docx")]), seen_at="2026-02-01T00:00:00+00:00")
    row = db.db["reports"].get(report_id)
    assert (row["first_seen"], row["last_seen"]) == (item.page.fetched_at, "2026-02-01T00:00:00+00:00")


def applications_table(columns: dict[str, dict[str, int]]) -> list[dict]:
    """Application facts from {applicant: {row: value}}."""
    return [{"row": row, "applicant": applicant, "value": value, "raw": str(value)}
            for applicant, cells in columns.items() for row, value in cells.items()]


def test_headline_numbers_add_up_the_total_column(db):
    source = document("a.docx", b"1", "docx")
    source.extraction["applications"] = applications_table({
        "total": {"new_received": 10, "total": 9, "granted": 4, "denied.state_secret": 1, "denied.third_party": 2,
                  "unavailable.not_held": 2, "other.no_fee": 1},
        "natural_person": {"new_received": 8},
    })
    source.extraction["review_litigation"] = [
        {"proceeding": p, "outcome": "total", "value": v, "raw": str(v)}
        for p, v in [("review", 2), ("litigation_direct", 1), ("litigation_after_review", 1)]
    ]
    row = db.db["reports"].get(db.save_report(report([source])))
    assert (row["requests_received"], row["requests_handled"], row["granted"], row["denied"], row["unavailable"],
            row["other_outcomes"], row["reviews"], row["lawsuits"]) == (10, 9, 4, 3, 2, 1, 2, 2)
    assert row["partially_granted"] is None  # not printed is not zero


def label_for(table: str, fact: dict) -> str:
    """The Chinese label of one fact, e.g. '第二十条第（一）项 规章 本年制发件数', read from the vocabulary here, apart
    from the SQL that the database generates its labels with."""
    if table == "active_disclosure":
        clause = CLAUSES[fact["clause"]]
        metric = next(
            (names[fact["metric"]] for names in clause["metrics"].values() if fact["metric"] in names), fact["metric"]
        )
        return f"{clause['label']} {clause['items'].get(fact['item'], fact['item'])} {metric}"
    section = VOCABULARY[table]
    if table == "applications":
        row, applicant = section["rows"].get(fact["row"], fact["row"]), section["applicants"].get(fact["applicant"])
        return f"{row} | {applicant or fact['applicant']}"
    proceeding = section["proceedings"].get(fact["proceeding"], fact["proceeding"])
    return f"{proceeding} {section['outcomes'].get(fact['outcome'], fact['outcome'])}"


def test_fact_labels_are_generated_from_the_keys_for_every_vocabulary_key(db):
    facts = {
        "active_disclosure": [{"clause": c, "item": i, "metric": m} for c, spec in CLAUSES.items()
                              for i in spec["items"] for names in spec["metrics"].values() for m in names],
        "applications": [{"row": r, "applicant": a} for r, a in itertools.product(APPLICATION_ROWS, APPLICANTS)],
        "review_litigation": [{"proceeding": p, "outcome": o} for p, o in itertools.product(PROCEEDINGS, OUTCOMES)],
    }
    source = document("a.docx", b"1", "docx")
    for table, keyed in facts.items():
        source.extraction[table] = [{**fact, "value": 1, "raw": "1"} for fact in
                                    {json.dumps(f, sort_keys=True): f for f in keyed}.values()]
    db.save_report(report([source]))
    for table in facts:
        for fact in db.db[table].rows:
            assert fact["label"] == printed_label(label_for(table, fact)), fact
    assert "(" not in "".join(row["label"] for row in db.db.query("select label from active_disclosure"))


def test_applications_printed_has_the_printed_rows_and_seven_columns(db):
    source = document("a.docx", b"1", "docx")
    source.extraction["applications"] = applications_table({
        "natural_person": {"new_received": 3, "carried_over": 1, "granted": 2, "total": 4, "carried_forward": 0},
        "total": {"new_received": 3, "carried_over": 1, "granted": 2, "total": 4, "carried_forward": 0},
    })
    report_id = db.save_report(report([source]))
    rows = list(db.db.query("select * from applications_printed where report_id = ? order by position", [report_id]))
    assert [r["label"] for r in rows] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
                                          "三、本年度办理结果 （一）予以公开", "（七）总计", "四、结转下年度继续办理"]
    assert list(rows[0])[-7:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert (rows[0]["自然人"], rows[0]["商业企业"], rows[0]["总计"]) == (3, None, 3)


def test_applications_printed_follows_the_report_s_current_facts_in_printed_order(db):
    source = document("a.docx", b"1", "docx")
    source.extraction["applications"] = applications_table({"total": {"carried_forward": 1, "new_received": 5}})
    report_id = db.save_report(report([source]))
    assert db.db[APPLICATIONS_PRINTED].pks == ["report_id", "position"]  # Datasette lists rows by their key
    source.extraction["applications"] = applications_table({"total": {"new_received": 6}})
    db.save_report(report([source]))
    rows = list(db.db.query(f"select row, 总计 from {APPLICATIONS_PRINTED} where report_id = ?", [report_id]))
    assert rows == [{"row": "new_received", "总计": 6}]


def test_a_database_written_by_this_version_reopens_with_its_rows(tmp_path):
    source = document("a.docx", b"1", "docx")
    source.extraction["applications"] = applications_table({"total": {"new_received": 5, "carried_forward": 1}})
    database = ReportDatabase(tmp_path / "reports.db")
    report_id = database.save_report(report([source]))
    printed = list(database.db.query(f"select * from {APPLICATIONS_PRINTED} order by position"))
    database.close()
    reopened = ReportDatabase(tmp_path / "reports.db")
    assert list(reopened.db.query(f"select * from {APPLICATIONS_PRINTED} order by position")) == printed
    assert len(printed) == 2 and reopened.db["reports"].get(report_id)["requests_received"] == 5
    reopened.close()


def earlier_database(path) -> None:
    """A database of an earlier schema: applications_printed was a view then."""
    database = ReportDatabase(path)
    database.db[APPLICATIONS_PRINTED].drop()
    database.db.create_view(APPLICATIONS_PRINTED, "select * from applications")
    database.close()


def test_a_database_of_another_schema_is_not_migrated_but_refused_with_how_to_rebuild_it(tmp_path):
    earlier_database(tmp_path / "reports.db")
    with pytest.raises(OutdatedDatabase) as refused:
        ReportDatabase(tmp_path / "reports.db")
    assert str(refused.value) == (
        f"{tmp_path / 'reports.db'} has another schema than this version writes (table applications_printed: "
        "missing); rebuild it from the archive: python -m crawler rebuild"
    )
    assert APPLICATIONS_PRINTED in sqlite_utils.Database(tmp_path / "reports.db").view_names()  # left as it was


def test_a_crawl_into_a_database_of_another_schema_stops_before_crawling_with_one_line(tmp_path):
    earlier_database(tmp_path / "reports.db")
    crawl = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "zibo_kjj", "--db", str(tmp_path / "reports.db"), "--archive",
         str(tmp_path / "archive"), "--proxy", "http://127.0.0.1:9"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert crawl.returncode == 1 and crawl.stdout == "" and "Traceback" not in crawl.stderr
    assert crawl.stderr.splitlines()[-1] == (f"error: {tmp_path / 'reports.db'} has another schema than this version "
                                             "writes (table applications_printed: missing); rebuild it from the "
                                             "archive: python -m crawler rebuild")
    # Nothing crawled, nothing written but the run lock, taken before anything else.
    assert {path.name for path in (tmp_path / "archive").iterdir()} <= {"crawl.lock"}


def yearly_report(year: int, carried_over: int, carried_forward: int, agency: str = "某某局") -> ReportItem:
    """A report of `agency` for `year` whose applications table prints these carry-over totals (one column)."""
    source = document(f"{agency}-{year}.docx", f"{agency}{year}".encode(), "docx", year=year)
    cells = {"carried_over": carried_over, "carried_forward": carried_forward}
    source.extraction["applications"] = applications_table({"natural_person": cells, "total": cells})
    item = report([source])
    item.agency, item.year, item.page_url = agency, year, f"http://kjj.example.gov.cn/{agency}/{year}.html"
    return item


def carryover_checks(db) -> dict[int, dict]:
    return {row["year"]: row for row in db.db.query(
        "select r.year, c.passed, c.detail, r.check_status from checks c join reports r on r.id = c.report_id "
        "where c.name = 'carryover_continuity'"
    )}


def test_carryover_continuity_across_consecutive_years_of_one_agency(db):
    for year, carried_over, carried_forward in [(2019, 0, 2), (2020, 2, 5), (2021, 3, 1), (2023, 9, 0)]:
        db.save_report(yearly_report(year, carried_over, carried_forward))
    db.save_report(yearly_report(2020, 7, 7, agency="另一局"))  # another agency's numbers are not compared
    checks = carryover_checks(db)
    assert sorted(checks) == [2020, 2021]  # 2019 has no previous report, 2022 is missing so 2023 has none
    assert checks[2020]["passed"] and checks[2020]["detail"] == (
        "carried_over == carried_forward of the 2019 report in all 2 columns")
    assert not checks[2021]["passed"]
    assert checks[2021]["detail"] == ("natural_person: carried_over 3 != carried_forward 5 of the 2020 report; "
                                      "total: carried_over 3 != carried_forward 5 of the 2020 report")
    assert (checks[2020]["check_status"], checks[2021]["check_status"]) == ("passed", "failed")
    # A finding, not a repair: the printed numbers stay as printed.
    assert {r["value"] for r in db.db.query(
        "select a.value from applications a join reports r on r.id = a.report_id "
        "where r.year = 2021 and r.agency = '某某局' and a.row = 'carried_over'")} == {3}


def test_carryover_follows_a_report_saved_out_of_order_and_a_corrected_report(db):
    db.save_report(yearly_report(2021, 3, 0))
    assert carryover_checks(db) == {}
    db.save_report(yearly_report(2020, 0, 5))  # the earlier year arrives later
    assert not carryover_checks(db)[2021]["passed"]
    corrected = yearly_report(2020, 0, 3)
    corrected.documents[1].sha256 = "f" * 64  # new bytes: a new version of the 2020 report
    db.save_report(corrected)
    assert carryover_checks(db)[2021]["passed"]
    everything = dict(carryover_checks(db))
    with db.db.conn:
        update_carryover_checks(db.db)  # all agencies at once gives the same checks
    assert carryover_checks(db) == everything


def test_metadata_describes_every_table_view_and_column_in_chinese(db):
    db.save_report(report([document("a.docx", b"1", "docx")]))
    tables = json.loads(METADATA_PATH.read_text(encoding="utf-8"))["databases"]["reports"]["tables"]
    hidden = set(db.db.conn.execute(
        "select name from sqlite_master where name like 'sections_fts%' or name like 'reports_fts%'").fetchall())
    published = [name for name in db.db.table_names() + db.db.view_names() if (name,) not in hidden]
    for name in published:
        assert tables[name]["title"] and tables[name]["description"], name
        columns = [row[1] for row in db.db.conn.execute(f"pragma table_xinfo([{name}])")]
        assert set(columns) <= set(tables[name].get("columns", {})), (name, set(columns) - set(tables[name]["columns"]))
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in tables[name]["columns"].values()), name
