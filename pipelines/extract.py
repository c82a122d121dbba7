"""Extract text and table facts from each fetched document (crawler.extract), off the crawl's event loop."""

from __future__ import annotations

import asyncio

from crawler.extract import DocumentTooLarge, UnreadableDocument, extract_document
from crawler.items import Document, Failure, ReportItem


def extract_into(document: Document, hints: dict) -> None:
    """Fill `document.extraction` (and `kind`), or record why the document could not be read."""
    try:
        document.extraction = extract_document(document.capture.body, document.filename, hints)
    except DocumentTooLarge as exc:
        document.failure = Failure("too_large", str(exc))
        return
    except UnreadableDocument as exc:
        document.failure = Failure("unreadable", str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - an extractor bug must not stop the crawl; it is recorded instead
        document.failure = Failure("extraction_error", f"{type(exc).__name__}: {exc}")
        return
    document.kind = document.extraction["source"]["kind"]


class ExtractPipeline:
    async def process_item(self, item: ReportItem) -> ReportItem:
        hints = {"title": item.title, "agency": item.agency, "year": item.year, "url": item.page_url}
        for document in item.documents:
            if document.capture is not None and document.failure is None:
                await asyncio.to_thread(extract_into, document, hints)
        return item
