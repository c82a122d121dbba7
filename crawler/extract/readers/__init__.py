"""Format readers: document bytes → ordered blocks (paragraphs and tables, see crawler.extract.blocks).

One small module per format, each with `read(data: bytes) -> list[Block]`. Kinds without a reader yet
(doc, wps, xls, xlsx, image) are refused with UnreadableDocument.
"""

from __future__ import annotations

from crawler.extract.blocks import Block, UnreadableDocument
from crawler.extract.readers import docx, html, pdf, text

READERS = {"pdf": pdf.read, "docx": docx.read, "html": html.read, "txt": text.read}


def read_blocks(data: bytes, kind: str) -> list[Block]:
    """The blocks of a document of the given kind (see crawler.extract.kinds.sniff_kind)."""
    reader = READERS.get(kind)
    if reader is None:
        raise UnreadableDocument(f"{kind} documents are not supported yet")
    return reader(data)
