"""Decide what kind of document some bytes are, from their content (magic bytes), not from the file name."""

from __future__ import annotations

import io
import re
import zipfile

from crawler.extract.blocks import UnreadableDocument

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"  # Word saves RTF under .doc names too; LibreOffice reads it like a .doc
IMAGE_MAGICS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
# A page, or a fragment of one (a CMS's article body: "<div class=…>…</div>"), opens with a tag and closes some.
_TAG_START = re.compile(rb"^\s*<[!a-zA-Z]")
_HTML_CLOSING_TAG = re.compile(rb"</(html|body|head|div|p|span|table|td|section|article|h[1-6])\s*>", re.IGNORECASE)


def sniff_kind(data: bytes, filename: str | None = None) -> str:
    """The document kind of `data`: pdf, docx, xlsx, doc (Word 97 or RTF), wps, xls, html, image or txt.

    `filename` only separates kinds that share a container and cannot be told apart cheaply by content
    (an OLE file is a .doc, a .wps or an .xls). Raises UnreadableDocument for bytes that are no document.
    """
    if not data:
        raise UnreadableDocument("empty file")
    # Some producers put junk before the header; readers accept the header anywhere in the first KiB too.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data, filename)
    if data.startswith(RTF_MAGIC):
        return "doc"
    if data.startswith(IMAGE_MAGICS):
        return "image"
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _TAG_START.match(head) and _HTML_CLOSING_TAG.search(head):
        return "html"
    if decode_text(data) is not None:
        return "txt"
    raise UnreadableDocument("not a document: neither PDF, Word, HTML nor text")


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableDocument(f"corrupt zip container: {exc}") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise UnreadableDocument("zip archive that is neither a Word nor an Excel document")


def _ole_kind(data: bytes, filename: str | None) -> str:
    # Stream names are stored as UTF-16 in the OLE directory, so a byte search finds them without a parser.
    if "Workbook".encode("utf-16-le") in data:
        return "xls"
    if "WordDocument".encode("utf-16-le") not in data:
        raise UnreadableDocument("OLE compound file that is neither a Word nor an Excel document")
    return "wps" if filename and filename.lower().endswith(".wps") else "doc"


def decode_text(data: bytes) -> str | None:
    """`data` as text (UTF-8, else GB18030), or None when it is binary rather than text.

    A few undecodable bytes (a damaged download) become U+FFFD; more than 1% of them, or of control characters,
    means the bytes are not text in that encoding.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        text = data.decode(encoding, errors="replace")
        unreadable = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f") or ch == "\ufffd")
        if unreadable <= len(text) // 100:
            return text
    return None
