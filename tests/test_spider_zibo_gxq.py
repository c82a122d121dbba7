"""zibo_gxq on saved pages of its (replica) portal: the browser-rendered channel list and its pager, a report page,
what a client without a browser gets (the WAF's challenge, an empty shell), and a list the browser never rendered."""

import asyncio
from types import SimpleNamespace

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy import Request
from scrapy.exceptions import CloseSpider, IgnoreRequest
from twisted.python.failure import Failure

from crawler.items import ReportItem
from pipelines.fetch import FetchAttachmentsPipeline
from tests.saved_pages import saved_response
from tests.crawling import site_spider

ZiboGxqSpider = site_spider("zibo_gxq")

CHANNEL = "https://www.china-zibo.gov.cn/gongkai/site_gxq/channel_67c9f5ed66a144b7b5a9362c/index.html"
DOCUMENT = "https://www.china-zibo.gov.cn/gongkai/site_gxq/channel_67c9f5ed66a144b7b5a9362c/doc_{}.html"


def rendered_list(filename: str, url: str = CHANNEL, status: int = 521):
    # What scrapy-playwright hands over: the DOM after the scripts ran (the tests/pages files were saved from the
    # browser), with the status of the first answer — the challenge's 521 on the crawl's first visit.
    return saved_response("zibo_gxq", filename, url).replace(status=status)


def start_request():
    async def first_request():
        async for request in ZiboGxqSpider().start():
            return request

    return asyncio.run(first_request())


def test_start_request_renders_the_channel_in_the_browser():
    request = start_request()
    assert request.url == CHANNEL
    assert request.meta["playwright"] is True
    (wait,) = request.meta["playwright_page_methods"]
    assert (wait.method, wait.args) == ("wait_for_selector", ("#list li a[href]",))
    assert 521 in request.meta["handle_httpstatus_list"]  # the challenge's status comes back with the rendered page


def test_rendered_list_follows_reports_without_the_browser_and_the_next_page_with_it():
    spider = ZiboGxqSpider()
    results = list(spider.parse_channel(rendered_list("list-page-1.html")))
    details = [r for r in results if r.callback == spider.parse_document]
    assert [r.url for r in details] == [
        DOCUMENT.format("7e44d148388e4474b6fd8729"),  # 2022
        DOCUMENT.format("f2cd408a492e600327b69ce1"),  # 2021; the page's eight notices are skipped
    ]
    assert not any(r.meta.get("playwright") for r in details)
    (next_page,) = [r for r in results if r.callback == spider.parse_channel]
    assert next_page.url == CHANNEL + "?page=2" and next_page.meta["playwright"] is True


def test_last_list_page_ends_the_list():
    spider = ZiboGxqSpider()
    results = list(spider.parse_channel(rendered_list("list-page-3.html", CHANNEL + "?page=3", status=200)))
    assert [r.url for r in results] == [DOCUMENT.format("851b683f4fddd57bc0105f1b")]  # 2018, and no 下一页


@pytest.mark.parametrize("page", ["challenge.html", "shell.html"])
def test_without_a_browser_the_channel_lists_nothing(page):
    # What Scrapy alone gets: the WAF's 521 script, and even with its cookie an empty <ul id="list">.
    assert list(ZiboGxqSpider().parse_channel(saved_response("zibo_gxq", page, CHANNEL))) == []


def render_failure(url: str) -> Failure:
    failure = Failure(PlaywrightTimeoutError("Page.goto: Timeout 60000ms exceeded.\nCall log:\n  - navigating"))
    failure.request = Request(url)
    return failure


def test_channel_that_never_renders_closes_the_spider_as_blocked():
    with pytest.raises(CloseSpider) as closed:
        ZiboGxqSpider().channel_not_rendered(render_failure(CHANNEL))
    reason = f"blocked: channel list not rendered at {CHANNEL}: Page.goto: Timeout 60000ms exceeded."
    assert closed.value.reason == reason


def test_later_list_page_that_never_renders_keeps_the_crawl_going(caplog):
    ZiboGxqSpider().channel_not_rendered(render_failure(CHANNEL + "?page=2"))
    assert f"channel list not rendered at {CHANNEL}?page=2" in caplog.text


def test_report_page_becomes_an_item_with_its_attachment():
    url = DOCUMENT.format("b35802018eff29844a309cb6")
    (item,) = ZiboGxqSpider().parse_document(saved_response("zibo_gxq", "report-2020.html", url))
    assert isinstance(item, ReportItem)
    assert item.title == "淄博高新技术产业开发区2020年政府信息公开年度报告"
    assert (item.year, item.published, item.agency, item.page_url) == (2020, "2021-02-18", "淄博高新技术产业开发区", url)
    assert [(a.url, a.text) for a in item.attachments] == [
        ("https://www.china-zibo.gov.cn/gongkai/attachment/04ee8a8cf9b9780f59b2039e.doc",
         "淄博高新技术产业开发区2020年政府信息公开年度报告.doc"),
    ]
    assert item.page.status == 200 and b'class="doc-info"' in item.page.body


def test_attachments_are_downloaded_without_the_browser():
    url = DOCUMENT.format("b35802018eff29844a309cb6")
    (item,) = ZiboGxqSpider().parse_document(saved_response("zibo_gxq", "report-2020.html", url))
    requests = []

    async def download_async(request):
        requests.append(request)
        raise IgnoreRequest("not downloading in a unit test")

    crawler = SimpleNamespace(engine=SimpleNamespace(download_async=download_async), spider=ZiboGxqSpider())
    pipeline = FetchAttachmentsPipeline(crawler)
    asyncio.run(pipeline.process_item(item))
    assert [r.url for r in requests] == [a.url for a in item.attachments]
    assert not any(r.meta.get("playwright") for r in requests)
