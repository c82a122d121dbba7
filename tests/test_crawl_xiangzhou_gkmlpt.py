"""The whole path for xiangzhou_gkmlpt, a district's gkmlpt directory: the replica crawled by the production spider
alone, every report of every body against the directory's ground truth (replica/platforms/gkmlpt.py)."""

from __future__ import annotations

import time

import pytest

from replica.sites.xiangzhou_gkmlpt import site
from tests.crawling import open_database, printed_summaries, replica_requests, run_crawl

pytestmark = pytest.mark.e2e
SPIDER = "xiangzhou_gkmlpt"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    archive = tmp_path_factory.mktemp("gkmlpt") / "archive"
    started = time.monotonic()
    result = run_crawl(archive, SPIDER)
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    db = open_database(archive)
    yield archive, result, db, seconds
    db.close()


@pytest.fixture(scope="module")
def truth():
    return {report.url: report for report in site().ground_truth()}


def crawled_reports(db) -> list[dict]:
    return list(db.query("select r.*, a.unit_code from reports r join agencies a on a.id = r.agency_id "
                         "where r.spider = ?", [SPIDER]))


def test_every_report_found_with_its_body_code_and_year(crawl, truth):
    _archive, _result, db, _seconds = crawl
    crawled = {row["page_url"]: row for row in crawled_reports(db)}
    right = [url for url, report in truth.items() if url in crawled
             and (crawled[url]["agency"], crawled[url]["unit_code"], crawled[url]["year"])
             == (report.agency, report.unit_code, report.year)]
    assert len(right) / len(truth) >= 0.99, sorted(set(truth) - set(right))
    assert set(crawled) <= set(truth)  # nothing that is not a report: no 汇总, no duplicate
    assert len({report.agency for report in truth.values()}) >= 40


def test_reports_keep_their_attachments(crawl, truth):
    _archive, _result, db, _seconds = crawl
    documents = {row["url"]: row for row in db.query(
        "select d.* from documents d join reports r on r.id = d.report_id where r.spider = ? "
        "and d.role = 'attachment'", [SPIDER])}
    wanted = {url for report in truth.values() for url in report.documents}
    assert set(documents) == wanted
    assert all(row["failure_kind"] is None and row["kind"] in ("docx", "pdf") for row in documents.values())


def test_reports_give_facts_and_pass_their_checks(crawl):
    _archive, _result, db, _seconds = crawl
    statuses = {(row["status"], row["check_status"]) for row in crawled_reports(db)}
    assert statuses == {("ok", "passed")}


def test_towns_and_streets_are_township_level(crawl, truth):
    _archive, _result, db, _seconds = crawl
    levels = {row["agency"]: row["level"] for row in crawled_reports(db)}
    assert {levels[name] for name in levels if name.endswith(("镇", "街道办事处"))} == {"乡镇级"}
    assert {levels[name] for name in levels if name.endswith(("局", "办公室", "人民政府"))} == {"区县级"}


def test_report_in_two_columns_is_fetched_and_stored_once(crawl, truth):
    archive, _result, db, _seconds = crawl
    (filed_twice,) = [post for post in site().posts if len(post.columns) == 2]
    url = f"http://www.zhxz.gov.cn{filed_twice.path}"
    assert len(list(db.query("select id from reports where page_url = ?", [url]))) == 1
    assert [r["status"] for r in replica_requests(archive) if r["url"] == url] == [200]


def test_page_2_404_of_an_everything_on_page_1_column_is_no_failure(crawl):
    archive, result, _db, _seconds = crawl
    gone = [r for r in replica_requests(archive) if r["status"] == 404]
    assert [r["url"] for r in gone] == ["http://www.zhxz.gov.cn/gkmlpt/api/all/2793?page=2&sid=756013"]
    summary = printed_summaries(result)[SPIDER]
    assert (summary["finish_reason"], summary["failures"], summary["failed_pages"]) == ("finished", {}, [])


def test_crawl_takes_under_three_minutes(crawl):
    *_rest, seconds = crawl
    assert seconds < 180, f"{seconds:.0f} s"
