"""Decide what kind of document some bytes are, from their content (magic bytes), not from the file name."""

from __future__ import annotations

import io
import re
import zipfile

import olefile

from crawler.extract import limits
from crawler.extract.blocks import UnreadableDocument
from crawler.text import decode_chinese, first_line

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"  # Word saves RTF under .doc names too; LibreOffice reads it like a .doc
IMAGE_MAGICS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
_HTML_SNIFF_BYTES = 65536  # a page's <head> can carry tens of KB of inline script before the first visible tag
# What may come before a page's first tag: whitespace, comments, an XML declaration.
_MARKUP_PREAMBLE = re.compile(rb"(?:\s+|<!--.*?-->|<\?xml[^>]*>)*", re.DOTALL)
# A page, or a fragment of one (a CMS's article body: "<div class=…>…</div>"), has one of these tags.
_HTML_TAG = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p)[\s/>]", re.IGNORECASE)
# Text that does not open with markup is a page only if it holds a page's skeleton: a text mentioning a tag in
# passing does not have both of these.
_DOCUMENT_OPENING = re.compile(rb"<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)
_DOCUMENT_PART = re.compile(rb"<(?:head|body)[\s>]", re.IGNORECASE)


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
    if is_html(data):
        return "html"
    # Judged on no more than the text reader accepts: it refuses a larger file anyway, and decoding 200 MB twice to
    # find out costs seconds and gigabytes.
    if decode_chinese(data[: limits.MAX_TEXT_BYTES]) is not None:
        return "txt"
    raise UnreadableDocument("not a document: neither PDF, Word, HTML nor text")


def is_html(data: bytes) -> bool:
    """Whether `data` is a web page or a fragment of one: after a BOM, whitespace and comments it opens with a tag
    and has an HTML tag in its first _HTML_SNIFF_BYTES, or it holds a page's skeleton (<html> and <head>/<body>)."""
    head = data[:_HTML_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")
    start = _MARKUP_PREAMBLE.match(head).end()
    if head[start : start + 1] == b"<" and _HTML_TAG.search(head, start):
        return True
    return bool(_DOCUMENT_OPENING.search(head) and _DOCUMENT_PART.search(head))


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
    """Word or Excel by the streams at the compound file's root: an embedded object's streams sit in storages
    below it, and the document's text may spell any stream name."""
    try:
        with olefile.OleFileIO(data) as ole:
            root = {path[0] for path in ole.listdir(streams=True, storages=False) if len(path) == 1}
    except Exception as exc:  # noqa: BLE001 - olefile raises OSError, struct.error, IndexError… on damage
        raise UnreadableDocument(f"corrupt OLE compound file: {first_line(exc)}")
    if "WordDocument" in root:
        return "wps" if filename and filename.lower().endswith(".wps") else "doc"
    if root & {"Workbook", "Book"}:  # Book: Excel 5/95
        return "xls"
    raise UnreadableDocument("OLE compound file that is neither a Word nor an Excel document")
