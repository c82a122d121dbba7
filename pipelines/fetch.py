"""Download each attachment a report page links to, through Scrapy's downloader (so proxy, retries,
robots.txt and throttling apply), and judge whether what came back is the document."""

from __future__ import annotations

import scrapy

from crawler.attachments import ATTACHMENT_META, attachment_failure, attachment_filename, failure_from_exception
from crawler.fetch_policy import REFUSED_KIND, refusal, spider_hosts
from crawler.items import Capture, Document, Failure, ReportItem


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
        """The attachment behind `link`, or the reason it is not there: every link ends as a document, a link the
        fetch policy refuses or Scrapy cannot even make a request of included."""
        document = Document(link=link)
        reason = refusal(link.url, spider_hosts(self.crawler.spider))
        if reason:
            document.failure = Failure(REFUSED_KIND, f"refused to fetch it: {reason}")
            return document
        try:
            # dont_filter: two reports may share an attachment, and each must get it (the URL was checked above).
            request = scrapy.Request(
                link.url, headers={"Referer": referer}, dont_filter=True, meta={ATTACHMENT_META: True}
            )
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # noqa: BLE001 - every way a download can fail becomes a recorded failure
            document.failure = failure_from_exception(exc, link.url)
            return document
        document.capture = Capture.from_response(response)
        document.filename = attachment_filename(document.capture, link.text)
        document.failure = attachment_failure(document.capture)
        return document
