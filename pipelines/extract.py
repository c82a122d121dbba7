"""Extract text and table facts from each fetched document (crawler.extract), in an extraction worker process under
a memory ceiling and a time limit (settings EXTRACT_MEMORY_LIMIT_MB, EXTRACT_TIMEOUT), off the crawl's event loop."""

from __future__ import annotations

import asyncio

from crawler.extract import DocumentTooLarge, ExtractionError, ExtractionWorker, UnreadableDocument, shared_worker
from crawler.items import Document, Failure, ReportItem


def extract_into(document: Document, hints: dict, worker: ExtractionWorker) -> None:
    """Fill `document.extraction` (and `kind`) by `worker`, or record why the document could not be read."""
    try:
        document.extraction = worker.extract(document.capture.body, document.filename, hints)
    except DocumentTooLarge as exc:
        document.failure = Failure("too_large", str(exc))
        return
    except UnreadableDocument as exc:
        document.failure = Failure("unreadable", str(exc))
        return
    except ExtractionError as exc:  # an extractor bug must not stop the crawl; it is recorded instead
        document.failure = Failure("extraction_error", str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - the worker could not start: recorded too, so the report is not dropped
        document.failure = Failure("extraction_error", f"{type(exc).__name__}: {exc}")
        return
    document.kind = document.extraction["source"]["kind"]


class ExtractPipeline:
    def __init__(self, worker: ExtractionWorker):
        self.worker = worker

    @classmethod
    def from_crawler(cls, crawler):
        # Every spider of the crawl process shares the worker: one OCR engine and one soffice serve them all.
        return cls(shared_worker(crawler.settings.getint("EXTRACT_MEMORY_LIMIT_MB"),
                                 crawler.settings.getfloat("EXTRACT_TIMEOUT")))

    async def process_item(self, item: ReportItem) -> ReportItem:
        hints = {"title": item.title, "agency": item.agency, "year": item.year, "url": item.page_url}
        for document in item.documents:
            if document.capture is not None and document.failure is None:
                await asyncio.to_thread(extract_into, document, hints, self.worker)
        return item
