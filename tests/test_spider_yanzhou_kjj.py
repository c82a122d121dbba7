"""yanzhou_kjj on saved pages of its (replica) Hanweb column: list, report pages with Word/PDF links, the （图解）
companion, and the list link robots.txt forbids."""

import asyncio

from scrapy import Request
from scrapy.robotstxt import ProtegoRobotParser
from twisted.python.failure import Failure

from crawler.items import ReportItem
from crawler.platforms.hanweb import is_companion, is_report
from crawler.settings import USER_AGENT
from tests.saved_pages import PAGES, saved_response
from tests.crawling import site_spider

YanzhouKjjSpider = site_spider("yanzhou_kjj")

SITE = "http://www.yanzhou.gov.cn"
COLUMN = f"{SITE}/col/col25873/index.html"
DATAPROXY = f"{SITE}/module/web/jpage/dataproxy.jsp"
REPORT_2021 = f"{SITE}/art/2022/1/12/art_25873_2734512.html"
TUJIE_2021 = f"{SITE}/art/2022/1/12/art_25873_2734538.html"
PRINT_VIEW_2019 = f"{SITE}/module/print/art_25873_2512866.html"
TITLE_2021 = "济宁市兖州区科学技术局2021年政府信息公开工作年度报告"


def report_2021_item() -> ReportItem:
    """The 2021 report as its page describes it, before the companion is read."""
    response = saved_response("yanzhou_kjj", "report-2021.html", REPORT_2021)
    (companion_request,) = YanzhouKjjSpider().parse_article(response)
    return companion_request.cb_kwargs["item"]


def test_companions_are_not_reports():
    assert is_companion(f"{TITLE_2021}（图解）") and not is_report(f"{TITLE_2021}（图解）")
    assert is_report(TITLE_2021) and not is_companion(TITLE_2021)
    assert not is_report("济宁市兖州区科学技术局2021年部门预算公开")


def test_column_page_follows_reports_but_not_the_infographic_and_asks_dataproxy_for_the_rest():
    spider = YanzhouKjjSpider()
    results = list(spider.parse_column(saved_response("yanzhou_kjj", "column.html", COLUMN)))
    assert [r.url for r in results if r.callback == spider.parse_article] == [
        f"{SITE}/art/2024/1/18/art_25873_2967340.html",
        f"{SITE}/art/2023/1/16/art_25873_2851207.html",
    ]
    assert TUJIE_2021 not in [r.url for r in results]  # listed on this page, but a companion
    (next_page,) = [r for r in results if r.callback == spider.parse_dataproxy]
    assert next_page.method == "POST" and b"columnid=25873" in next_page.body


def test_dataproxy_page_follows_a_link_that_robots_txt_forbids_and_scrapy_then_drops():
    spider = YanzhouKjjSpider()
    response = saved_response("yanzhou_kjj", "dataproxy-9-23.xml", DATAPROXY)
    results = list(spider.parse_dataproxy(response, endpoint=DATAPROXY, form={"columnid": "25873"}, start=9))
    assert [r.url for r in results] == [
        REPORT_2021, f"{SITE}/art/2021/1/25/art_25873_2611954.html", PRINT_VIEW_2019,
        f"{SITE}/art/2019/1/28/art_25873_2419371.html",
    ]
    # The spider cannot tell a print view by its title; ROBOTSTXT_OBEY keeps the request from ever being sent.
    robots = ProtegoRobotParser((PAGES / "yanzhou_kjj" / "robots.txt").read_bytes(), spider)
    assert [robots.allowed(r.url, USER_AGENT) for r in results] == [True, True, False, True]


def test_report_page_with_a_companion_asks_for_it_carrying_the_item():
    spider = YanzhouKjjSpider()
    (request,) = spider.parse_article(saved_response("yanzhou_kjj", "report-2021.html", REPORT_2021))
    assert request.url == TUJIE_2021 and request.callback == spider.parse_companion
    assert request.errback == spider.companion_failed and request.dont_filter
    item = request.cb_kwargs["item"]
    assert (item.title, item.year, item.published, item.agency, item.page_url) == (
        TITLE_2021, 2021, "2022-01-12", "济宁市兖州区科学技术局", REPORT_2021
    )
    # 【word下载】 and 【PDF下载】: the same report twice, both downloads; the 图解 link is not a document.
    assert [a.text for a in item.attachments] == [f"{TITLE_2021}.docx", f"{TITLE_2021}.pdf"]
    assert all(a.url.startswith(f"{SITE}/module/download/downfile.jsp?classid=0&filename=") for a in item.attachments)
    assert b"<table" in item.page.body  # the page holds the report as HTML too


def test_companion_pictures_join_the_report_as_attachments():
    spider = YanzhouKjjSpider()
    item = report_2021_item()
    (result,) = spider.parse_companion(saved_response("yanzhou_kjj", "tujie-2021.html", TUJIE_2021), item=item)
    assert result is item
    assert [(a.url, a.text) for a in item.attachments[2:]] == [
        (f"{SITE}/picture/0/2201121530457681.png", f"{TITLE_2021}（图解）")
    ]


def test_a_failed_companion_still_yields_the_report():
    spider = YanzhouKjjSpider()
    item = report_2021_item()
    failure = Failure(ConnectionError("companion unreachable"))
    failure.request = Request(TUJIE_2021, cb_kwargs={"item": item})
    assert list(spider.companion_failed(failure)) == [item]
    assert len(item.attachments) == 2


def test_report_page_without_a_companion_is_an_item_at_once():
    url = f"{SITE}/art/2023/1/16/art_25873_2851207.html"
    (item,) = YanzhouKjjSpider().parse_article(saved_response("yanzhou_kjj", "report-2022.html", url))
    assert isinstance(item, ReportItem) and (item.year, item.published) == (2022, "2023-01-16")
    title = "济宁市兖州区科学技术局2022年政府信息公开工作年度报告"
    assert [a.text for a in item.attachments] == [f"{title}.docx", f"{title}.pdf"]


def test_start_requests_the_real_column_url():
    async def first_request():
        async for request in YanzhouKjjSpider().start():
            return request

    request = asyncio.run(first_request())
    assert isinstance(request, Request) and request.url == COLUMN
