"""PageFailureMiddleware: which page failures reach the crawl summary, by URL and kind."""

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from crawler.attachments import ATTACHMENT_META
from crawler.middlewares import PageFailureMiddleware
from crawler.summary import page_failures

PAGE = "http://kjj.example.gov.cn/col/col1/index.html"


@pytest.fixture
def middleware():
    return PageFailureMiddleware(StatsCollector(get_crawler()))


def answer(middleware, url: str, status: int, meta: dict | None = None):
    request = Request(url, meta=meta or {})
    return middleware.process_response(request, HtmlResponse(url, status=status, request=request))


def test_a_page_answering_an_error_is_named_with_its_status(middleware):
    answer(middleware, PAGE, 404)
    answer(middleware, PAGE.replace("index", "index_2"), 200)
    assert middleware.stats.get_value("page_failures") == [
        {"url": PAGE, "kind": "http_404", "message": f"{PAGE}: HTTP 404"}
    ]
    assert page_failures(middleware.stats.get_stats()) == {"page_http_404": 1}


def test_a_status_the_spider_handles_is_left_to_the_spider(middleware):
    answer(middleware, PAGE, 521, {"handle_httpstatus_list": [412, 521]})
    assert middleware.stats.get_value("page_failures") is None
    answer(middleware, PAGE, 503, {"handle_httpstatus_list": [412, 521]})
    assert [page["kind"] for page in middleware.stats.get_value("page_failures")] == ["http_503"]


def test_attachments_and_robots_txt_are_not_pages(middleware):
    answer(middleware, "http://kjj.example.gov.cn/a.pdf", 404, {ATTACHMENT_META: True})
    answer(middleware, "http://kjj.example.gov.cn/robots.txt", 404)
    assert middleware.stats.get_value("page_failures") is None


@pytest.mark.parametrize(
    "exception, kind",
    [
        (IgnoreRequest("Forbidden by robots.txt"), "robots_forbidden"),
        (DownloadTimeoutError("took longer than 60.0 seconds"), "timeout"),
        (ConnectionResetError("reset by peer"), "network_error"),
    ],
)
def test_a_page_that_raised_is_named_with_the_kind_of_failure(middleware, exception, kind):
    assert middleware.process_exception(Request(PAGE), exception) is None  # the next middleware still sees it
    (failed,) = middleware.stats.get_value("page_failures")
    assert (failed["url"], failed["kind"]) == (PAGE, kind)


def test_a_link_outside_the_site_is_left_out_on_purpose(middleware):
    middleware.process_exception(Request("http://other.example.com/"), IgnoreRequest("Filtered offsite request"))
    assert middleware.stats.get_value("page_failures") is None
