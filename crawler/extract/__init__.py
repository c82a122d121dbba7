"""Extraction: document bytes in, the annual-report contract (../shared/report-format/README.md) out.

Public interface (used by the CLI, the pipelines and `make bench`):

    extract_document(data: bytes, filename: str | None = None, hints: dict | None = None) -> dict
    extract_path(path) -> dict
    ExtractionWorker(memory_limit_mb, timeout).extract(data, filename, hints) -> dict  # the same, in a worker process
    shared_worker(memory_limit_mb, timeout) -> this process's ExtractionWorker for those limits
    extract_many(paths, memory_limit_mb=…, timeout=…, workers=None) -> iterator of (path, dict or one-line error)
    UnreadableDocument  # raised when the bytes are not a readable document at all
    DocumentTooLarge  # an UnreadableDocument: the document exceeds a bound (limits.py) or the memory ceiling
    ExtractionError  # raised by a worker for any other error: a reader's bug

How: kinds.sniff_kind tells the format from magic bytes; one small reader per format (readers/: pdf with OCR of
scanned pages, docx, doc/wps through LibreOffice, xlsx/xls, images through OCR, html, txt) turns the bytes into
ordered blocks, paragraphs and tables expanded to their grids (blocks.py); one format-independent interpreter turns
the blocks into sections (sections.py), title/agency/year (metadata.py) and table facts (tables.py); checks.py
tests the facts; document.py puts the contract object together. office.py keeps one LibreOffice per process for
the conversions. vocabulary.py reads vocabulary.json: the fact tables and keys, labels, templates and checks.
limits.py bounds what a document may make the readers inflate, parse or rasterise; worker.py runs extraction in a
process of its own under a memory ceiling and a time limit, which is how the crawl, a rebuild and the CLI call it.
"""

from crawler.extract.batch import extract_many
from crawler.extract.blocks import DocumentTooLarge, UnreadableDocument
from crawler.extract.document import extract_document, extract_path
from crawler.extract.worker import ExtractionError, ExtractionWorker, shared_worker

__all__ = ["DocumentTooLarge", "ExtractionError", "ExtractionWorker", "UnreadableDocument", "extract_document",
           "extract_many", "extract_path", "shared_worker"]
