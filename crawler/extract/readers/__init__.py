"""Format readers: document bytes → a Reading: ordered blocks (paragraphs and tables, see crawler.extract.blocks)
and the reader's warnings.

One small module per format, each with `read(data: bytes) -> Reading`: pdf (text layer, scanned pages through
ocr), docx, word97 (doc and wps through LibreOffice, then docx), spreadsheet (xlsx, xls), image (OCR), html, text.
"""

from __future__ import annotations

import importlib

from crawler.extract.blocks import Reading
from crawler.extract.kinds import KINDS


def _reader(name: str):
    module, function = name.split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)


READERS = {kind.name: _reader(kind.reader) for kind in KINDS.values()}


def read_document(data: bytes, kind: str) -> Reading:
    """The blocks of a document of the given kind (see crawler.extract.kinds.sniff_kind)."""
    return READERS[kind](data)
