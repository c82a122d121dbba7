import subprocess
import sys

from crawler.platforms.base import is_annual_report, iso_date, report_year
from tests.crawling import ROOT


def test_report_titles_are_recognised_and_notices_are_not():
    reports = [
        "淄博市科学技术局2020年政府信息公开工作年度报告",
        "淄博高新技术产业开发区2020年政府信息公开年度报告",
        "XX局2025年政府信息公开工作报告",
        "XX县2019年政府信息公开年度工作的报告",
        "XX局2023年政府信息公开情况报告",
        "2022年XX局政府信息 公开工作年度报告",
        "XX局政府信息公开年报（2021年）",
    ]
    notices = [
        "淄博市科学技术局政府信息公开指南",
        "淄博市科学技术局2022年政务公开工作要点",
        "淄博市科学技术局2021年度部门预算公开",
        "关于组织申报2020年度技术先进型服务企业的通知",
    ]
    assert [is_annual_report(t) for t in reports] == [True] * len(reports)
    assert [is_annual_report(t) for t in notices] == [False] * len(notices)


def test_report_year_from_title_else_publication():
    assert report_year("淄博市科学技术局2020年政府信息公开工作年度报告", "2021-01-20") == 2020
    assert report_year("2022 年 XX局政府信息公开工作年度报告") == 2022
    assert report_year("XX局政府信息公开工作年度报告", "2024-01-22") == 2023
    assert report_year("XX局政府信息公开工作年度报告") is None


def test_iso_date_reads_the_forms_sites_print():
    assert iso_date("发布时间：2022-01-12 15:12:36") == "2022-01-12"
    assert iso_date("2021年1月20日") == "2021-01-20"
    assert iso_date("公开日期 2020/1/2") == "2020-01-02"
    assert iso_date("no date") is None


def test_every_spider_names_its_agency_and_where_it_sits():
    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.project import get_project_settings

    from crawler.platforms.base import AnnualReportSpider

    loader = get_spider_loader(get_project_settings())
    assert len(loader.list()) >= 5
    for name in loader.list():
        spider = loader.load(name)
        assert issubclass(spider, AnnualReportSpider), name
        # Datasette facets on region and level: a spider without them puts its reports in an empty bucket.
        # A portal's row names no agency: each report names its body (the platform's unit record).
        assert spider.agency or spider.portal, name
        assert spider.region and spider.level in {"省级", "市级", "区县级", "乡镇级"}, name
        assert spider.allowed_domains, name


def test_scrapy_list_shows_the_sites():
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == ["guyuan_kjj", "jiamusi_jq", "qixia_xxgk", "xiangzhou_gkmlpt", "yanzhou_kjj",
                                     "zhangdian_kjj", "zibo_gxq", "zibo_kjj"]


def test_politeness_is_the_default():
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
