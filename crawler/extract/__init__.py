"""Extraction: document bytes in, the annual-report contract (../shared/report-format/README.md) out.

Public interface (used by the CLI, the pipelines and `make bench`):

    extract_document(data: bytes, filename: str | None = None, hints: dict | None = None) -> dict
    extract_path(path) -> dict
    extract_many(paths, workers=None) -> iterator of (path, dict or one-line error), on a process pool
    UnreadableDocument  # raised when the bytes are not a readable document at all

How: kinds.sniff_kind tells the format from magic bytes; one small reader per format (readers/: pdf with OCR of
scanned pages, docx, doc/wps through LibreOffice, xlsx/xls, images through OCR, html, txt) turns the bytes into
ordered blocks, paragraphs and tables expanded to their grids (blocks.py); one format-independent interpreter turns
the blocks into sections (sections.py), title/agency/year (metadata.py) and table facts (tables.py); checks.py
tests the facts; document.py puts the contract object together. office.py keeps one LibreOffice per process for
the conversions. vocabulary.py reads vocabulary.json: the fact tables and keys, labels, templates and checks.
"""

from crawler.extract.batch import extract_many
from crawler.extract.blocks import UnreadableDocument
from crawler.extract.document import extract_document, extract_path

__all__ = ["UnreadableDocument", "extract_document", "extract_many", "extract_path"]
