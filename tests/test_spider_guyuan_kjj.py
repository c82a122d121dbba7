"""guyuan_kjj on saved pages of its (replica) TRS WCM column: static list pages, createPageHTML pagination,
GBK detail pages — one of them declaring no charset anywhere."""

import asyncio

from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.items import ReportItem
from crawler.platforms.trs import other_list_pages
from tests.saved_pages import PAGES
from tests.crawling import site_spider

GuyuanKjjSpider = site_spider("guyuan_kjj")

COLUMN = "http://kjj.nxgy.gov.cn/zwgk/zfxxgknb/"
REPORT_2022 = COLUMN + "202301/t20230118_1699731.html"
REPORT_2017 = COLUMN + "201801/t20180130_1187764.html"


def served(filename: str, url: str) -> HtmlResponse:
    """A saved page as the site serves it: GBK bytes, `Content-Type: text/html` with no charset, so Scrapy
    decodes it as it would on the crawl (saved_response would force UTF-8)."""
    body = (PAGES / "guyuan_kjj" / filename).read_bytes()
    return HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html"}, request=Request(url))


def test_first_list_page_follows_only_reports_and_requests_the_other_pages():
    spider = GuyuanKjjSpider()
    results = list(spider.parse_list(served("index.html", COLUMN + "index.html")))
    assert [r.url for r in results if r.callback == spider.parse_article] == [REPORT_2022]
    assert [r.url for r in results if r.callback == spider.parse_list] == [
        COLUMN + "index_1.html",
        COLUMN + "index_2.html",
    ]


def test_page_count_and_current_page_come_from_createPageHTML():
    assert other_list_pages('createPageHTML(4, 2, "index", "shtml");') == [
        "index.shtml",
        "index_1.shtml",
        "index_3.shtml",
    ]
    assert other_list_pages("function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}") == []
    assert other_list_pages('createPageHTML(1, 0, "index", "html");') == []


def test_last_list_page_follows_its_reports_and_the_side_box_again():
    spider = GuyuanKjjSpider()
    results = list(spider.parse_list(served("index_2.html", COLUMN + "index_2.html")))
    details = [r.url for r in results if r.callback == spider.parse_article]
    # Its own items (2019, 2017), then the 往年回顾 box's absolute links to reports listed on earlier pages:
    # requested again here, dropped by Scrapy's dupefilter on the crawl.
    assert details == [
        COLUMN + "202001/t20200121_1420318.html",
        REPORT_2017,
        REPORT_2022,
        COLUMN + "202201/t20220124_1608455.html",
        COLUMN + "202101/t20210126_1516902.html",
    ]
    pages = [r.url for r in results if r.callback == spider.parse_list]
    assert pages == [COLUMN + "index.html", COLUMN + "index_1.html"]


def test_report_page_becomes_an_item_with_its_attachments_once_each():
    response = served("report-2022.html", REPORT_2022)
    assert response.encoding == "gb18030"  # from <meta charset=gb2312>, read as its superset
    (item,) = GuyuanKjjSpider().parse_article(response)
    assert isinstance(item, ReportItem)
    assert item.title == "固原市科学技术局2022年政府信息公开工作年度报告"
    assert (item.year, item.published, item.page_url) == (2022, "2023-01-18", REPORT_2022)
    assert item.agency == "固原市科学技术局"
    # The PDF is linked from the body and from the 附件 list: one attachment. The Word link comes from the list.
    assert [(a.url, a.text) for a in item.attachments] == [
        (COLUMN + "202301/P020230118035721031868.pdf", "固原市科学技术局2022年政府信息公开工作年度报告.pdf"),
        (COLUMN + "202301/P020230118122320546470.doc", "固原市科学技术局2022年政府信息公开工作年度报告（Word版）.doc"),
    ]
    assert item.page.status == 200 and b'class="TRS_Editor"' in item.page.body


def test_old_template_page_without_any_charset_or_meta_is_read_right():
    response = served("report-2017-old-template.html", REPORT_2017)
    assert b"charset" not in response.body and b"<meta" not in response.body
    assert response.encoding == "gb18030"  # Scrapy's detection from the bytes alone
    (item,) = GuyuanKjjSpider().parse_article(response)
    # Title from the title block, date from the 发布日期 line: the meta tags are missing.
    assert item.title == "固原市科学技术局2017年政府信息公开工作年度报告"
    assert (item.year, item.published) == (2017, "2018-01-30")
    assert [a.url for a in item.attachments] == [COLUMN + "201801/P020180130456571296403.pdf"]
    assert item.attachments[0].text == "固原市科学技术局2017年政府信息公开工作年度报告.pdf"


def test_start_requests_the_real_list_url():
    async def first_request():
        async for request in GuyuanKjjSpider().start():
            return request

    request = asyncio.run(first_request())
    assert isinstance(request, Request) and request.url == COLUMN + "index.html"
