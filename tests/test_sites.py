"""Sites as data: sites.csv rows become spiders; a bad row is one line naming the file and the line; a new site on a
known platform is one row and no code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crawler.platforms import PLATFORMS
from crawler.sites import SitesFileError, read_sites, spider_class
from crawler.settings import SITES_FILE
from tests.crawling import ROOT, TEST_CRAWL_SETTINGS, open_database, printed_summaries

HEADER = "key,platform,entry_urls,agency,region,level,notes\n"
ZIBO_COLUMN = "http://kjj.zibo.gov.cn/col/col18932/index.html"

# What the five seed sites' spider modules said before they became rows.
SEED_SPIDERS = {
    "zibo_kjj": ("HanwebColumnSpider", "淄博市科学技术局", "山东省淄博市", "市级", ["kjj.zibo.gov.cn"], [ZIBO_COLUMN]),
    "zhangdian_kjj": ("HanwebXxgkSpider", "张店区科学技术局", "山东省淄博市张店区", "区县级", ["www.zhangdian.gov.cn"],
                      ["http://www.zhangdian.gov.cn/module/xxgk/search.jsp?infotypeId=&jdid=&area=11370303004305217R"
                       "&divid=div36021&sortfield=,compaltedate:0&currpage=1&standardXxgk=1"]),
    "guyuan_kjj": ("TrsListSpider", "固原市科学技术局", "宁夏回族自治区固原市", "市级", ["kjj.nxgy.gov.cn"],
                   ["http://kjj.nxgy.gov.cn/zwgk/zfxxgknb/index.html"]),
    "yanzhou_kjj": ("HanwebColumnSpider", "济宁市兖州区科学技术局", "山东省济宁市兖州区", "区县级", ["www.yanzhou.gov.cn"],
                    ["http://www.yanzhou.gov.cn/col/col25873/index.html"]),
    "zibo_gxq": ("JsonListChannelSpider", "淄博高新技术产业开发区", "山东省淄博市", "区县级", ["www.china-zibo.gov.cn"],
                 ["https://www.china-zibo.gov.cn/gongkai/site_gxq/channel_67c9f5ed66a144b7b5a9362c/index.html"]),
}
# Rows added since, in the same shape; a portal's row names no agency (its reports name their bodies).
LATER_SITES = {
    "qixia_xxgk": ("HanwebXxgkPortalSpider", "", "山东省烟台市栖霞市", "区县级", ["www.sdqixia.gov.cn"],
                   ["https://www.sdqixia.gov.cn/col/col31313/index.html"]),
    "xiangzhou_gkmlpt": ("GkmlptSpider", "", "广东省珠海市香洲区", "区县级", ["www.zhxz.gov.cn"],
                         ["http://www.zhxz.gov.cn/gkmlpt/index"]),
    "jiamusi_jq": ("GenericSpider", "佳木斯市郊区人民政府", "黑龙江省佳木斯市郊区", "区县级", ["www.jmsjq.gov.cn"],
                   ["http://www.jmsjq.gov.cn/xxgk/"]),
}


def test_the_seed_sites_are_rows_that_make_the_spiders_they_were():
    spiders = {site.key: spider_class(site) for site in read_sites(SITES_FILE)}
    assert sorted(spiders) == sorted({**SEED_SPIDERS, **LATER_SITES})
    for key, (base, agency, region, level, domains, entry_urls) in {**SEED_SPIDERS, **LATER_SITES}.items():
        spider = spiders[key]
        assert spider.__mro__[1].__name__ == base
        assert (spider.name, spider.agency, spider.region, spider.level) == (key, agency, region, level)
        assert (spider.allowed_domains, spider.entry_urls) == (domains, entry_urls)


def test_a_gkmlpt_directory_is_a_row_without_an_agency():
    (site,) = [site for site in read_sites(SITES_FILE) if site.key == "xiangzhou_gkmlpt"]
    spider = spider_class(site)
    assert spider.__mro__[1].__name__ == "GkmlptSpider" and spider.agency == ""
    assert (spider.allowed_domains, spider.attachment_domains) == (["www.zhxz.gov.cn"], [])
    assert "GUESSED" in site.notes


def test_unverified_is_said_in_the_notes():
    unverified = {site.key for site in read_sites(SITES_FILE) if "UNVERIFIED" in site.notes}
    assert unverified == {"zibo_gxq", "qixia_xxgk", "jiamusi_jq"}


@pytest.mark.parametrize(
    "rows, message",
    [
        ("a,wordpress,http://a.gov.cn/,甲,,,\n",
         "{path}:2: unknown platform 'wordpress' (known: " + ", ".join(sorted(PLATFORMS)) + ")"),
        ("a,trs_list,http://a.gov.cn/,甲,,,\n"
         "b,trs_list,ftp://b.gov.cn/x,乙,,,\n",
         "{path}:3: entry URL 'ftp://b.gov.cn/x' is not an http(s) URL with a host"),
        ("a,trs_list,http://[broken/,甲,,,\n",
         "{path}:2: entry URL 'http://[broken/' is not an http(s) URL with a host"),
        ("a,trs_list,http://a.gov.cn/,甲,,,\n\na,trs_list,http://b.gov.cn/,乙,,,\n",
         "{path}:4: key 'a' is used by an earlier row too"),
        ("a,trs_list,,甲,,,\n", "{path}:2: entry_urls is empty"),
        ("a b,trs_list,http://a.gov.cn/,甲,,,\n",
         "{path}:2: key 'a b' is not letters, digits and _ starting with a letter"),
        ("a,trs_list,http://a.gov.cn/,甲,,县级,\n", "{path}:2: level '县级' is not one of 省级, 市级, 区县级, 乡镇级"),
    ],
    ids=["unknown platform", "not http", "malformed URL", "duplicate key", "no entry URL", "bad key", "bad level"],
)
def test_a_bad_row_is_one_line_naming_file_and_line(tmp_path, rows, message):
    path = tmp_path / "sites.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(SitesFileError) as raised:
        read_sites(path)
    assert str(raised.value) == message.format(path=path)


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("name,url\nx,http://a.gov.cn/\n", encoding="utf-8")
    with pytest.raises(SitesFileError, match=r":1: no column key, platform, entry_urls \(columns: key, platform"):
        read_sites(path)


def test_the_crawl_command_says_what_is_wrong_in_one_line(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(HEADER + "a,wordpress,http://a.gov.cn/,甲,,,\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "crawler", "crawl", "--sites", str(path), "--archive",
                             str(tmp_path / "archive")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"error: {path}:2: unknown platform 'wordpress' (known: " + ", ".join(
        sorted(PLATFORMS)) + ")"
    # Nothing crawled, nothing written but the run lock, taken before anything else.
    assert {path.name for path in (tmp_path / "archive").iterdir()} <= {"crawl.lock"}


@pytest.mark.e2e
def test_a_new_site_on_a_known_platform_is_one_row(tmp_path):
    """A row no code knows, on a platform the crawl knows: crawled through the replica like the seeds."""
    path = tmp_path / "more-sites.csv"
    path.write_text(HEADER + f"zibo_science,hanweb_column,{ZIBO_COLUMN},淄博市科学技术局,山东省淄博市,市级,a copy\n",
                    encoding="utf-8")
    archive = tmp_path / "archive"
    command = [sys.executable, "-m", "crawler", "crawl", "zibo_science", "--sites", str(path), "--replica",
               "--archive", str(archive)]
    for name, value in TEST_CRAWL_SETTINGS.items():
        command += ["-s", f"{name}={value}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert printed_summaries(result)["zibo_science"]["reports"] >= 5
    db = open_database(archive)
    spiders = {row["spider"] for row in db["reports"].rows}
    db.close()
    assert spiders == {"zibo_science"}

