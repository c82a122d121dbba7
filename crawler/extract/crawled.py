"""Extraction of what the crawl found: each readable document of a ReportItem through an extraction worker, with what
the crawl knows of the report as hints, and every way extraction can fail recorded on the document. The crawl's
pipeline (pipelines/extract.py) and `rebuild` (crawler/rebuild.py) both extract this way, so a rebuilt database has
the facts the crawl wrote."""

from __future__ import annotations

from crawler.extract.blocks import DocumentTooLarge, UnreadableDocument
from crawler.extract.worker import ExtractionError, ExtractionWorker
from crawler.items import Document, Failure, ReportItem


def report_hints(item: ReportItem) -> dict:
    """What the crawl knows of the report (title, agency, year, page URL): fills in only what a document does not
    say itself."""
    return {"title": item.title, "agency": item.agency, "year": item.year, "url": item.page_url}


def extract_report(item: ReportItem, worker: ExtractionWorker, extracted: dict | None = None) -> None:
    """Extract every fetched, not yet failed document of `item` in place. `extracted`, when given, remembers each
    result by document bytes, filename and hints, so an archive replayed sighting by sighting extracts each original
    once (extraction depends only on those)."""
    hints = report_hints(item)
    for document in item.documents:
        if document.capture is None or document.failure is not None:
            continue
        if extracted is None:
            extract_document_into(document, hints, worker)
            continue
        key = (document.sha256, document.filename, tuple(hints.items()))
        if key not in extracted:
            extract_document_into(document, hints, worker)
            extracted[key] = (document.extraction, document.kind, document.failure)
        document.extraction, document.kind, document.failure = extracted[key]


def extract_document_into(document: Document, hints: dict, worker: ExtractionWorker) -> None:
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
