"""The whole replica web crawled by every spider (tests/conftest.py): what holds for all sites at once."""

from urllib.parse import urlsplit

from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from replica.sites import replica_web
from tests.crawling import open_database, printed_summaries, replica_requests, run_crawl


def all_spiders() -> list[str]:
    # The project's loader (SPIDER_LOADER_CLASS): the rows of sites.csv besides spiders/.
    return sorted(get_spider_loader(get_project_settings()).list())


def test_both_crawls_finish_and_summarise_every_spider(crawled_replica):
    for result in (crawled_replica.first, crawled_replica.second):
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        summaries = printed_summaries(result)
        assert sorted(summaries) == all_spiders()
        assert all(s["finish_reason"] == "finished" and s["reports"] > 0 for s in summaries.values())
    assert "Traceback" not in crawled_replica.first.stderr + crawled_replica.second.stderr


def test_every_report_once(replica_db):
    duplicates = list(replica_db.query("select spider, page_url, count(*) n from reports group by 1, 2 having n > 1"))
    assert duplicates == []
    assert {r["spider"] for r in replica_db.query("select distinct spider from reports")} == set(all_spiders())


def test_crawl_with_a_spider_name_runs_only_that_spider(tmp_path):
    archive = tmp_path / "archive"
    result = run_crawl(archive, "zhangdian_kjj")
    assert result.returncode == 0, result.stderr[-3000:]
    assert list(printed_summaries(result)) == ["zhangdian_kjj"]
    db = open_database(archive)
    assert {row["spider"] for row in db.query("select distinct spider from reports")} == {"zhangdian_kjj"}
    requested = {urlsplit(request["url"]).hostname for request in replica_requests(archive)}
    replica_hosts = set(replica_web().sites_by_host)
    assert requested & replica_hosts == {"www.zhangdian.gov.cn"}
