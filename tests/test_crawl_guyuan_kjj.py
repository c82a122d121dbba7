"""The whole path for guyuan_kjj, a TRS WCM site of static GBK pages: the replica crawled over HTTP by the
production spiders (tests/conftest.py crawls it twice), then what was archived, extracted and published —
including what the site does wrong: a 200 HTML page for a lost file, a 500 before a PDF, a report listed twice."""

from __future__ import annotations

import hashlib
import json

import pytest

from crawler.extract.vocabulary import FACT_KEYS as FACT_TABLES
from replica.sites.guyuan_kjj import AGENCY, DOCUMENTS
from tests.crawling import ground_truth_facts, printed_summaries, provenance_records, replica_requests, stored_facts

pytestmark = pytest.mark.e2e
YEARS = [2017, 2019, 2020, 2021, 2022]  # no 2018 report on the site; 2017 free form; 2019 a scan
TEXT_PDF_YEARS = [2020, 2021, 2022]
COLUMN = "http://kjj.nxgy.gov.cn/zwgk/zfxxgknb/"
BUSY_WORD_LINK = COLUMN + "202301/P020230118122320546470.doc"  # 2022's Word version: lost, answered 系统繁忙
FLAKY_PDF = COLUMN + "202201/P020220124061719908438.pdf"  # 2021's PDF: 500 once, then the file
LISTED_TWICE = [COLUMN + "202301/t20230118_1699731.html", COLUMN + "202201/t20220124_1608455.html",
                COLUMN + "202101/t20210126_1516902.html"]  # in the list and in index_2.html's 往年回顾 box


@pytest.fixture(scope="module")
def archive(crawled_replica):
    return crawled_replica.archive


@pytest.fixture(scope="module")
def db(replica_db):
    return replica_db


@pytest.fixture(scope="module")
def site_requests(archive) -> list[dict]:
    """What the replica answered for this site, over both crawls, in order."""
    return [r for r in replica_requests(archive) if r["url"].startswith("http://kjj.nxgy.gov.cn/")]


def expected(year: int) -> dict:
    return json.loads((DOCUMENTS / f"guyuan-kjj-{year}.expected.json").read_text(encoding="utf-8"))


def report(db, year: int) -> dict:
    (row,) = db.query("select * from reports where spider = 'guyuan_kjj' and year = ?", [year])
    return row


def report_pdf(db, year: int) -> dict:
    (row,) = db.query(
        "select d.* from documents d join reports r on r.id = d.report_id "
        "where r.spider = 'guyuan_kjj' and r.year = ? and d.role = 'attachment' and d.url like '%.pdf'", [year]
    )
    return row


def expected_facts(year: int) -> dict:
    return ground_truth_facts(expected(year))


def test_every_report_year_once_with_its_metadata(db):
    reports = list(db.query("select * from reports where spider = 'guyuan_kjj' order by year"))
    assert [r["year"] for r in reports] == YEARS
    assert [r["title"] for r in reports] == [f"{AGENCY}{y}年政府信息公开工作年度报告" for y in YEARS]
    assert {r["agency"] for r in reports} == {AGENCY}
    assert [r["published"][:4] for r in reports] == [str(y + 1) for y in YEARS]
    assert all(r["page_url"].startswith(COLUMN) for r in reports)


def test_report_pdfs_archived_byte_for_byte_with_their_names(archive, db):
    for year in YEARS:
        document = report_pdf(db, year)
        original = (DOCUMENTS / f"guyuan-kjj-{year}.pdf").read_bytes()
        assert (archive / document["archive_path"]).read_bytes() == original, year
        assert document["sha256"] == hashlib.sha256(original).hexdigest()
        assert (document["http_status"], document["size"]) == (200, len(original))
        assert document["filename"] == f"{AGENCY}{year}年政府信息公开工作年度报告.pdf"
        assert document["content_type"] == "application/pdf"


def test_text_pdfs_give_the_ground_truth_facts(db):
    for year in TEXT_PDF_YEARS:
        row = report(db, year)
        assert (row["status"], row["template"]) == ("ok", expected(year)["template"]), year
        assert row["facts_document"] == report_pdf(db, year)["sha256"]
        assert stored_facts(db, row["id"]) == expected_facts(year), year
        checks = list(db["checks"].rows_where("report_id = ?", [row["id"]]))
        assert checks and all(c["passed"] for c in checks), year


def test_free_form_2017_report_has_no_template_and_no_tables(db):
    row = report(db, 2017)
    assert (row["template"], row["status"]) == (None, "no_tables")
    assert stored_facts(db, row["id"]) == {table: {} for table in FACT_TABLES}
    pdf = report_pdf(db, 2017)
    assert (pdf["failure_kind"], pdf["kind"], pdf["template"], pdf["facts"]) == (None, "pdf", None, 0)


def test_scanned_2019_report_is_read_by_ocr(db):
    row, scan = report(db, 2019), report_pdf(db, 2019)
    assert scan["sha256"] == hashlib.sha256((DOCUMENTS / "guyuan-kjj-2019.pdf").read_bytes()).hexdigest()
    assert (scan["kind"], scan["failure_kind"], row["facts_document"]) == ("pdf", None, scan["sha256"])
    stored, wanted = stored_facts(db, row["id"]), expected_facts(2019)
    right = sum(stored[table].get(key) == value for table in wanted for key, value in wanted[table].items())
    total = sum(len(facts) for facts in wanted.values())
    assert right / total >= 0.95, f"{right}/{total} facts read right from the scan"
    # OCR says which cells it was unsure of, or it read every one with confidence.
    warnings = json.loads(scan["warnings"])
    assert right == total or any("confidence" in warning for warning in warnings), warnings


def test_busy_page_served_for_a_lost_file_is_recorded_as_not_a_document(archive, db):
    (document,) = db.query("select * from documents where url = ?", [BUSY_WORD_LINK])
    assert (document["failure_kind"], document["http_status"]) == ("not_a_document", 200)
    assert document["content_type"] == "text/html; charset=gbk" and document["kind"] is None
    kept = (archive / document["archive_path"]).read_bytes()  # the bytes the server sent, kept as evidence
    assert "系统繁忙".encode("gbk") in kept and document["sha256"] == hashlib.sha256(kept).hexdigest()
    assert report(db, 2022)["status"] == "ok"  # the report's PDF still gave its facts


def test_pdf_answering_500_once_is_retried_and_archived_once(archive, db, site_requests):
    # Each crawl asked twice: the 500, then Scrapy's RetryMiddleware's retry.
    assert [r["status"] for r in site_requests if r["url"] == FLAKY_PDF] == [500, 200, 500, 200]
    (document,) = db.query("select * from documents where url = ?", [FLAKY_PDF])
    assert (document["http_status"], document["failure_kind"]) == (200, None)
    fetches = [r for r in provenance_records(archive) if r["type"] == "fetch" and r["url"] == FLAKY_PDF]
    assert [r["status"] for r in fetches] == [200, 200]  # one record per crawl: the failed try is not an answer


def test_report_listed_twice_is_fetched_and_stored_once(db, site_requests):
    for page_url in LISTED_TWICE:
        assert len(list(db.query("select id from reports where page_url = ?", [page_url]))) == 1
        assert [r["status"] for r in site_requests if r["url"] == page_url] == [200, 200]  # once per crawl


def test_only_report_pages_and_list_pages_were_requested(db, site_requests):
    pages = {r["url"] for r in site_requests if r["url"].endswith(".html")}
    reports = {r["page_url"] for r in db.query("select page_url from reports where spider = 'guyuan_kjj'")}
    assert pages == reports | {COLUMN + "index.html", COLUMN + "index_1.html", COLUMN + "index_2.html"}


def test_page_declaring_no_charset_is_archived_as_served(archive, db):
    (page,) = db.query("select d.* from documents d join reports r on r.id = d.report_id "
                       "where r.spider = 'guyuan_kjj' and r.year = 2017 and d.role = 'page'")
    body = (archive / page["archive_path"]).read_bytes()
    assert page["content_type"] == "text/html" and b"charset" not in body
    assert f"<title>{AGENCY}2017年政府信息公开工作年度报告_".encode("gbk") in body


def test_crawl_summary_shows_the_failures(crawled_replica, db):
    for result in (crawled_replica.first, crawled_replica.second):
        summary = printed_summaries(result)["guyuan_kjj"]
        assert (summary["finish_reason"], summary["reports"], summary["documents"]) == ("finished", 5, 6)
        assert summary["failures"]["not_a_document"] == 1
    runs = list(db["crawl_runs"].rows_where("spider = 'guyuan_kjj'"))
    assert len(runs) == 2 and all(r["reports"] == 5 for r in runs)
