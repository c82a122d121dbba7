"""Format readers: document bytes → a Reading: ordered blocks (paragraphs and tables, see crawler.extract.blocks)
and the reader's warnings.

One small module per format, each with `read(data: bytes) -> Reading`: pdf (text layer, scanned pages through
ocr), docx, word97 (doc and wps through LibreOffice, then docx), spreadsheet (xlsx, xls), image (OCR), html, text.
"""

from __future__ import annotations

from functools import partial

from crawler.extract.blocks import Reading
from crawler.extract.readers import docx, html, image, pdf, spreadsheet, text, word97

READERS = {
    "pdf": pdf.read,
    "docx": docx.read,
    "doc": partial(word97.read, suffix="doc"),
    "wps": partial(word97.read, suffix="wps"),
    "xlsx": spreadsheet.read_xlsx,
    "xls": spreadsheet.read_xls,
    "image": image.read,
    "html": html.read,
    "txt": text.read,
}


def read_document(data: bytes, kind: str) -> Reading:
    """The blocks of a document of the given kind (see crawler.extract.kinds.sniff_kind)."""
    return READERS[kind](data)
