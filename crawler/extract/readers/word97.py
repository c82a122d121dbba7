"""Word 97 .doc and WPS Writer .wps (OLE2 files in the Word 97 binary layout), and RTF (which sites publish as .doc):
LibreOffice converts them to .docx (crawler.extract.office, one soffice reused for every file), then the .docx
reader reads them."""

from __future__ import annotations

from crawler.extract import office
from crawler.extract.blocks import Reading
from crawler.extract.kinds import RTF_MAGIC
from crawler.extract.readers import docx


def read_doc(data: bytes) -> Reading:
    return read(data, "doc")


def read_wps(data: bytes) -> Reading:
    return read(data, "wps")


def read(data: bytes, suffix: str) -> Reading:
    """`suffix` is the file's kind (doc or wps). The import filter is named, not detected: detection imports a
    damaged Word file as plain text and reports no error."""
    import_filter = office.RTF if data.startswith(RTF_MAGIC) else office.WORD_97
    return docx.read(office.convert(data, suffix, office.DOCX, import_filter))
