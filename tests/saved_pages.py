"""Saved replica pages as Scrapy responses, for spider unit tests (no network, no reactor)."""

from pathlib import Path

from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse

PAGES = Path(__file__).parent / "pages"


def saved_response(spider_name: str, filename: str, url: str, **request_kwargs) -> HtmlResponse:
    body = (PAGES / spider_name / filename).read_bytes()
    response_class = XmlResponse if filename.endswith(".xml") else HtmlResponse
    return response_class(url=url, body=body, encoding="utf-8", request=Request(url, **request_kwargs))
