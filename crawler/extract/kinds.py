"""The kinds of document the archive reads, in one registry, and how to tell which kind some bytes are: from their
content (magic bytes), not from the file name.

A kind's entry says everything the project needs to know of it: the bytes it starts with, the file name endings of
links to it, the Content-Type to serve an original with when its server named none, which reader reads it, and how
faithful its facts are next to the same report in another format. A new format is one entry here and one reader.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import olefile

from crawler.extract import limits
from crawler.extract.blocks import UnreadableDocument
from crawler.text import decode_chinese, first_line


@dataclass(frozen=True)
class Kind:
    name: str
    reader: str  # "module:function" in crawler.extract.readers: bytes → Reading
    # Facts come from the most faithful format a report offers (crawler.reports.facts_source): lower first. Word
    # keeps the table grid as written; .doc/.wps go through a conversion; a page's HTML is often a lossy copy of an
    # attachment; PDF loses the grid to positions; OCR guesses.
    preference: int
    magic: tuple[bytes, ...] = ()  # what the bytes start with, for kinds that have their own signature
    # Endings of a link's path (or query) that lead to a document of this kind: how a page's attachments are found.
    link_extensions: tuple[str, ...] = ()
    content_type: str | None = None  # to serve an original whose server sent none (None: unknown, served as bytes)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .wps and .xls: looked into by _ole_kind
ZIP_MAGIC = b"PK\x03\x04"  # the container of .docx and .xlsx: looked into by _zip_kind
RTF_MAGIC = b"{\\rtf"  # Word saves RTF under .doc names too; LibreOffice reads it like a .doc

KINDS = {
    kind.name: kind
    for kind in [
        Kind("docx", "docx:read", 0, link_extensions=("docx",),
             content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        Kind("xlsx", "spreadsheet:read_xlsx", 1, link_extensions=("xlsx",),
             content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        # .et: WPS Spreadsheets, saved in Excel's binary layout.
        Kind("xls", "spreadsheet:read_xls", 1, link_extensions=("xls", "et"), content_type="application/vnd.ms-excel"),
        Kind("doc", "word97:read_doc", 2, magic=(RTF_MAGIC,), link_extensions=("doc",),
             content_type="application/msword"),
        Kind("wps", "word97:read_wps", 2, link_extensions=("wps",)),
        Kind("html", "html:read", 3, content_type="text/html"),
        # Some producers put junk before the header: "%PDF-" is looked for in the first KiB, not only at the start.
        Kind("pdf", "pdf:read", 4, magic=(b"%PDF-",), link_extensions=("pdf",), content_type="application/pdf"),
        Kind("txt", "text:read", 5, content_type="text/plain"),
        Kind("image", "image:read", 6,
             magic=(b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")),
    ]
}
LINK_EXTENSIONS = tuple(extension for kind in KINDS.values() for extension in kind.link_extensions)
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
    if any(magic in data[:1024] for magic in KINDS["pdf"].magic):
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data, filename)
    for kind in ("doc", "image"):
        if data.startswith(KINDS[kind].magic):
            return kind
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
