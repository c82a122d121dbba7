"""The Hanweb 信息公开 portal platform on saved pages of qixia_xxgk (the replica's 栖霞市 platform): the list of its
reporting bodies, one body's directory, and a report named by its body."""

from urllib.parse import parse_qs, urlsplit

from crawler.items import ReportItem
from crawler.platforms.hanweb import Unit, is_report, portal_units, unit_level
from tests.crawling import site_spider
from tests.saved_pages import saved_response

QixiaXxgkSpider = site_spider("qixia_xxgk")

(UNIT_LIST,) = QixiaXxgkSpider.entry_urls
HOST = "https://www.sdqixia.gov.cn"
MINZHENG = "11370686835535852P"
DIRECTORY = (f"{HOST}/module/xxgk/search.jsp?infotypeId=&jdid=&area={MINZHENG}&divid=div31313"
             "&sortfield=%2Ccompaltedate%3A0&currpage=1&standardXxgk=1")
MODULE = f"{HOST}/module/xxgk/xxgkAnnualReport.jsp"


def minzheng() -> Unit:
    return Unit("栖霞市民政局", MINZHENG, DIRECTORY)


def test_every_body_once_with_its_code_and_directory():
    units = portal_units(saved_response("qixia_xxgk", "units.html", UNIT_LIST))
    # 28 departments and 15 streets and towns; 行政审批服务局 is listed again among the 直属机构.
    assert len(units) == 43 and len({u.code for u in units}) == 43
    assert units[0].name == "栖霞市人民政府办公室" and units[-1].name == "栖霞市庙后镇人民政府"
    assert minzheng() in units
    for unit in units:
        query = parse_qs(urlsplit(unit.directory_url).query, keep_blank_values=True)
        assert unit.directory_url.startswith(f"{HOST}/module/xxgk/search.jsp?")
        assert (query["area"], query["divid"], query["currpage"]) == ([unit.code], ["div31313"], ["1"])


def test_the_unit_list_asks_each_body_directory_with_its_unit():
    spider = QixiaXxgkSpider()
    requests = list(spider.parse_units(saved_response("qixia_xxgk", "units.html", UNIT_LIST)))
    assert len(requests) == 43
    assert all(r.callback == spider.parse_directory and isinstance(r.cb_kwargs["unit"], Unit) for r in requests)


def test_a_body_directory_follows_module_reports_and_the_report_inside_a_notice():
    spider = QixiaXxgkSpider()
    results = list(spider.parse_directory(saved_response("qixia_xxgk", "directory-minzheng.html", DIRECTORY),
                                          unit=minzheng()))
    modules = [r for r in results if r.callback == spider.parse_annual_report]
    assert [r.url for r in modules] == [f"{MODULE}?area={MINZHENG}&fbtime={y}" for y in (2024, 2023, 2021, 2020, 2019)]
    (wrapper,) = [r for r in results if r.callback == spider.parse_article]
    assert all(r.cb_kwargs["unit"] == minzheng() for r in results)
    assert len(results) == 6  # one page: no further directory page asked for
    assert wrapper.url.startswith(f"{HOST}/art/2023/")


def test_a_report_is_its_body_with_the_body_code_and_level():
    url = f"{MODULE}?area={MINZHENG}&fbtime=2021"
    (item,) = QixiaXxgkSpider().parse_annual_report(
        saved_response("qixia_xxgk", "report-minzheng-2021.html", url),
        title="栖霞市民政局2021年政府信息公开工作年度报告", published="2022-01-20", unit=minzheng())
    assert isinstance(item, ReportItem)
    assert (item.agency, item.unit_code, item.level, item.region) == ("栖霞市民政局", MINZHENG, "区县级", "山东省烟台市栖霞市")
    assert (item.year, item.page_url, item.attachments) == (2021, url, [])
    assert b'class="gknbxq_detail"' in item.page.body


def test_streets_and_towns_are_township_level():
    assert [unit_level(name, "区县级") for name in (
        "栖霞市翠屏街道办事处", "栖霞市观里镇人民政府", "某县某某乡人民政府", "某区某某街道", "栖霞市民政局", "栖霞市乡村振兴局",
        "栖霞市人民政府办公室")] == ["乡镇级", "乡镇级", "乡镇级", "乡镇级", "区县级", "区县级", "区县级"]


def test_a_summary_of_many_bodies_reports_is_not_a_report_but_a_wrapping_notice_is():
    assert not is_report("栖霞市2023年度政府信息公开工作年度报告汇总")
    assert not is_report("2022年度各部门政府信息公开工作年度报告汇编")
    assert is_report("关于印发栖霞市民政局2022年政府信息公开工作年度报告的通知")
