"""ReportDatabase on hand-made items: stable IDs, versions, which document the facts come from, status."""

import pytest
import sqlite_utils

from crawler.database import ReportDatabase, facts_source, report_status, stable_id
from crawler.items import AttachmentLink, Capture, Document, Failure, ReportItem

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
    assert {fk.other_table for fk in db["applications"].foreign_keys} == {"reports"}
    assert {fk.other_table for fk in db["reports"].foreign_keys} == {"agencies"}
    indexed = {tuple(index.columns) for index in db["reports"].indexes}
    assert {("year",), ("agency",), ("template",), ("status",)} <= indexed
