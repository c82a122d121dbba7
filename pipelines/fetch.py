"""Download each attachment a report page links to, through Scrapy's downloader (so proxy, retries,
robots.txt and throttling apply), and judge whether what came back is the document."""

from __future__ import annotations

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from crawler.attachments import attachment_failure, attachment_filename
from crawler.items import Capture, Document, Failure, ReportItem

# Scrapy ≥ 2.13 raises its own exception types; older code paths (and Playwright's) still raise Twisted's.
_TIMEOUTS = (DownloadTimeoutError, TimeoutError, TCPTimedOutError)
_UNREACHABLE = (CannotResolveHostError, DownloadConnectionRefusedError, DNSLookupError, ConnectionRefusedError)


def failure_from_exception(exc: Exception, url: str) -> Failure:
    """A download that raised instead of answering, as a recorded failure kind."""
    if isinstance(exc, _TIMEOUTS):
        return Failure("timeout", f"no answer in time from {url}")
    if isinstance(exc, IgnoreRequest):
        return Failure("not_fetched", f"{url}: {exc or 'request ignored (robots.txt or a downloader rule)'}")
    if isinstance(exc, _UNREACHABLE):
        return Failure("unreachable", f"{url}: {exc}")
    return Failure("network_error", f"{url}: {type(exc).__name__}: {exc}")


class FetchAttachmentsPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item: ReportItem) -> ReportItem:
        for link in item.attachments:
            item.documents.append(await self.fetch(link, referer=item.page_url))
        return item

    async def fetch(self, link, referer: str) -> Document:
        document = Document(link=link)
        request = scrapy.Request(link.url, headers={"Referer": referer}, dont_filter=True)
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # noqa: BLE001 - every way a download can fail becomes a recorded failure
            document.failure = failure_from_exception(exc, link.url)
            return document
        document.capture = Capture.from_response(response)
        document.filename = attachment_filename(document.capture, link.text)
        document.failure = attachment_failure(document.capture)
        return document
