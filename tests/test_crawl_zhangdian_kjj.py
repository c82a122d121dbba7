"""The whole path for zhangdian_kjj: its Hanweb 信息公开 directory in the replica crawled by the production spider
(tests/conftest.py crawls it twice), reports that exist only as the module's HTML, and what was published."""

from __future__ import annotations

import json

import pytest

from replica.sites.zhangdian_kjj import AREA, DOCUMENTS, FORMER_AREA
from tests.crawling import ground_truth_facts, printed_summaries, provenance_records, replica_requests, stored_facts

pytestmark = pytest.mark.e2e
YEARS = [2018, 2019, 2020, 2021, 2022, 2023]  # 2018: free form, before the national templates
HOST = "http://www.zhangdian.gov.cn"
MODULE = f"{HOST}/module/xxgk/xxgkAnnualReport.jsp"
REDIRECTED_YEAR = 2019


def expected_facts(year: int) -> dict:
    return json.loads((DOCUMENTS / f"zhangdian-kjj-{year}.expected.json").read_text(encoding="utf-8"))


def reports(db) -> list[dict]:
    return list(db.query("select * from reports where spider = 'zhangdian_kjj' order by year"))


def site_requests(crawled_replica) -> list[dict]:
    return [r for r in replica_requests(crawled_replica.archive) if r["url"].startswith(HOST + "/")]


def test_every_report_once_with_its_metadata(replica_db):
    rows = reports(replica_db)
    assert [r["year"] for r in rows] == YEARS
    assert {r["agency"] for r in rows} == {"张店区科学技术局"}
    assert [r["title"] for r in rows] == [f"张店区科学技术局{y}年政府信息公开工作年度报告" for y in YEARS]
    assert [r["published"][:4] for r in rows] == [str(y + 1) for y in YEARS]
    assert [r["template"] for r in rows] == [None, "2019", "2019", "2021", "2021", "2021"]
    assert [r["status"] for r in rows] == ["no_tables"] + ["ok"] * 5
    assert [r["page_url"] for r in rows] == [f"{MODULE}?area={AREA}&fbtime={y}" for y in YEARS]


def test_each_report_is_its_page_and_its_facts_come_from_the_page(crawled_replica, replica_db):
    for report in reports(replica_db):
        (document,) = replica_db["documents"].rows_where("report_id = ?", [report["id"]])
        assert (document["role"], document["kind"], document["failure_kind"]) == ("page", "html", None)
        assert document["url"] == report["page_url"] and document["sha256"] == report["page_sha256"]
        assert report["facts_document"] == report["page_sha256"]
        page = (crawled_replica.archive / document["archive_path"]).read_bytes()
        assert b'class="gknbxq_detail"' in page and "无障碍".encode() in page  # the whole page, chrome and all


def test_facts_extracted_from_the_page_html_match_the_ground_truth(replica_db):
    for report in reports(replica_db):
        expected = expected_facts(report["year"])
        assert stored_facts(replica_db, report["id"]) == ground_truth_facts(expected), report["year"]
        checks = list(replica_db["checks"].rows_where("report_id = ?", [report["id"]]))
        assert all(c["passed"] for c in checks) and bool(checks) == (expected["template"] is not None)
        sections = replica_db["sections"].rows_where("report_id = ?", [report["id"]], order_by="number")
        assert [s["number"] for s in sections] == [1, 2, 3, 4, 5, 6]


def test_redirected_report_is_archived_once_under_its_final_url(crawled_replica, replica_db):
    old_url = f"{MODULE}?area={FORMER_AREA}&fbtime={REDIRECTED_YEAR}"
    final_url = f"{MODULE}?area={AREA}&fbtime={REDIRECTED_YEAR}"
    # Each of the two crawls followed the directory's old link, and the site answered 301.
    old_statuses = [r["status"] for r in site_requests(crawled_replica) if r["url"] == old_url]
    assert len(old_statuses) >= 2 and set(old_statuses) == {301}
    # Whichever of its two links came first, each crawl archived the report once, under the final URL.
    pages = [r for r in provenance_records(crawled_replica.archive)
             if r["type"] == "fetch" and r["role"] == "page" and r["spider"] == "zhangdian_kjj"]
    assert [r["status"] for r in pages if r["url"] == final_url] == [200, 200]
    assert {r["request_url"] for r in pages if r["url"] == final_url} <= {final_url, old_url}
    assert not [r for r in pages if r["url"] == old_url]
    (report,) = [r for r in reports(replica_db) if r["year"] == REDIRECTED_YEAR]
    assert report["page_url"] == final_url and report["version"] == 1
    assert not list(replica_db.query("select id from documents where url = ?", [old_url]))


def test_only_the_directory_and_the_reports_were_requested(crawled_replica):
    paths = {r["url"].removeprefix(HOST).split("?")[0] for r in site_requests(crawled_replica)}
    assert paths == {"/robots.txt", "/module/xxgk/search.jsp", "/module/xxgk/xxgkAnnualReport.jsp"}
    pages = {r["url"] for r in site_requests(crawled_replica) if "/search.jsp?" in r["url"]}
    assert sorted(url.split("currpage=")[1][0] for url in pages) == ["1", "2"]  # both directory pages


def test_crawl_summary_printed_and_stored(crawled_replica, replica_db):
    for result in (crawled_replica.first, crawled_replica.second):
        summary = printed_summaries(result)["zhangdian_kjj"]
        assert (summary["reports"], summary["documents"], summary["documents_failed"]) == (6, 0, 0)
        assert summary["failures"] == {}
    runs = list(replica_db["crawl_runs"].rows_where("spider = 'zhangdian_kjj'"))
    assert len(runs) == 2 and all(r["reports"] == 6 and r["finish_reason"] == "finished" for r in runs)
