"""Keep every byte the crawl received (report pages and attachments, failures included) and log its provenance."""

from __future__ import annotations

import logging

from crawler.archive import Archive, record_report
from crawler.items import ReportItem

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, archive_dir: str):
        self.archive = Archive(archive_dir)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings["ARCHIVE_DIR"])

    def open_spider(self) -> None:
        removed = self.archive.remove_leftovers()
        if removed:
            logger.info("removed %d unfinished object files of crawls that were killed", removed)

    def process_item(self, item: ReportItem) -> ReportItem:
        record_report(self.archive, item)
        return item
