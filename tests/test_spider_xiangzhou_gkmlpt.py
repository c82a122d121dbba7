"""xiangzhou_gkmlpt and the gkmlpt platform on saved pages of its (replica) directory: the _CONFIG shell with its
SID and column tree, the list API's JSON, content pages with their DETAIL record — and the parsing functions on
the shapes real sites show beyond the replica's."""

from scrapy.http import Response

from crawler.items import ReportItem
from crawler.platforms.gkmlpt import (
    agency_from_title,
    body_level,
    decode_percent_u,
    detail_record,
    is_report_item,
    list_total,
    list_url,
    report_columns,
    site_config,
    unit_code,
)
from tests.crawling import site_spider
from tests.saved_pages import PAGES, saved_response

XiangzhouGkmlptSpider = site_spider("xiangzhou_gkmlpt")

DIRECTORY = "http://www.zhxz.gov.cn/gkmlpt/"
INDEX = DIRECTORY + "index"
DEPARTMENTS_1 = DIRECTORY + "api/all/2792?page=1&sid=756013"
TOWNSHIPS_1 = DIRECTORY + "api/all/2793?page=1&sid=756013"


def page(filename: str, url: str, **request_kwargs) -> Response:
    return saved_response("xiangzhou_gkmlpt", filename, url, **request_kwargs)


def test_config_gives_the_sid_and_the_column_tree():
    sid, tree = site_config((PAGES / "xiangzhou_gkmlpt" / "index.html").read_text("utf-8"))
    assert sid == "756013"
    assert [node["name"] for node in tree] == ["机构职能", "政策文件", "规划信息", "政府信息公开年报", "政府信息公开指南"]
    assert site_config("<html><script>var x = 1;</script></html>") is None


def test_report_columns_are_the_leaves_under_an_annual_report_column():
    tree = [
        {"id": 1, "name": "政策文件", "children": [{"id": 11, "name": "规范性文件"}]},
        {"id": 2, "name": "政府信息公开年报", "children": [
            {"id": 21, "name": "2023年", "children": [{"id": 211, "name": "区直部门"}, {"id": 212, "name": "镇街"}]},
            {"id": 22, "name": "2022年"},
        ]},
        {"id": 3, "name": "政府信息公开工作年度报告"},
        {"id": 4, "name": "年报（旧版）", "jump_url": "http://example.gov.cn/old/"},
    ]
    assert report_columns(tree) == [211, 212, 22, 3]
    assert report_columns(tree, root=21) == [211, 212]
    assert report_columns(tree, root=1) == []


def test_index_lists_each_annual_report_column_from_its_first_page():
    spider = XiangzhouGkmlptSpider()
    requests = list(spider.parse_index(page("index.html", INDEX), root=None))
    assert [r.url for r in requests] == [DIRECTORY + f"api/all/{c}?page=1&sid=756013" for c in (2791, 2792, 2793)]
    # An entry URL's hash picks one column.
    (request,) = list(spider.parse_index(page("index.html", INDEX), root=2793))
    assert request.url == TOWNSHIPS_1


def test_list_url_keeps_a_sites_prefix():
    assert list_url("http://www.yangjiang.gov.cn/yjzjj/gkmlpt/index", 721, 2, "662021") == (
        "http://www.yangjiang.gov.cn/yjzjj/gkmlpt/api/all/721?page=2&sid=662021")


def test_first_list_page_follows_reports_and_asks_for_the_other_pages():
    spider = XiangzhouGkmlptSpider()
    kwargs = {"index_url": INDEX, "sid": "756013", "column": 2792, "page": 1}
    results = list(spider.parse_list(page("list-departments-1.json", DEPARTMENTS_1), **kwargs))
    articles = [r for r in results if r.callback == spider.parse_article]
    pages = [r for r in results if r.callback == spider.parse_list]
    assert len(articles) == 20 and all("/gkmlpt/content/" in r.url for r in articles)
    assert [r.url for r in pages] == [DIRECTORY + f"api/all/2792?page={n}&sid=756013" for n in range(2, 7)]
    assert all(r.meta["handle_httpstatus_list"] == [404] for r in pages)


def test_everything_on_page_1_still_asks_page_2_and_its_404_ends_the_list_quietly():
    spider = XiangzhouGkmlptSpider()
    kwargs = {"index_url": INDEX, "sid": "756013", "column": 2793}
    results = list(spider.parse_list(page("list-townships-1.json", TOWNSHIPS_1), page=1, **kwargs))
    assert [r.url for r in results if r.callback == spider.parse_list] == [TOWNSHIPS_1.replace("page=1", "page=2")]
    gone = Response(TOWNSHIPS_1.replace("page=1", "page=2"), status=404)
    assert list(spider.parse_list(gone, page=2, **kwargs)) == []


def test_list_total_and_report_items():
    assert list_total({"total": 7, "classify": {"post_count": 9}}) == 7
    assert list_total({"classify": {"post_count": 9}}) == 9
    assert is_report_item("珠海市香洲区教育局2023年政府信息公开工作年度报告")
    assert is_report_item("关于印发珠海市香洲区民政局2021年政府信息公开工作年度报告的通知")
    assert not is_report_item("珠海市香洲区各单位2024年政府信息公开工作年度报告汇总")
    assert not is_report_item("珠海市香洲区政府信息公开指南")


def test_percent_u_titles_are_decoded():
    assert decode_percent_u("%u73E0%u6D772023%u5E74") == "珠海2023年"
    assert decode_percent_u("no escapes 100%") == "no escapes 100%"


def test_agency_from_title_strips_year_suffix_and_notice_wrapper():
    assert agency_from_title("某某局2023年政府信息公开工作年度报告") == "某某局"
    assert agency_from_title("关于印发某某街道办事处2022年政府信息公开工作年度报告的通知") == "某某街道办事处"
    assert agency_from_title("2023年某某局政府信息公开工作年度报告") == "某某局"
    assert agency_from_title("某某镇2021年度政府信息公开年度报告") == "某某镇"


def test_unit_code_is_the_index_numbers_first_part():
    assert unit_code("11440402MB2C7A1X3K/2024-00012") == "11440402MB2C7A1X3K"
    assert unit_code("") == "" and unit_code("2024-00012") == ""


def test_towns_and_streets_report_at_township_level():
    assert body_level("珠海市香洲区南屏镇", "区县级") == "乡镇级"
    assert body_level("珠海市香洲区拱北街道办事处", "区县级") == "乡镇级"
    assert body_level("珠海市香洲区教育局", "区县级") == "区县级"


def report(filename: str, url: str, listed: dict | None = None) -> ReportItem:
    spider = XiangzhouGkmlptSpider()
    (item,) = list(spider.parse_article(page(filename, DIRECTORY + url), listed=listed or {}))
    return item


def test_report_with_attachments_names_its_publisher_code_and_files():
    item = report("report-docx-pdf.html", "content/3/3865/post_3865548.html")
    assert (item.agency, item.unit_code, item.year, item.level) == (
        "珠海市香洲区应急管理局", "11440402YQ3HDP3J5H", 2024, "区县级")
    assert item.title == "珠海市香洲区应急管理局2024年政府信息公开工作年度报告"
    assert item.published == "2025-03-01" and item.region == "广东省珠海市香洲区"
    assert [(a.url, a.text) for a in item.attachments] == [
        ("http://www.zhxz.gov.cn/attachment/0/2317/2317930/3865548.docx", item.title + ".docx"),
        ("http://www.zhxz.gov.cn/attachment/0/2317/2317964/3865548.pdf", item.title + ".pdf"),
    ]


def test_escaped_title_is_decoded_and_the_html_report_has_no_attachment():
    item = report("report-escaped-title.html", "content/3/3871/post_3871269.html")
    assert item.title == "珠海市香洲区司法局2024年政府信息公开工作年度报告"
    assert (item.agency, item.year, item.attachments) == ("珠海市香洲区司法局", 2024, [])


def test_record_without_publisher_takes_the_body_from_the_title():
    item = report("report-no-publisher.html", "content/3/3858/post_3858322.html")
    assert (item.agency, item.year) == ("珠海市香洲区统计局", 2023)
    assert item.unit_code


def test_street_report_in_a_notice_is_that_streets_report_at_township_level():
    item = report("report-street-notice.html", "content/3/3866/post_3866307.html")
    assert (item.agency, item.year, item.level) == ("珠海市香洲区凤山街道办事处", 2024, "乡镇级")
    assert item.title.startswith("关于印发")


def test_detail_record_prefers_the_page_over_the_list():
    text = (PAGES / "xiangzhou_gkmlpt" / "report-docx-pdf.html").read_text("utf-8")
    assert detail_record(text)["id"] == 3865548
    assert detail_record("<script>window._CONFIG = {SID: '1'};</script>") == {}
    item = report("report-docx-pdf.html", "content/3/3865/post_3865548.html", listed={"publisher": "别的机构"})
    assert item.agency == "珠海市香洲区应急管理局"
