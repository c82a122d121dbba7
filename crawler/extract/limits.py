"""How much one document may make extraction inflate, parse or rasterise, checked before the work starts: a small
hostile file (a zip bomb, a 200 MB page, an image declaring a billion pixels) is refused at once with
DocumentTooLarge instead of growing the process by gigabytes.

Every bound leaves a wide margin over real reports (sizes measured on replica/documents/ and
../shared/real-reports/). What gets past the bounds (a file that lies about itself, a reader's blow-up nobody
foresaw) is held by the worker process's memory ceiling and time limit (crawler.extract.worker,
EXTRACT_MEMORY_LIMIT_MB and EXTRACT_TIMEOUT in crawler/settings.py).
"""

from __future__ import annotations

import io
import zipfile

from crawler.extract.blocks import DocumentTooLarge

MB = 1024 * 1024

# Zip packages (.docx, .xlsx), judged by the sizes their central directory declares. A part cannot inflate beyond
# its declared size: Python's zipfile stops there and fails the part's CRC (tests/test_hostile_files.py holds it
# to that), so the declared sizes bound what the readers get.
# python-docx parses every XML part into a tree and the interpreter walks its paragraphs: a 64 MB document.xml took
# 42 s and 0.5 GB. The largest real one is 0.3 MB (a 5-page report with its three tables); a 100-page report with
# tables stays under 10 MB.
MAX_XML_PART_BYTES = 32 * MB
# python-docx holds every part in memory, images too. Images are stored about as large as they were downloaded,
# and a download is at most DOWNLOAD_MAXSIZE (200 MB): more than this inflated is no report.
MAX_PACKAGE_BYTES = 256 * MB
# Real parts inflate 3–35× (document.xml of the replica's reports: 30–35×); a bomb of repeated XML 300–1,000×
# (deflate's maximum is about 1,030×). Apache POI refuses more than 100× as well.
MAX_COMPRESSION_RATIO = 100
# Smaller parts are not judged by their ratio: a few KB of boilerplate XML may compress that well, and this much is
# harmless whatever its ratio.
RATIO_CHECKED_FROM_BYTES = 1 * MB

# Markup and text are parsed whole: lxml took 6 GB and 51 s for a 200 MB page (about 30 bytes per byte). A report
# page is 20–300 KB (the replica's largest: 75 KB); a page with images inlined as base64 a few MB.
MAX_HTML_BYTES = 16 * MB
MAX_TEXT_BYTES = 16 * MB  # a plain-text report is 10–20 KB

# Images for OCR, and scanned PDF pages once rasterised. OCR of a 64-million-pixel page peaked at 1.1 GB. A page
# scanned at 600 dpi is 35 million pixels, a 48-megapixel phone photo 48 million; a 150-dpi A4 page (how scanned
# PDFs are rasterised) 2.2 million.
MAX_IMAGE_PIXELS = 50_000_000


def check_size(what: str, size: int, limit: int) -> None:
    """Raise DocumentTooLarge when `what` (a page, a file, a part) is larger than `limit` bytes."""
    if size > limit:
        raise DocumentTooLarge(f"{what} is {megabytes(size)}; the limit is {megabytes(limit)}")


def check_pixels(what: str, width: int, height: int) -> None:
    """Raise DocumentTooLarge when an image of `width` × `height` pixels is more than MAX_IMAGE_PIXELS."""
    if width * height > MAX_IMAGE_PIXELS:
        raise DocumentTooLarge(f"{what} is {width} × {height} pixels ({width * height / 1e6:,.0f} million); "
                               f"the limit is {MAX_IMAGE_PIXELS / 1e6:,.0f} million")


def check_package(data: bytes) -> None:
    """Raise DocumentTooLarge when a zip package (.docx, .xlsx) declares a part that inflates too far or too much,
    or more than MAX_PACKAGE_BYTES in all. A damaged zip is left for the reader to report."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        return
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise DocumentTooLarge(
                f"zip part {member.filename} inflates {megabytes(member.compress_size)} to "
                f"{megabytes(member.file_size)} ({ratio:,.0f}×): a decompression bomb; the limit is "
                f"{MAX_COMPRESSION_RATIO}×")
        if member.filename.endswith((".xml", ".rels")):
            check_size(f"XML part {member.filename}", member.file_size, MAX_XML_PART_BYTES)
    check_size("the zip package inflated", sum(member.file_size for member in members), MAX_PACKAGE_BYTES)


def megabytes(size: int) -> str:
    return f"{size / MB:,.1f} MB"
