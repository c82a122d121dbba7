"""Download each attachment a report page links to, through Scrapy's downloader (so proxy, retries,
robots.txt and throttling apply), and judge whether what came back is the document."""

from __future__ import annotations

import scrapy

from crawler.attachments import ATTACHMENT_META, attachment_failure, attachment_filename, failure_from_exception
from crawler.items import Capture, Document, ReportItem


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
        request = scrapy.Request(
            link.url, headers={"Referer": referer}, dont_filter=True, meta={ATTACHMENT_META: True}
        )
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # noqa: BLE001 - every way a download can fail becomes a recorded failure
            document.failure = failure_from_exception(exc, link.url)
            return document
        document.capture = Capture.from_response(response)
        document.filename = attachment_filename(document.capture, link.text)
        document.failure = attachment_failure(document.capture)
        return document
