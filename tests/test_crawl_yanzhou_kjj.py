"""The whole path for yanzhou_kjj: its Hanweb column in the replica crawled by the production spider
(tests/conftest.py crawls it twice) — Word and PDF of each report, a PDF gone missing (404), RFC 5987 file names,
the 2021 （图解） infographic, and a list link robots.txt forbids."""

from __future__ import annotations

import hashlib
import json

import pytest

from replica.sites.yanzhou_kjj import DOCUMENTS, INFOGRAPHIC_PATH, LOST_PDF_YEAR
from tests.crawling import ground_truth_facts, printed_summaries, replica_requests, stored_facts

pytestmark = pytest.mark.e2e
# 2019 is listed only by its print view under /module/print/, which robots.txt disallows: never fetched.
YEARS = [2018, 2020, 2021, 2022, 2023]
HOST = "http://www.yanzhou.gov.cn"
AGENCY = "济宁市兖州区科学技术局"


def expected_facts(year: int) -> dict:
    return json.loads((DOCUMENTS / f"yanzhou-kjj-{year}.expected.json").read_text(encoding="utf-8"))


def reports(db) -> list[dict]:
    return list(db.query("select * from reports where spider = 'yanzhou_kjj' order by year"))


def attachments(db) -> list[dict]:
    return list(db.query(
        "select d.*, r.year from documents d join reports r on r.id = d.report_id "
        "where d.role = 'attachment' and r.spider = 'yanzhou_kjj' order by r.year, d.url"
    ))


def test_every_report_once_and_no_report_for_the_infographic(replica_db):
    rows = reports(replica_db)
    assert [r["year"] for r in rows] == YEARS
    assert [r["title"] for r in rows] == [f"{AGENCY}{y}年政府信息公开工作年度报告" for y in YEARS]
    assert {r["agency"] for r in rows} == {AGENCY}
    assert [r["published"][:4] for r in rows] == [str(y + 1) for y in YEARS]
    assert [r["template"] for r in rows] == [None, "2019", "2021", "2021", "2021"]
    assert [r["status"] for r in rows] == ["no_tables"] + ["ok"] * 4
    assert all(r["page_url"].startswith(f"{HOST}/art/") for r in rows)


def test_word_and_pdf_archived_byte_for_byte_under_their_rfc5987_names(crawled_replica, replica_db):
    documents = [d for d in attachments(replica_db) if d["kind"] in ("docx", "pdf")]
    assert sorted((d["year"], d["kind"]) for d in documents) == sorted(
        [(y, "docx") for y in YEARS] + [(y, "pdf") for y in YEARS if y != LOST_PDF_YEAR]
    )
    for document in documents:
        assert document["failure_kind"] is None, document["failure"]
        suffix = f".{document['kind']}"
        original = (DOCUMENTS / f"yanzhou-kjj-{document['year']}{suffix}").read_bytes()
        assert (crawled_replica.archive / document["archive_path"]).read_bytes() == original
        assert document["sha256"] == hashlib.sha256(original).hexdigest()
        # The server's plain filename= is the stored hash; only filename*=UTF-8''… carries the real name.
        assert document["filename"] == f"{AGENCY}{document['year']}年政府信息公开工作年度报告{suffix}"
        assert document["http_status"] == 200 and document["size"] == len(original)


def test_missing_pdf_is_a_recorded_404_and_the_report_stands_on_its_word_file(replica_db):
    (missing,) = [d for d in attachments(replica_db) if d["failure_kind"] == "http_404"]
    assert missing["year"] == LOST_PDF_YEAR and missing["http_status"] == 404 and missing["link_text"].endswith(".pdf")
    (report,) = [r for r in reports(replica_db) if r["year"] == LOST_PDF_YEAR]
    (docx,) = [d for d in attachments(replica_db) if d["year"] == LOST_PDF_YEAR and d["kind"] == "docx"]
    assert report["status"] == "ok" and report["facts_document"] == docx["sha256"]


def test_facts_match_the_ground_truth_and_come_from_the_word_file(replica_db):
    docx_by_year = {d["year"]: d["sha256"] for d in attachments(replica_db) if d["kind"] == "docx"}
    for report in reports(replica_db):
        expected = expected_facts(report["year"])
        assert stored_facts(replica_db, report["id"]) == ground_truth_facts(expected), report["year"]
        checks = list(replica_db["checks"].rows_where("report_id = ?", [report["id"]]))
        assert all(c["passed"] for c in checks) and bool(checks) == (expected["template"] is not None)
        if expected["template"] is not None:  # the page and the PDF say the same; Word is the most faithful
            assert report["facts_document"] == docx_by_year[report["year"]]


def test_infographic_is_archived_with_the_2021_report(crawled_replica, replica_db):
    (picture,) = [d for d in attachments(replica_db) if d["url"] == HOST + INFOGRAPHIC_PATH]
    original = (DOCUMENTS / "yanzhou-kjj-2021-tujie.png").read_bytes()
    assert picture["year"] == 2021 and picture["http_status"] == 200
    assert (crawled_replica.archive / picture["archive_path"]).read_bytes() == original
    assert picture["link_text"].endswith("年度报告（图解）")
    # Kept, whether or not extraction can read pictures; the report's facts stay the Word file's (test above).
    assert picture["failure_kind"] in (None, "unreadable")
    assert not list(replica_db.query("select id from reports where title like '%图解%'"))


def test_robots_forbidden_link_is_never_requested_and_is_named_in_the_summary(crawled_replica, replica_db):
    urls = [r["url"] for r in replica_requests(crawled_replica.archive) if r["url"].startswith(HOST + "/")]
    assert f"{HOST}/robots.txt" in urls
    assert not [url for url in urls if url.startswith(f"{HOST}/module/print/")]
    for result in (crawled_replica.first, crawled_replica.second):
        summary = printed_summaries(result)["yanzhou_kjj"]
        assert summary["failures"]["page_robots_forbidden"] == 1
        # The 2019 report is listed only by its print view: the summary says which page was left alone, and why.
        (skipped,) = summary["failed_pages"]
        assert skipped["kind"] == "robots_forbidden" and skipped["url"].startswith(f"{HOST}/module/print/")
    runs = list(replica_db["crawl_runs"].rows_where("spider = 'yanzhou_kjj'"))
    assert len(runs) == 2
    for run in runs:
        assert json.loads(run["failures"])["page_robots_forbidden"] == 1
        assert [page["kind"] for page in json.loads(run["failed_pages"])] == ["robots_forbidden"]


def test_crawl_summary_printed_and_stored(crawled_replica, replica_db):
    for result in (crawled_replica.first, crawled_replica.second):
        summary = printed_summaries(result)["yanzhou_kjj"]
        # Word and PDF of five reports and the （图解） PNG; the lost PDF counts among them, as a failure.
        assert (summary["reports"], summary["documents"]) == (5, 11)
        assert summary["failures"]["http_404"] == 1 and summary["finish_reason"] == "finished"
    runs = list(replica_db["crawl_runs"].rows_where("spider = 'yanzhou_kjj'"))
    assert len(runs) == 2 and all(r["reports"] == 5 for r in runs)
