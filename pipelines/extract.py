"""Extract text and table facts from each fetched document (crawler.extract.crawled), in an extraction worker process
under a memory ceiling and a time limit (settings EXTRACT_MEMORY_LIMIT_MB, EXTRACT_TIMEOUT), off the crawl's event
loop."""

from __future__ import annotations

import asyncio

from crawler.extract import ExtractionWorker, shared_worker
from crawler.extract.crawled import extract_report
from crawler.items import ReportItem


class ExtractPipeline:
    def __init__(self, worker: ExtractionWorker):
        self.worker = worker

    @classmethod
    def from_crawler(cls, crawler):
        # Every spider of the crawl process shares the worker: one OCR engine and one soffice serve them all.
        return cls(shared_worker(crawler.settings.getint("EXTRACT_MEMORY_LIMIT_MB"),
                                 crawler.settings.getfloat("EXTRACT_TIMEOUT")))

    async def process_item(self, item: ReportItem) -> ReportItem:
        await asyncio.to_thread(extract_report, item, self.worker)
        return item
