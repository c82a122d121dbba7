"""Discovery on the replica sites' saved homepages: each site's platform and entry point, from its homepage alone."""

import pytest
from scrapy.http import HtmlResponse
from w3lib.url import canonicalize_url

from crawler.discovery import cms_evidence, discover, level_of, proposed_site, row_key
from crawler.settings import SITES_FILE
from crawler.sites import read_sites
from tests.saved_pages import HOMEPAGES, PAGES


def saved_homepage_fetch(spider: str):
    """A fetch that knows only the site's saved homepage: discovery must decide from it (a deeper page fails)."""
    homepage = HOMEPAGES[spider]

    def fetch(url: str) -> HtmlResponse:
        if url != homepage:
            raise OSError(f"not saved: {url}")
        return HtmlResponse(url=url, body=(PAGES / spider / "homepage.html").read_bytes())
    return fetch


@pytest.mark.parametrize("spider", sorted(HOMEPAGES))
def test_discovery_names_each_replica_sites_platform_and_entry_point(spider):
    (row,) = [site for site in read_sites(SITES_FILE) if site.key == spider]
    (proposal,) = discover(HOMEPAGES[spider], saved_homepage_fetch(spider))
    assert proposal.platform == row.platform
    assert canonicalize_url(proposal.entry_url) == canonicalize_url(row.entry_urls[0])
    assert any("entry" in reason and proposal.platform in reason for reason in proposal.reasons)


def test_a_homepage_of_no_known_cms_gets_a_generic_row_at_its_disclosure_link():
    html = ('<html><head><title>某县人民政府_门户网站</title></head><body><ul><li><a href="/xqgk/">县情概况</a></li>'
            '<li><a href="/xxgk/">政府信息公开</a></li><li><a href="/news/1.html">新闻</a></li></ul></body></html>')
    fetch = lambda url: HtmlResponse(url=url, body=html.encode(), encoding="utf-8")  # noqa: E731
    (proposal,) = discover("http://www.mou.gov.cn/", fetch)
    assert (proposal.platform, proposal.entry_url, proposal.agency) == ("generic", "http://www.mou.gov.cn/xxgk/", "某县人民政府")
    assert proposal.reasons[0] == "no CMS fingerprint matched"
    site = proposed_site(proposal, {"mou"})
    assert (site.key, site.level) == ("mou_2", "区县级")


def test_fingerprints_name_what_matched():
    evidence = cms_evidence('<a href="/e/action/ShowInfo.php?classid=3&id=9">x</a> <div class="TRS_Editor"></div>')
    assert sorted(evidence) == ["empirecms", "trs"]
    assert "'/e/action/ShowInfo'" in evidence["empirecms"][0]


def test_level_and_key():
    assert [level_of(a) for a in ("淄博市科学技术局", "济宁市兖州区科学技术局", "某县某镇人民政府", "中国·兖州")] == [
        "市级", "区县级", "乡镇级", ""]
    assert row_key("http://kjj.zibo.gov.cn/", set()) == "kjj_zibo"
    assert row_key("https://www.china-zibo.gov.cn/", set()) == "china_zibo"
