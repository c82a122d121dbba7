"""Write each report, its documents, failures and extracted facts into the SQLite database."""

from __future__ import annotations

from crawler.database import ReportDatabase, database_path
from crawler.items import ReportItem


class DatabasePipeline:
    def __init__(self, path: str):
        self.path = path
        self.db: ReportDatabase | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(database_path(crawler.settings))

    def open_spider(self) -> None:
        self.db = ReportDatabase(self.path)

    def close_spider(self) -> None:
        self.db.close()

    def process_item(self, item: ReportItem) -> ReportItem:
        self.db.save_report(item)
        return item
