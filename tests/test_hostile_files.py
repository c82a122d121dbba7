"""Hostile files: decompression bombs, oversized and malformed inputs. Each is extracted the way the crawl extracts
it (crawler.extract.crawled.extract_document_into, in a worker process under a memory ceiling and a time limit), so a regression
costs the test a worker, never the machine; each is recorded as too_large or unreadable with a one-line message,
and the next document still extracts. The inputs are made here, streamed: the bombs are small files, and the test
process never holds what they inflate to."""

from __future__ import annotations

import io
import os
import signal
import struct
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from lxml import etree
from scrapy.settings import Settings

from crawler.__main__ import main
from crawler.extract import ExtractionError, ExtractionWorker, UnreadableDocument, extract_many, limits
from crawler.items import AttachmentLink, Capture, Document, Failure
from crawler.extract.crawled import extract_document_into
from pipelines.extract import ExtractPipeline
from tests.test_extract_bad_input import ZHANGDIAN_HTML, ZIBO_GXQ_DOC, pdf_of
from tests.test_extract_units import TEMPLATE_DOCX

MEMORY_LIMIT_MB = 1024  # no test's extraction may take more than this
TIMEOUT = 60  # seconds: none may take longer
SMALL_CEILING_MB = 200  # a started worker holds ~120 MB: room for a small report, not for an 11 MB page
W_NAMESPACE = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PARAGRAPH = "<w:p><w:r><w:t>二、主动公开政府信息情况 本机关全年主动公开政府信息。</w:t></w:r></w:p>".encode()


@pytest.fixture(scope="module")
def worker() -> Iterator[ExtractionWorker]:
    worker = ExtractionWorker(MEMORY_LIMIT_MB, TIMEOUT)
    yield worker
    worker.close()


def extracted(worker: ExtractionWorker, data: bytes, filename: str) -> Document:
    """The document as the crawl's extract pipeline leaves it: extraction filled in, or failure recorded."""
    url = f"http://example.gov.cn/{filename}"
    document = Document(link=AttachmentLink(url, filename), filename=filename,
                        capture=Capture(url, url, 200, {}, data, "2024-01-01T00:00:00+00:00"))
    extract_document_into(document, {"title": None, "agency": None, "year": None, "url": None}, worker)
    return document


def assert_extracts(worker: ExtractionWorker) -> None:
    """The worker (or the fresh one replacing it) still extracts a report."""
    document = extracted(worker, ZHANGDIAN_HTML.read_bytes(), ZHANGDIAN_HTML.name)
    assert document.failure is None and document.extraction["year"] == 2023


def zip_replacing(package: bytes, name: str, chunks: Iterable[bytes], level: int = 6) -> bytes:
    """`package` with part `name` replaced by the concatenated `chunks`, compressed as they come."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        with target.open(name, "w") as part:
            for chunk in chunks:
                part.write(chunk)
    return buffer.getvalue()


def docx_with_body(paragraphs: Iterable[bytes]) -> bytes:
    """The template report with its body replaced by `paragraphs` (streamed)."""
    def document_xml():
        yield b'<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>' % W_NAMESPACE
        yield from paragraphs
        yield b"</w:body></w:document>"

    return zip_replacing(TEMPLATE_DOCX, "word/document.xml", document_xml())


def repeated(chunk: bytes, total_bytes: int) -> Iterator[bytes]:
    """`chunk` repeated in 1 MB pieces up to about `total_bytes`."""
    piece = chunk * (2**20 // len(chunk))
    for _ in range(total_bytes // len(piece)):
        yield piece


def declaring_size(package: bytes, name: str, size: int) -> bytes:
    """`package` whose central directory declares part `name` `size` bytes long, whatever it inflates to."""
    data = bytearray(package)
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, entry + 24, size)  # uncompressed size
            return bytes(data)
        entry = data.find(b"PK\x01\x02", entry + 46)
    raise KeyError(name)


def png_header(width: int, height: int) -> bytes:
    """A greyscale PNG declaring `width` × `height` pixels, with the first row of pixel data only."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    first_row = zlib.compress(bytes(width + 1))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", first_row) + chunk(b"IEND", b""))


def report_table_page(rows: int) -> bytes:
    """A report page whose table has `rows` rows: about 30 bytes a row."""
    return (b"<html><body><div class='TRS_Editor'><p>" + "一、总体情况".encode() + b"</p><table>"
            + b"<tr><td>a</td><td>1</td></tr>" * rows + b"</table></div></body></html>")


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    """The issue's bomb: a 3.5 MB .docx whose document.xml inflates to 1 GB."""
    return docx_with_body(repeated(PARAGRAPH, 2**30))


def test_docx_zip_bomb_is_too_large_before_anything_inflates(worker, docx_bomb):
    part = zipfile.ZipFile(io.BytesIO(docx_bomb)).getinfo("word/document.xml")
    assert len(docx_bomb) < 4 * 2**20
    started = time.monotonic()
    assert extracted(worker, docx_bomb, "bomb.docx").failure == Failure(
        "too_large", f"zip part word/document.xml inflates {limits.megabytes(part.compress_size)} to 1,024.0 MB "
                     f"({part.file_size / part.compress_size:.0f}×): a decompression bomb; the limit is 100×")
    assert time.monotonic() - started < 10
    assert_extracts(worker)


def test_truncated_bomb_is_unreadable(worker, docx_bomb):
    assert extracted(worker, docx_bomb[: len(docx_bomb) // 2], "bomb.docx").failure == Failure(
        "unreadable", "corrupt zip container: File is not a zip file")


def test_docx_whose_document_xml_is_over_the_limit_is_too_large(worker):
    """42 MB of numbered paragraphs compress 20×: no bomb, but more XML than any report has."""
    paragraphs = (PARAGRAPH.replace("本机关".encode(), b"%08d" % (number * 7919 % 10**8)) for number in range(400_000))
    data = docx_with_body(paragraphs)
    part = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    assert len(data) < 4 * 2**20 and part.file_size / part.compress_size < limits.MAX_COMPRESSION_RATIO
    assert extracted(worker, data, "long.docx").failure == Failure(
        "too_large", f"XML part word/document.xml is {limits.megabytes(part.file_size)}; the limit is 32.0 MB")


def test_xlsx_zip_bomb_is_too_large(worker):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "某局2021年政府信息公开工作年度报告"
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = '<row><c t="inlineStr"><is><t>规章</t></is></c><c><v>3</v></c></row>'.encode()

    def sheet_xml():
        yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        yield from repeated(row, 256 * 2**20)
        yield b"</sheetData></worksheet>"

    data = zip_replacing(buffer.getvalue(), "xl/worksheets/sheet1.xml", sheet_xml())
    failure = extracted(worker, data, "bomb.xlsx").failure
    assert failure.kind == "too_large"
    assert failure.message.startswith("zip part xl/worksheets/sheet1.xml inflates ")
    assert failure.message.endswith(": a decompression bomb; the limit is 100×")


def test_zip_part_that_lies_about_its_size_inflates_no_further_than_it_says(worker):
    """The central directory says 100 KB; the data inflates to 128 MB. zipfile stops at the declared size and fails
    the part's CRC: the declared sizes limits.py checks are what the readers get."""
    data = declaring_size(docx_with_body(repeated(PARAGRAPH, 128 * 2**20)), "word/document.xml", 100_000)
    started = time.monotonic()
    assert extracted(worker, data, "liar.docx").failure == Failure(
        "unreadable", "corrupt Word document: Bad CRC-32 for file 'word/document.xml'")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(("filename", "line", "what"), [
    ("huge.html", "<p>一、总体情况</p><table><tr><td>规章</td><td>3</td></tr></table>\n".encode(), "the HTML page"),
    ("huge.txt", "一、总体情况\n规章\t3\t0\t11\n".encode(), "the text file"),
])
def test_page_or_text_over_the_limit_is_too_large(worker, filename, line, what):
    data = line * (17 * 2**20 // len(line))  # 17 MB: made whole, not streamed
    assert extracted(worker, data, filename).failure == Failure(
        "too_large", f"{what} is {limits.megabytes(len(data))}; the limit is 16.0 MB")


def test_deeply_nested_html_is_read_in_bounded_time(worker):
    data = b"<html><body>" + b"<div>" * 200_000 + "一、总体情况".encode() + b"</div>" * 200_000 + b"</body></html>"
    document = extracted(worker, data, "nested.html")
    assert document.failure is None and document.kind == "html"


@pytest.mark.parametrize(("document_xml", "message"), [
    (b"<w:document %s><w:body>" % W_NAMESPACE + b"<w:sdt><w:sdtContent>" * 10_000
     + b"</w:sdtContent></w:sdt>" * 10_000 + b"</w:body></w:document>",
     "corrupt Word document: Excessive depth in document: 256"),
    (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a0 "lollollollollol">'
     + b"".join(b'<!ENTITY a%d "%s">' % (n, b"&a%d;" % (n - 1) * 10) for n in range(1, 10))
     + b"]><w:document %s><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>" % W_NAMESPACE,
     "corrupt Word document: Maximum entity amplification factor exceeded"),
], ids=["deeply-nested", "billion-laughs"])
def test_hostile_word_xml_is_unreadable(worker, document_xml, message):
    failure = extracted(worker, zip_replacing(TEMPLATE_DOCX, "word/document.xml", [document_xml]), "x.docx").failure
    assert failure.kind == "unreadable" and failure.message.startswith(message) and "\n" not in failure.message


@pytest.mark.parametrize(("width", "height", "message"), [
    (10_000, 6_000, "the image is 10000 × 6000 pixels (60 million); the limit is 50 million"),
    (100_000, 100_000, "the image is too large to open: Image size (10000000000 pixels) exceeds limit of 178956970 "
                       "pixels, could be decompression bomb DOS attack."),
], ids=["over-our-limit", "over-pillows-limit"])
def test_image_declaring_enormous_dimensions_is_too_large(worker, width, height, message):
    assert extracted(worker, png_header(width, height), "scan.png").failure == Failure("too_large", message)


def test_scanned_pdf_page_too_large_to_render_is_too_large(worker):
    """One 5 × 5 m page holding a 1-pixel image: pdftoppm would render 900 million pixels for OCR."""
    drawing = b"q 14400 0 0 14400 0 0 cm /Im0 Do Q"
    data = pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing),
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Length 1 >>\nstream\n\x80\nendstream",
    ])
    assert extracted(worker, data, "poster.pdf").failure == Failure(
        "too_large", "page 1 rendered at 150 dpi for OCR is 30000 × 30000 pixels (900 million); the limit is 50 "
                     "million")


def test_pdf_declaring_a_billion_pages_reads_the_one_it_has(worker):
    text = b"BT /F1 12 Tf 72 760 Td (Hello) Tj ET"
    data = pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])
    document = extracted(worker, data, "short.pdf")
    assert document.failure is None and document.extraction["warnings"] == ["no statistical tables found"]


def test_document_outgrowing_the_memory_ceiling_is_too_large_and_the_next_extracts():
    """An 11 MB page is within the HTML limit, but parsing it takes more than a small ceiling: libxml2's refused
    allocation is recorded as too_large, and a fresh worker reads the next document."""
    worker = ExtractionWorker(SMALL_CEILING_MB, TIMEOUT)
    try:
        assert_extracts(worker)
        assert extracted(worker, report_table_page(400_000), "big.html").failure == Failure(
            "too_large", f"extraction needed more than its memory ceiling of {SMALL_CEILING_MB} MB")
        assert_extracts(worker)
    finally:
        worker.close()


def allocate_unless_report(path: Path) -> dict:
    """A test-only extraction: a file named hungry* allocates memory without end (a reader's blow-up)."""
    if path.name.startswith("hungry"):
        hoard = []
        while True:
            hoard.append(bytearray(2**20))
    return {"file": path.name}


def test_batch_goes_on_past_a_file_that_outgrows_the_memory_ceiling(tmp_path):
    names = ["a.html", "hungry.html", "b.html", "c.html"]
    for name in names:
        (tmp_path / name).write_bytes(b"<p>report</p>")
    results = list(extract_many([tmp_path / name for name in names], memory_limit_mb=SMALL_CEILING_MB,
                                timeout=TIMEOUT, workers=1, extract=allocate_unless_report))
    assert results == [(tmp_path / "a.html", {"file": "a.html"}),
                       (tmp_path / "hungry.html", f"extraction needed more than its memory ceiling of "
                                                  f"{SMALL_CEILING_MB} MB"),
                       (tmp_path / "b.html", {"file": "b.html"}), (tmp_path / "c.html", {"file": "c.html"})]


def test_document_overrunning_the_time_limit_is_stopped_and_the_next_extracts():
    worker = ExtractionWorker(MEMORY_LIMIT_MB, 2)
    try:
        with pytest.raises(UnreadableDocument, match=r"^extraction did not finish within 2 s; stopped it$"):
            worker.run(time.sleep, 30)
        worker.timeout = TIMEOUT
        assert_extracts(worker)
    finally:
        worker.close()


def crash(path) -> dict:
    """A test-only extraction that crashes as a native library does."""
    os.kill(os.getpid(), signal.SIGSEGV)


def test_document_crashing_its_worker_is_unreadable_and_the_next_extracts(worker):
    with pytest.raises(UnreadableDocument) as raised:
        worker.run(crash, "any")
    assert str(raised.value) == ("extraction killed its worker process (SIGSEGV: a crash in a native library, or out "
                                 "of memory)")
    assert_extracts(worker)


def parse_broken_xml(path) -> dict:
    """A test-only extraction failing with an error that cannot be pickled (lxml's carry their error log)."""
    return etree.fromstring(b"<a")


def test_reader_error_comes_back_in_one_line_though_it_cannot_travel(worker):
    with pytest.raises(ExtractionError, match=r"^XMLSyntaxError: Couldn't find end of Start Tag a") as raised:
        worker.run(parse_broken_xml, "any")
    assert "\n" not in str(raised.value)
    assert_extracts(worker)


def test_libreoffice_started_by_the_worker_has_its_memory_ceiling(worker):
    assert extracted(worker, ZIBO_GXQ_DOC.read_bytes(), ZIBO_GXQ_DOC.name).failure is None
    pipe = f"extract_office_{worker.pid}_"
    soffice = [pid for pid in os.listdir("/proc") if pid.isdigit() and pipe.encode() in _cmdline(pid)]
    assert soffice
    for pid in soffice:
        data_limit = next(line for line in Path(f"/proc/{pid}/limits").read_text().splitlines()
                          if line.startswith("Max data size"))
        assert data_limit.split()[3:5] == [str(MEMORY_LIMIT_MB * 2**20)] * 2


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # ended meanwhile
        return b""


def test_crawl_settings_set_the_limits():
    crawler = SimpleNamespace(settings=Settings({"EXTRACT_MEMORY_LIMIT_MB": 300, "EXTRACT_TIMEOUT": 7}))
    pipeline = ExtractPipeline.from_crawler(crawler)
    assert (pipeline.worker.memory_limit_mb, pipeline.worker.timeout) == (300, 7)


def test_cli_reports_a_document_outgrowing_its_memory_limit(tmp_path, capsys):
    page = tmp_path / "big.html"
    page.write_bytes(report_table_page(400_000))
    assert main(["extract", "--memory-limit", str(SMALL_CEILING_MB), str(page)]) == 1
    assert capsys.readouterr() == ("", f"error: {page}: extraction needed more than its memory ceiling of "
                                       f"{SMALL_CEILING_MB} MB\n")
