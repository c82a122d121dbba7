"""Bad input: every file gives a one-line UnreadableDocument, or a partial result with warnings, in bounded time
(no hang, no traceback), and a batch goes on past it. The inputs are made here."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import signal
import struct
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlwt
from PIL import Image, ImageDraw, ImageFont

from crawler.__main__ import main
from crawler.extract import (ExtractionError, ExtractionWorker, UnreadableDocument, extract_document, extract_many,
                             extract_path)
from crawler.extract.kinds import OLE_MAGIC
from crawler.extract.office import DOCX, Office, office
from crawler.extract.readers import pdf
from crawler.settings import EXTRACT_MEMORY_LIMIT_MB, EXTRACT_TIMEOUT
from tests.test_extract_units import HUAIAN_PDF, TEMPLATE_DOCX, xls_of, zip_of

ROOT = Path(__file__).resolve().parents[1]
ZIBO_GXQ_DOC = ROOT / "replica" / "documents" / "zibo_gxq" / "zibo-gxq-2020.doc"
ZHANGDIAN_HTML = ROOT / "replica" / "documents" / "zhangdian_kjj" / "zhangdian-kjj-2023.html"
NOTO_SANS_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LIMITS = {"memory_limit_mb": EXTRACT_MEMORY_LIMIT_MB, "timeout": EXTRACT_TIMEOUT}  # the crawl's


def encrypted_pdf() -> bytes:
    """A one-page PDF protected by a user password (Standard security handler, RC4 40-bit)."""
    padding = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")

    def rc4(key: bytes, data: bytes) -> bytes:
        state, j = list(range(256)), 0
        for i in range(256):
            j = (j + state[i] + key[i % len(key)]) % 256
            state[i], state[j] = state[j], state[i]
        out, i, j = bytearray(), 0, 0
        for byte in data:
            i = (i + 1) % 256
            j = (j + state[i]) % 256
            state[i], state[j] = state[j], state[i]
            out.append(byte ^ state[(state[i] + state[j]) % 256])
        return bytes(out)

    def padded(password: bytes) -> bytes:
        return (password + padding)[:32]

    file_id, permissions = bytes(16), -4
    owner = rc4(hashlib.md5(padded(b"owner")).digest()[:5], padded(b"secret"))
    key = hashlib.md5(padded(b"secret") + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
    user = rc4(key, padding)
    return pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner.hex().encode(), user.hex().encode(), permissions),
    ], b"/Encrypt 4 0 R /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode()))


def pdf_of(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF file of the given objects (numbered from 1; object 1 is the catalog), with its cross-reference table."""
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    xref += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer_extra)
    return body + xref + trailer + b"startxref\n%d\n%%%%EOF\n" % len(body)


def long_pdf(page_count: int) -> bytes:
    """A text PDF of `page_count` A4 pages, each saying which page it is."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for number in range(1, page_count + 1):
        content = b"BT /F1 12 Tf 72 760 Td (Page %d of a long compendium) Tj ET" % number
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % len(objects))
        kids.append(b"%d 0 R" % (len(objects)))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), page_count)
    return pdf_of(objects)


def scanned_pdf(lines_per_page: list[str]) -> bytes:
    """An image-only PDF: each page a small grey scan of one line of Chinese text."""
    font = ImageFont.truetype(NOTO_SANS_CJK, 28, index=2)  # the .ttc's Simplified Chinese face
    pages = []
    for line in lines_per_page:
        page = Image.new("L", (620, 200), 236)
        ImageDraw.Draw(page).text((40, 80), line, font=font, fill=20)
        pages.append(page)
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buffer.getvalue()


def stream_zeroed(data: bytes, stream: str) -> bytes:
    """A Word or Excel 97 file whose main stream is zeros: a sound container around a damaged document."""
    with tempfile.NamedTemporaryFile() as file:
        file.write(data)
        file.flush()
        with olefile.OleFileIO(file.name, write_mode=True) as ole:
            ole.write_stream(stream, bytes(ole.get_size(stream)))
        return Path(file.name).read_bytes()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (HUAIAN_PDF[:1000], "corrupt PDF"),
        (HUAIAN_PDF[: len(HUAIAN_PDF) // 2], "corrupt PDF"),
        (encrypted_pdf(), "encrypted PDF: a password is needed"),
        (random.Random(7).randbytes(4096), "not a document"),
        (TEMPLATE_DOCX[: len(TEMPLATE_DOCX) // 2], "corrupt zip"),
        (zip_of(["content.xml"]), "neither a Word nor an Excel"),  # an OpenDocument, or any zip named .docx
        (zip_of(["photos/1.jpg", "photos/2.jpg"]), "neither a Word nor an Excel"),
        (zip_of(["word/document.xml"]), "corrupt Word document"),  # no content types, no relationships
        (zip_of(["xl/workbook.xml"]), "corrupt Excel workbook"),
        (OLE_MAGIC + "WordDocument".encode("utf-16-le"), "corrupt OLE compound file"),
        (stream_zeroed(ZIBO_GXQ_DOC.read_bytes(), "WordDocument"), "LibreOffice could not convert the doc file"),
        (stream_zeroed(xls_of([["规章", 1]]), "Workbook"), "corrupt Excel 97 workbook"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "corrupt image"),
        (pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]), "PDF without any text"),
    ],
    ids=["empty", "pdf-header-only", "pdf-truncated", "pdf-encrypted", "random", "docx-truncated", "zip-other",
         "zip-of-photos", "docx-broken", "xlsx-broken", "ole-broken", "doc-broken", "xls-broken", "image-truncated", "pdf-blank"],
)
def test_unreadable_document(data, message):
    with pytest.raises(UnreadableDocument, match=message) as raised:
        extract_document(data, "document")
    assert "\n" not in str(raised.value)


def test_html_page_saved_as_pdf_reads_as_the_page():
    """Content decides the kind: a report page saved under a .pdf name is read as HTML, facts and all; an error
    page is a document without tables, which the warnings say."""
    report = extract_document(ZHANGDIAN_HTML.read_bytes(), "zhangdian-kjj-2023.pdf")
    assert report["source"]["kind"] == "html" and len(report["applications"]) == 25 * 7
    error_page = "<html><body><h1>404 Not Found</h1><p>您访问的页面不存在</p></body></html>".encode()
    result = extract_document(error_page, "report.pdf")
    assert result["source"]["kind"] == "html" and result["template"] is None
    assert result["warnings"] == ["no statistical tables found"]


def test_300_page_pdf_is_read_up_to_the_page_limit():
    data = long_pdf(300)
    result = extract_document(data, "compendium.pdf")
    assert result["warnings"] == [f"PDF has 300 pages; read the first {pdf.MAX_PAGES}", "no statistical tables found"]
    text = "\n".join(block for block in pdf.read(data).blocks if isinstance(block, str))
    assert f"Page {pdf.MAX_PAGES} of" in text and f"Page {pdf.MAX_PAGES + 1} of" not in text


def test_scanned_pages_beyond_the_ocr_limit_are_left_out_with_a_warning(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_SCANNED_PAGES", 2)
    result = extract_document(scanned_pdf(["固原市科学技术局", "2019年政府信息公开工作年度报告", "第三页不读"]), "scan.pdf")
    assert result["warnings"][0] == "3 scanned pages; OCR read the first 2 of them"
    assert (result["agency"], result["year"]) == ("固原市科学技术局", 2019)


def test_doc_that_makes_libreoffice_hang_is_stopped_and_the_next_converts(monkeypatch):
    """soffice stopped mid-batch (SIGSTOP: it hangs as on a pathological file) is killed after the timeout with a
    one-line error; the next file gets a fresh soffice."""
    converter = office()
    monkeypatch.setattr(converter, "convert_timeout", 3)
    document = ZIBO_GXQ_DOC.read_bytes()
    assert converter.convert(document, "doc", DOCX).startswith(b"PK")
    hung = converter.soffice_pid
    os.killpg(hung, signal.SIGSTOP)  # the launcher and soffice.bin: soffice runs in a process group of its own
    with pytest.raises(UnreadableDocument, match="^LibreOffice did not convert the file within 3 s; stopped it$"):
        converter.convert(document, "doc", DOCX)
    assert converter.convert(document, "doc", DOCX).startswith(b"PK")
    assert converter.soffice_pid not in (None, hung)


def test_libreoffice_dying_costs_at_most_the_file_it_was_converting():
    """Whether the crash is noticed before the next file (a fresh soffice converts it) or during it (a one-line
    error for that file), the file after converts."""
    converter = office()
    document = ZIBO_GXQ_DOC.read_bytes()
    converter.convert(document, "doc", DOCX)
    crashed = converter.soffice_pid
    os.killpg(crashed, signal.SIGKILL)
    try:
        converter.convert(document, "doc", DOCX)
    except UnreadableDocument as exc:
        assert str(exc).startswith("LibreOffice could not convert the doc file: ") and "\n" not in str(exc)
    assert converter.convert(document, "doc", DOCX).startswith(b"PK")
    assert converter.soffice_pid != crashed


def test_one_office_serves_a_whole_batch_and_closes():
    converter = Office()
    try:
        document = ZIBO_GXQ_DOC.read_bytes()
        converter.convert(document, "doc", DOCX)
        started = converter.soffice_pid
        for _ in range(3):
            converter.convert(document, "doc", DOCX)
        assert converter.soffice_pid == started
    finally:
        converter.close()
    assert converter.soffice_pid is None


def test_batch_goes_on_past_unreadable_files(tmp_path):
    files = {"good.doc": ZIBO_GXQ_DOC.read_bytes(), "empty.pdf": b"", "locked.pdf": encrypted_pdf(),
             "good.html": ZHANGDIAN_HTML.read_bytes(), "broken.docx": TEMPLATE_DOCX[:5000]}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    results = dict(extract_many([tmp_path / name for name in files], workers=2, **LIMITS))
    errors = {path.name: result for path, result in results.items() if isinstance(result, str)}
    assert sorted(errors) == ["broken.docx", "empty.pdf", "locked.pdf"]
    assert errors["empty.pdf"] == "empty file" and errors["broken.docx"].startswith("corrupt zip")
    assert results[tmp_path / "good.doc"]["year"] == 2020 and results[tmp_path / "good.html"]["year"] == 2023


def extract_unless_poison(path: Path) -> dict:
    """extract_path, except that a file named poison* kills the process, as a native library's crash would."""
    if path.name.startswith("poison"):
        os._exit(139)
    return extract_path(path)


def test_batch_goes_on_past_a_file_that_kills_its_worker(tmp_path):
    names = ["a.html", "b.html", "poison.html", "c.html", "d.html"]
    for name in names:
        (tmp_path / name).write_bytes(ZHANGDIAN_HTML.read_bytes())
    results = list(extract_many([tmp_path / name for name in names], workers=2, extract=extract_unless_poison,
                                **LIMITS))
    assert [path.name for path, _ in results] == names
    assert {path.name: result for path, result in results if isinstance(result, str)} == {
        "poison.html": "extraction killed its worker process (exit status 139: a crash in a native library, or out of "
                       "memory)"}
    assert [result["year"] for _, result in results if isinstance(result, dict)] == [2023] * 4


def test_threads_extracting_at_once_get_what_one_thread_gets():
    """The crawl extracts in several threads: LibreOffice and pdfium serve one at a time, results are unchanged."""
    documents = [ZIBO_GXQ_DOC, ROOT / "replica" / "documents" / "zibo_kjj" / "zibo-kjj-2021.pdf",
                 ROOT / "replica" / "documents" / "zibo_kjj" / "zibo-kjj-2021.docx"] * 2
    alone = [extract_document(path.read_bytes(), path.name) for path in documents]
    with ThreadPoolExecutor(len(documents)) as pool:
        together = list(pool.map(lambda path: extract_document(path.read_bytes(), path.name), documents))
    assert together == alone


@contextlib.contextmanager
def deadline(seconds: float):
    """Fail the block with TimeoutError after `seconds` (main thread only: SIGALRM)."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def png_of(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def single_colour_logo() -> bytes:
    """A logo as sites draw them: one colour, its shape only in the alpha channel (one grey level once flattened)."""
    logo = Image.new("RGBA", (160, 160), (200, 16, 46, 0))
    ImageDraw.Draw(logo).ellipse((10, 10, 150, 150), fill=(200, 16, 46, 255))
    return png_of(logo)


@pytest.mark.parametrize(
    "data",
    [png_of(Image.new("L", (1, 1), 255)), png_of(Image.new("L", (1240, 1754), 255)), single_colour_logo()],
    ids=["1x1", "blank-page", "logo"],
)
def test_image_without_text_is_unreadable_not_a_crash(data: bytes):
    with pytest.raises(UnreadableDocument, match="^image without any text OCR could read$"):
        extract_document(data, "image.png")


def test_blank_scanned_page_is_left_out_and_the_other_pages_read():
    result = extract_document(scanned_pdf(["固原市科学技术局", "2019年政府信息公开工作年度报告", ""]), "scan.pdf")
    assert (result["agency"], result["year"]) == ("固原市科学技术局", 2019)
    assert "scanned page 3: OCR found no text on it" in result["warnings"]


def test_xlsx_with_a_cell_at_xfd1048576_is_read_up_to_the_limits_in_seconds():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "某局2021年政府信息公开工作年度报告"
    sheet.merge_cells("A1:D1")
    sheet.append(["规章", 3, 0, 11])
    sheet["XFD1048576"] = "a stray cell"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with deadline(20):
        result = extract_document(buffer.getvalue(), "huge.xlsx")
    assert (result["title"], result["year"]) == ("某局2021年政府信息公开工作年度报告", 2021)
    assert result["warnings"][0] == "sheet 'Sheet' is larger than 1000 rows × 100 columns; read only those"


def test_xls_with_a_cell_at_iv65536_is_read_up_to_the_limits_in_seconds():
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet1")
    sheet.write_merge(0, 0, 0, 3, "某局2021年政府信息公开工作年度报告")
    for column, value in enumerate(["规章", 3, 0, 11]):
        sheet.write(1, column, value)
    sheet.write(65535, 255, "a stray cell")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with deadline(20):
        result = extract_document(buffer.getvalue(), "huge.xls")
    assert (result["title"], result["year"]) == ("某局2021年政府信息公开工作年度报告", 2021)
    assert result["warnings"][0] == "sheet 'Sheet1' is larger than 1000 rows × 100 columns; read only those"


def test_cli_ends_an_unexpected_error_in_one_line(monkeypatch, capsys):
    def reader_bug(worker, data, filename, hints=None):  # as the worker reports a reader's bug (see worker._portable)
        raise ExtractionError("ValueError: All-NaN slice encountered")

    monkeypatch.setattr(ExtractionWorker, "extract", reader_bug)
    assert main(["extract", str(ZHANGDIAN_HTML)]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"error: {ZHANGDIAN_HTML}: unexpected ValueError: All-NaN slice encountered\n")


def test_cli_prints_the_contract_on_success(capsys):
    assert main(["extract", "--compact", str(ZHANGDIAN_HTML)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == extract_path(ZHANGDIAN_HTML) and out.count("\n") == 1 and err == ""
