"""The whole path for a portal: the replica's 栖霞市 信息公开 platform (43 bodies) crawled by the hanweb_xxgk_portal
spider, every report found under its own body, against the ground truth the replica model gives."""

from __future__ import annotations

import pytest

from replica.sites import qixia_xxgk
from replica.sites.qixia_xxgk import FAILING, LISTED_TWICE, WRAPPED, TruthReport
from tests.crawling import open_database, printed_summaries, provenance_records, replica_requests, run_crawl

pytestmark = pytest.mark.e2e
HOST = "https://www.sdqixia.gov.cn"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    archive = tmp_path_factory.mktemp("qixia-crawl") / "archive"
    result = run_crawl(archive, "qixia_xxgk")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return archive, printed_summaries(result)["qixia_xxgk"]


def found(archive) -> list[TruthReport]:
    """Each report the crawl recorded, as the ground truth states one."""
    return [TruthReport(r["agency"], r["unit_code"], r["year"], r["page_url"])
            for r in provenance_records(archive) if r["type"] == "report"]


def bodies_by_name() -> dict:
    return {body.name: body for body in qixia_xxgk.bodies()}


def test_the_reports_found_are_the_ground_truth_each_under_its_body(crawl):
    archive, _ = crawl
    truth, reports = set(qixia_xxgk.ground_truth()), found(archive)
    assert len(truth) >= 100 and len({t.agency for t in truth}) >= 40
    assert len(set(reports) & truth) >= 0.99 * len(truth)
    assert set(reports) - truth == set()  # nothing that is not a report, nothing under the wrong body
    assert len(reports) == len(set(reports))  # each once


def test_streets_and_towns_are_township_level_departments_the_portal_level(crawl):
    archive, _ = crawl
    db = open_database(archive)
    levels = {r["agency"]: r["level"] for r in db.query("select agency, level from reports")}
    assert {agency for agency, level in levels.items() if level == "乡镇级"} == {
        agency for agency in levels if agency.endswith(("街道办事处", "镇人民政府"))}
    assert set(levels.values()) == {"乡镇级", "区县级"}
    assert {r["region"] for r in db.query("select distinct region from reports")} == {"山东省烟台市栖霞市"}


def test_the_report_inside_a_notice_is_its_body_s(crawl):
    archive, _ = crawl
    agency, year = WRAPPED
    (report,) = [r for r in found(archive) if r.year == year and r.agency == agency]
    assert "/art/" in report.url and report.unit_code == bodies_by_name()[agency].area


def test_a_body_listed_twice_is_crawled_once(crawl):
    archive, _ = crawl
    area = bodies_by_name()[LISTED_TWICE].area
    asked = [r["url"] for r in replica_requests(archive) if "/search.jsp?" in r["url"] and f"area={area}&" in r["url"]]
    assert len(asked) == 1


def test_the_failing_body_is_a_failed_page_and_the_others_go_on(crawl):
    archive, summary = crawl
    area = bodies_by_name()[FAILING].area
    (failed,) = summary["failed_pages"]
    assert failed["kind"] == "http_500" and f"area={area}&" in failed["url"]
    assert summary["failures"] == {"page_http_500": 1}


def test_the_summary_counts_bodies_reports_and_no_documents(crawl):
    archive, summary = crawl
    truth = qixia_xxgk.ground_truth()
    assert summary["bodies"] == len({t.unit_code for t in truth}) == 41  # 43 listed: one without reports, one failing
    assert (summary["reports"], summary["documents"], summary["documents_failed"]) == (len(truth), 0, 0)
    (run,) = open_database(archive)["crawl_runs"].rows_where("spider = 'qixia_xxgk'")
    assert (run["bodies"], run["reports"], run["finish_reason"]) == (41, len(truth), "finished")
