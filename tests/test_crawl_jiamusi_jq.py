"""The generic platform on jiamusi_jq, an EmpireCMS district portal no platform base knows: crawled from its row
(as discovery made it) through the replica, it must find ≥ 90% of the portal's reports with the right agency and
year, no page that is not a report, and stop at GENERIC_MAX_PAGES."""

from __future__ import annotations

import pytest

from replica.sites.jiamusi_jq import HOST, ground_truth
from tests.crawling import open_database, printed_summaries, replica_requests, run_crawl

pytestmark = pytest.mark.e2e
PAGE_BUDGET = 20


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    archive = tmp_path_factory.mktemp("jiamusi-jq") / "archive"
    result = run_crawl(archive, "jiamusi_jq")
    db = open_database(archive)
    found = {row["page_url"]: (row["agency"], row["year"]) for row in db.query(
        "select r.page_url, r.year, a.name agency from reports r join agencies a on a.id = r.agency_id")}
    db.close()
    return result, found


def test_the_generic_crawl_finds_nine_in_ten_reports_with_agency_and_year(crawl):
    result, found = crawl
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    truth = {url: (agency, year) for agency, year, url in ground_truth()}
    right = [url for url, expected in truth.items() if found.get(url) == expected]
    assert len(right) >= 0.9 * len(truth), sorted(set(truth) - set(right))


def test_the_generic_crawl_keeps_no_page_that_is_not_a_report(crawl):
    _result, found = crawl
    truth = {url for _agency, _year, url in ground_truth()}
    assert set(found) - truth == set()


def test_the_generic_crawl_stops_at_its_page_budget(tmp_path):
    archive = tmp_path / "archive"
    result = run_crawl(archive, "jiamusi_jq", settings={"GENERIC_MAX_PAGES": str(PAGE_BUDGET)})
    assert printed_summaries(result)["jiamusi_jq"]["finish_reason"] == "finished"
    pages = {request["url"] for request in replica_requests(archive)
             if request["url"].startswith(f"http://{HOST}/") and "/d/file/" not in request["url"]
             and not request["url"].endswith("/robots.txt")}
    assert 0 < len(pages) <= PAGE_BUDGET
