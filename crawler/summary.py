"""A crawl summary per spider: reports found, the bodies that published them (a portal's dozens of agencies), files
fetched, failures by kind — logged, printed and stored.

A spider's row in `crawl_runs` is written when it starts (finish_reason `running`) and completed when it closes, so a
run that was killed shows as such (`killed`, once a later run finds its process gone). An operator whose nightly job
runs unattended reads this, or the `crawl_runs` table, to see what broke;
`python -m crawler crawl` exits non-zero when a spider found no report at all.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from collections.abc import Iterator

from scrapy import signals

from crawler.database import ReportDatabase, database_path
from crawler.items import ReportItem, utc_now


def page_failures(stats: dict) -> Counter:
    """Failures of list and detail pages by kind (attachment failures are counted from the items): those
    crawler.middlewares.PageFailureMiddleware recorded, and errors of the spider's own code."""
    failures = Counter()
    for key, count in stats.items():
        if key.startswith("page_failures/"):
            failures[f"page_{key.split('/', 1)[1]}"] += count
        elif key.startswith("spider_exceptions/"):
            failures[f"spider_error_{key.rsplit('/', 1)[1]}"] += count
    return failures


class CrawlSummary:
    def __init__(self, crawler):
        self.crawler = crawler
        self.started_at = utc_now()
        self.reports = 0
        self.bodies: set[tuple[str, str]] = set()  # (agency, unit code) of the reports found
        self.documents = 0
        self.documents_failed = 0
        self.failures: Counter = Counter()
        self.run_id: int | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        with self._database() as database:
            self.run_id = database.start_crawl_run(spider.name, self.started_at, os.getpid())

    def item_scraped(self, item) -> None:
        if not isinstance(item, ReportItem):
            return
        self.reports += 1
        self.bodies.add((item.agency, item.unit_code))
        for document in item.documents:
            if document.role == "attachment":
                self.documents += 1
                self.documents_failed += document.failure is not None
            if document.failure:
                prefix = "" if document.role == "attachment" else f"{document.role}_"
                self.failures[prefix + document.failure.kind] += 1

    def summary(self, spider_name: str, reason: str) -> dict:
        stats = self.crawler.stats.get_stats()
        failures = self.failures + page_failures(stats)
        return {
            "spider": spider_name,
            "started_at": self.started_at,
            "finished_at": utc_now(),
            "finish_reason": reason,
            "reports": self.reports,
            "bodies": len(self.bodies),
            "documents": self.documents,
            "documents_failed": self.documents_failed,
            "failures": dict(sorted(failures.items())),
            "failed_pages": stats.get("page_failures", []),
        }

    def spider_closed(self, spider, reason: str) -> None:
        summary = self.summary(spider.name, reason)
        self.crawler.stats.set_value("summary", summary)
        spider.logger.info("crawl summary: %s", json.dumps(summary, ensure_ascii=False))
        with self._database() as database:
            database.finish_crawl_run(self.run_id, summary)

    @contextlib.contextmanager
    def _database(self) -> Iterator[ReportDatabase]:
        database = ReportDatabase(database_path(self.crawler.settings))
        try:
            yield database
        finally:
            database.close()
