"""Many hosts crawl in parallel, at most CONCURRENT_SITES spiders at once and never two on one host."""

import random

import pytest

from crawler.site_queue import SiteQueue
from tests.crawling import printed_summaries, replica_requests, run_crawl


def run_to_end(queue: SiteQueue, seed: int) -> list[tuple[str, set[str]]]:
    """Drive the queue as a crawl does, ending one running spider at a time in a random order; returns each start
    with what was running then (itself included)."""
    rng = random.Random(seed)
    starts = []
    for name in queue.ready():
        starts.append((name, set(queue.running)))
    while queue.running:
        queue.finish(rng.choice(sorted(queue.running)))
        for name in queue.ready():
            starts.append((name, set(queue.running)))
    return starts


@pytest.mark.parametrize("seed", range(5))
def test_bounded_and_one_spider_per_host(seed):
    rng = random.Random(seed)
    hosts = {f"site{i}": {f"h{rng.randrange(12)}.gov.cn", f"h{rng.randrange(12)}.gov.cn"} for i in range(60)}
    queue = SiteQueue(hosts, max_running=5)
    starts = run_to_end(queue, seed)
    assert sorted(name for name, _ in starts) == sorted(hosts)  # every site crawls, once
    for name, running in starts:
        assert len(running) <= 5
        others = running - {name}
        assert not any(hosts[name] & hosts[other] for other in others), (name, others)
    assert max(len(running) for _, running in starts) == 5  # and the bound is used, not one at a time


def test_a_busy_host_does_not_hold_up_the_others():
    queue = SiteQueue({"city_portal": ["www.city.gov.cn"], "city_dept": ["www.city.gov.cn"],
                       "county": ["www.county.gov.cn"]}, max_running=3)
    assert queue.ready() == ["city_portal", "county"]
    assert queue.ready() == []
    queue.finish("county")
    assert queue.ready() == []  # the department waits for its portal's host, not for a free place
    queue.finish("city_portal")
    assert queue.ready() == ["city_dept"]


def test_cancel_starts_nothing_more():
    queue = SiteQueue({"a": ["a.gov.cn"], "b": ["b.gov.cn"], "c": ["c.gov.cn"]}, max_running=1)
    assert queue.ready() == ["a"]
    assert queue.cancel() == ["b", "c"]
    queue.finish("a")
    assert queue.ready() == []


def test_two_rows_on_one_host_crawl_one_after_the_other(tmp_path):
    """Through `python -m crawler crawl`: two rows of one host never overlap though there is room for all three;
    every row crawls to the end."""
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "key,platform,entry_urls,agency,region,level,notes\n"
        "first,hanweb_column,http://kjj.zibo.gov.cn/col/col18932/index.html,淄博市科学技术局,山东省淄博市,市级,\n"
        "second,hanweb_column,http://kjj.zibo.gov.cn/col/col18932/index.html,淄博市科学技术局,山东省淄博市,市级,\n"
        "other,trs_list,http://kjj.nxgy.gov.cn/zwgk/zfxxgknb/index.html,固原市科学技术局,宁夏回族自治区固原市,市级,\n",
        encoding="utf-8")
    result = run_crawl(tmp_path / "archive", settings={"SITES_FILE": str(sites), "CONCURRENT_SITES": "3"})
    summaries = printed_summaries(result)
    assert set(summaries) == {"first", "second", "other"}
    assert all(s["finish_reason"] == "finished" and s["reports"] > 0 for s in summaries.values())
    # One row's whole crawl of the host lies between the two fetches of the shared entry page: were they crawling
    # at once, the second fetch would come within the first few requests.
    zibo = [r["url"] for r in replica_requests(tmp_path / "archive") if "kjj.zibo.gov.cn/" in r["url"]]
    entry = [i for i, url in enumerate(zibo) if url.endswith("/col/col18932/index.html")]
    assert len(entry) == 2
    assert entry[1] - entry[0] > summaries["first"]["reports"] + summaries["first"]["documents"]
