"""Extraction: document bytes in, the annual-report contract (../shared/report-format/README.md) out.

Public interface (used by the CLI and the pipelines):

    extract_document(data: bytes, filename: str | None = None, hints: dict | None = None) -> dict
    extract_path(path) -> dict
    UnreadableDocument  # raised when the bytes are not a readable document at all

How: kinds.sniff_kind tells the format from magic bytes; one small reader per format (readers/: pdf, docx, html,
txt) turns the bytes into ordered blocks, paragraphs and tables expanded to their grids (blocks.py); one
format-independent interpreter turns the blocks into sections (sections.py), title/agency/year (metadata.py) and
table facts (tables.py); checks.py tests the facts; document.py puts the contract object together.
compare.compare_facts scores an extraction against a hand-checked expected.json.
"""

from crawler.extract.blocks import UnreadableDocument
from crawler.extract.document import extract_document, extract_path

__all__ = ["UnreadableDocument", "extract_document", "extract_path"]
