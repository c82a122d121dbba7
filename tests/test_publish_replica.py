"""The published database built by crawling the whole replica web (tests/conftest.py): its schema, every canned
query, every export, and the links from each report back to its archived original."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import html as html_text
import io
import json
import re
import sqlite3
from urllib.parse import urlencode

import pytest

from crawler.publish import METADATA_PATH, datasette_app

pytestmark = pytest.mark.e2e
METADATA = json.loads(METADATA_PATH.read_text(encoding="utf-8"))["databases"]["reports"]


@pytest.fixture(scope="module")
def datasette(crawled_replica):
    return datasette_app(crawled_replica.archive / "reports.db", crawled_replica.archive)


def get(datasette, path: str):
    return asyncio.run(datasette.client.get(path))


def test_every_table_and_column_is_described_in_chinese(replica_db):
    published = [t for t in replica_db.table_names() if not t.startswith(("sections_fts", "reports_fts"))]
    for name in published + replica_db.view_names():
        described = METADATA["tables"][name]
        columns = {row[1] for row in replica_db.conn.execute(f"pragma table_xinfo([{name}])")}
        assert described["title"] and columns <= set(described.get("columns", {})), (name, columns)


def test_stable_ids_derive_from_what_identifies_each_row(replica_db):
    from crawler.reports import stable_id

    for report in replica_db["reports"].rows:
        assert report["id"] == stable_id(report["spider"], report["page_url"])
    for document in replica_db["documents"].rows:
        assert document["id"] == stable_id(document["report_id"], document["url"])


def test_checks_include_carryover_continuity_between_consecutive_years(replica_db):
    # A site may list many bodies (a gkmlpt directory): continuity runs within one body's reports.
    checks = list(replica_db.query(
        "select r.spider, r.agency_id, r.year, c.passed, c.detail from checks c "
        "join reports r on r.id = c.report_id where c.name = 'carryover_continuity'"
    ))
    by_report = {(c["spider"], c["agency_id"], c["year"]): c for c in checks}
    years_with_facts = {(r["spider"], r["agency_id"], r["year"]) for r in replica_db.query(
        "select distinct r.spider, r.agency_id, r.year from reports r join applications a on a.report_id = r.id "
        "where a.row = 'carried_over'")}
    assert set(by_report) == {(s, a, y) for s, a, y in years_with_facts if (s, a, y - 1) in years_with_facts}
    # The replica's numbers carry over from year to year except for its one deliberate break.
    broken = {(s, y): check for (s, _a, y), check in by_report.items() if not check["passed"]}
    assert set(broken) == {("zibo_gxq", 2021)}
    assert "total: carried_over" in broken["zibo_gxq", 2021]["detail"]
    assert len(by_report) >= 15  # four or five consecutive years with tables on each of the five sites
    failing = {(r["spider"], r["year"]) for r in replica_db.query(
        "select r.spider, r.year from reports r where r.check_status = 'failed'")}
    assert failing >= set(broken)


def test_every_canned_query_answers_in_json_and_csv(datasette):
    for name, query in METADATA["queries"].items():
        parameters = "&".join(f"{p}=" for p in query.get("params", []))
        as_json = get(datasette, f"/reports/{name}.json?_shape=objects&{parameters}")
        assert as_json.status_code == 200, (name, as_json.text[:500])
        as_csv = get(datasette, f"/reports/{name}.csv?{parameters}")
        assert as_csv.status_code == 200 and as_csv.text.splitlines()[0], name


def test_canned_queries_on_the_replica(datasette, replica_db):
    def rows(path: str) -> list[dict]:
        return get(datasette, path).json()["rows"]

    agencies = rows("/reports/top_agencies.json?_shape=objects&year=")
    received = [a["新收申请"] for a in agencies]
    # The query lists the 100 agencies that received most (the portals make more than 100 agencies).
    assert received == sorted(received, reverse=True) and sum(received) == replica_db.execute(
        "select sum(received) from (select sum(requests_received) as received from reports"
        " where requests_received is not null group by agency_id order by received desc limit 100)").fetchone()[0]
    years = rows("/reports/rates_by_year.json?_shape=objects")
    assert [y["年度"] for y in years] == sorted(y["年度"] for y in years) and 2019 in [y["年度"] for y in years]
    failed = rows("/reports/checks_failed.json?_shape=objects")
    assert sorted((row["report_id"], row["核对项代码"]) for row in failed) == sorted(replica_db.execute(
        "select report_id, name from checks where not passed and name != 'carryover_continuity'").fetchall())
    breaks = rows("/reports/carryover_breaks.json?_shape=objects")
    assert len(breaks) == replica_db.execute(
        "select count(*) from checks where name = 'carryover_continuity' and not passed").fetchone()[0]
    assert rows("/reports/changed_reports.json?_shape=objects") == []  # the second crawl changed nothing
    hits = rows("/reports/search_characters.json?_shape=objects&q=诉")
    assert hits and all("诉" in hit["上下文"] or "诉" in hit["部分"] for hit in hits)


def test_every_table_exports_as_json_and_csv_and_the_database_downloads(datasette, crawled_replica):
    for name in list(METADATA["tables"]):
        as_json = get(datasette, f"/reports/{name}.json?_shape=array&_size=5")
        assert as_json.status_code == 200, name
        as_csv = get(datasette, f"/reports/{name}.csv?_size=5")
        assert as_csv.status_code == 200 and next(csv.reader(io.StringIO(as_csv.text))), name
    whole = get(datasette, "/reports.db")
    assert whole.status_code == 200
    downloaded = crawled_replica.archive.parent / "downloaded.db"
    downloaded.write_bytes(whole.content)
    assert sqlite3.connect(downloaded).execute("select count(*) from reports").fetchone()[0] > 0


def test_every_report_links_its_page_and_archived_originals(datasette, replica_db):
    for report in replica_db.query("select id, page_url, facts_document from reports"):
        html = get(datasette, f"/reports/reports/{report['id']}").text
        assert f'href="{html_text.escape(report["page_url"])}"' in html
        archived = "select archive_path from documents where report_id = ? and sha256 is not null"
        for document in replica_db.query(archived, [report["id"]]):
            assert f'href="/{document["archive_path"]}"' in html
    (sha256,) = replica_db.execute(
        "select facts_document from reports where facts_document is not null and spider = 'zibo_kjj'").fetchone()
    original = get(datasette, f"/objects/{sha256[:2]}/{sha256[2:4]}/{sha256}")
    assert original.status_code == 200 and hashlib.sha256(original.content).hexdigest() == sha256


def test_free_form_reports_before_2019_are_searchable_without_tables(datasette, replica_db):
    free_form = list(replica_db.query("select id, spider, year from reports where template is null"))
    assert {r["spider"] for r in free_form} == {"zibo_kjj", "zhangdian_kjj", "guyuan_kjj", "yanzhou_kjj", "zibo_gxq"}
    assert all(r["year"] < 2019 for r in free_form)
    for report in free_form:
        (fact_count,) = replica_db.execute(
            "select (select count(*) from applications where report_id = :id)"
            " + (select count(*) from active_disclosure where report_id = :id)"
            " + (select count(*) from review_litigation where report_id = :id)", {"id": report["id"]}).fetchone()
        assert fact_count == 0, report
        # A phrase of its own text finds it through the search index.
        (text,) = replica_db.execute(
            "select text from sections where report_id = ? order by length(text) desc limit 1", [report["id"]]
        ).fetchone()
        runs = re.findall(r"\S{8,}", text)
        phrase = runs[len(runs) // 2][:8]
        query = urlencode({"_shape": "objects", "_size": "max", "_search": phrase})
        hits = get(datasette, f"/reports/report_text.json?{query}").json()["rows"]
        assert report["id"] in {hit["report_id"] for hit in hits}, phrase


def test_rates_by_year_add_up_the_printed_total_column(datasette, replica_db):
    def printed_total(year: int, row: str) -> int:
        (value,) = replica_db.execute(
            "select sum(a.value) from applications a join reports r on r.id = a.report_id"
            " where r.year = ? and a.applicant = 'total' and (a.row = ? or a.row like ? || '.%')",
            [year, row, row]).fetchone()
        return value or 0

    years = get(datasette, "/reports/rates_by_year.json?_shape=objects").json()["rows"]
    assert len(years) >= 5
    for year in years:
        handled, denied, unavailable = (printed_total(year["年度"], row) for row in ("total", "denied", "unavailable"))
        assert (year["办理总数"], year["不予公开"], year["无法提供"]) == (handled, denied, unavailable)
        assert year["不予公开率（%）"] == (round(100 * denied / handled, 1) if handled else None)


FACETS = ["year", "region", "level", "template", "check_status"]


def facet_counts(response_json: dict) -> dict[str, dict]:
    return {name: {result["value"]: result["count"] for result in facet["results"]}
            for name, facet in response_json["facet_results"].items()}


def test_reports_and_search_hits_facet_by_year_region_level_template_and_check_status(datasette, replica_db):
    def counted(sql_from: str, params=()) -> dict[str, dict]:
        """Rows by value of each facet column, as Datasette counts them: nulls (a free-form report's template)
        left out."""
        return {facet: dict(replica_db.execute(
            f"select {facet}, count(*) from (select * from {sql_from}) where {facet} is not null group by {facet}",
            params).fetchall()) for facet in FACETS}

    reports = get(datasette, "/reports/reports.json?_size=0").json()
    assert facet_counts(reports) == counted("reports")
    # The replica holds three levels (a portal's or a gkmlpt directory's towns and streets are 乡镇级), both
    # templates, passed and failed checks.
    assert set(counted("reports")["level"]) == {"市级", "区县级", "乡镇级"}
    assert set(counted("reports")["template"]) == {"2019", "2021"}
    assert {"passed", "failed"} <= set(counted("reports")["check_status"])
    query = urlencode({"_search": "行政复议", "_size": 0})
    hits = get(datasette, f"/reports/report_text.json?{query}").json()
    matching = "report_text where section_id in (select rowid from sections_fts where sections_fts match ?)"
    assert facet_counts(hits) == counted(matching, ['"行政复议"'])
    assert hits["filtered_table_rows_count"] == sum(counted(matching, ['"行政复议"'])["year"].values()) > 20
