"""Extraction building blocks: value parsing, kind sniffing, unreadable input, readers, the vocabulary copy."""

from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import zipfile
from pathlib import Path

import pytest

from crawler.extract import UnreadableDocument, extract_document
from crawler.extract.blocks import Table
from crawler.extract.compare import compare_facts
from crawler.extract import tables
from crawler.extract.kinds import OLE_MAGIC, sniff_kind
from crawler.extract.readers import read_blocks
from crawler.extract.values import parse_value
from crawler.extract.vocabulary import VOCABULARY

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HUAIAN_PDF = (SHARED / "real-reports" / "huaian-2024.pdf").read_bytes()
TEMPLATE_DOCX = (SHARED / "real-reports" / "official-template-2021.docx").read_bytes()


def test_vocabulary_copy_equals_the_shared_one():
    assert VOCABULARY == json.loads((SHARED / "report-format" / "vocabulary.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("0", (0, None)),
        ("3001", (3001, None)),
        ("+229", (229, None)),
        ("-21", (-21, None)),
        ("－96", (-96, None)),  # full-width minus
        ("＋7", (7, None)),
        ("96171.6", (96171.6, None)),
        ("4195.8936万元", (4195.8936, "万元")),
        ("251000元", (251000, "元")),
        ("1,234", (1234, None)),
        ("１２", (12, None)),  # full-width digits
        (" 12 ", (12, None)),
        ("", (None, None)),
        ("\u3000\u3000", (None, None)),  # blank cell of the official template
        ("/", (None, None)),
        ("—", (None, None)),
        ("规章", None),
        ("1.属于国家秘密", None),
        ("2020年", None),
    ],
)
def test_parse_value(raw, parsed):
    assert parse_value(raw) == parsed


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (HUAIAN_PDF, "report.docx", "pdf"),  # content decides, not the name
        (b"\r\n" + HUAIAN_PDF, None, "pdf"),  # junk before the header
        (TEMPLATE_DOCX, "report.pdf", "docx"),
        (_zip(["xl/workbook.xml"]), None, "xlsx"),
        (OLE_MAGIC + "WordDocument".encode("utf-16-le"), "report.doc", "doc"),
        (OLE_MAGIC + "WordDocument".encode("utf-16-le"), "report.wps", "wps"),
        (OLE_MAGIC + "Workbook".encode("utf-16-le"), "report.xls", "xls"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), None, "image"),
        (b"\xff\xd8\xff\xe0" + bytes(20), None, "image"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body><p>x</p></body></html>", None, "html"),
        ("<html><head><meta charset='gb2312'></head></html>".encode(), None, "html"),
        ('<div class="WordSection1"><p>张店区科学技术局</p></div>'.encode(), None, "html"),  # a CMS article body
        ("<一>总体情况\n".encode(), None, "txt"),
        ("淄博市科学技术局\n2020 年政府信息公开工作年度报告\n".encode(), None, "txt"),
        ("淄博市科学技术局\n2020 年政府信息公开工作年度报告\n".encode("gb18030"), None, "txt"),
        ("淄博市科学技术局2020年政府信息公开工作年度报告".encode() + b"\xff" + "。".encode() * 200, None, "txt"),  # damaged
    ],
)
def test_sniff_kind(data, filename, kind):
    assert sniff_kind(data, filename) == kind


def _encrypted_pdf() -> bytes:
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
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner.hex().encode(), user.hex().encode(), permissions),
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    xref += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1, file_id.hex().encode(), file_id.hex().encode()
    )
    return body + xref + trailer + b"startxref\n%d\n%%%%EOF\n" % len(body)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (HUAIAN_PDF[:1000], "corrupt PDF"),
        (HUAIAN_PDF[: len(HUAIAN_PDF) // 2], "corrupt PDF"),
        (_encrypted_pdf(), "encrypted PDF: a password is needed"),
        (random.Random(7).randbytes(4096), "not a document"),
        (TEMPLATE_DOCX[: len(TEMPLATE_DOCX) // 2], "corrupt zip"),
        (_zip(["content.xml"]), "neither a Word nor an Excel"),
        (_zip(["word/document.xml"]), "corrupt Word document"),  # no content types, no relationships
        (OLE_MAGIC + "WordDocument".encode("utf-16-le"), "doc documents are not supported yet"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "image documents are not supported yet"),
    ],
    ids=["empty", "pdf-header-only", "pdf-truncated", "pdf-encrypted", "random", "docx-truncated", "zip-other",
         "docx-broken", "doc", "image"],
)
def test_unreadable_document(data, message):
    with pytest.raises(UnreadableDocument, match=message) as raised:
        extract_document(data, "document")
    assert "\n" not in str(raised.value)


def test_docx_merged_cells_read_once():
    """python-docx repeats a merged cell in every slot; the grid keeps its text in the first slot only."""
    tables = [block for block in read_blocks(TEMPLATE_DOCX, "docx") if isinstance(block, Table)]
    active, applications, review = (table.rows for table in tables)
    assert active[0] == ["第二十条第（一）项", None, None, None]  # spans the whole width
    assert active[6] == ["行政许可", "", None, None]  # the value cell spans three columns: one blank cell
    assert applications[7][:3] == [None, "（三）不予公开", "1.属于国家秘密"]  # 三、本年度办理结果 merged down
    assert applications[8][:3] == [None, None, "2.其他法律行政法规禁止公开"]  # （三）不予公开 merged down
    assert review[2][:6] == [None, None, None, None, None, "结果\n维持"]  # 结果维持 … merged down from row 2


def test_pdf_reader_tables_and_paragraphs():
    blocks = read_blocks(HUAIAN_PDF, "pdf")
    tables = [block for block in blocks if isinstance(block, Table)]
    # Three tables, two of them cut by page breaks; the one-column "table" pdfplumber finds in the preamble is text.
    assert len(tables) == 5
    assert blocks[:2] == ["淮安市人民政府", "2024 年政府信息公开工作年度报告"]
    assert not any("- 3 -" in block for block in blocks if isinstance(block, str))  # page numbers dropped
    assert tables[3].rows[0][:3] == ["", "法提供", "2.没有现成信息需要另行制作"]  # the row label cut by the break


def test_html_tables_expand_row_and_column_spans():
    page = """<html><head><meta charset="gb2312"></head><body>
    <div>淮安市人民政府<br>2024年政府信息公开工作年度报告</div>
    <table><tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>1</td></tr>
    <tr><td>（三）不予公开</td><td>1.属于<b>国家</b>秘密</td><td>2</td></tr></table>
    <script>var heading = "一、总体情况";</script><p>结束</p></body></html>"""
    blocks = read_blocks(page.encode("gb18030"), "html")
    assert blocks[:2] == ["淮安市人民政府", "2024年政府信息公开工作年度报告"]
    assert blocks[2].rows == [
        ["三、本年度办理结果", "（一）予以公开", None, "1"],
        [None, "（三）不予公开", "1.属于国家秘密", "2"],
    ]
    assert blocks[3:] == ["结束"]


def test_html_report_every_fact():
    """The huaian report re-published as a GB2312 web page (merged cells as colspan) reads like the PDF."""
    rows_html = []
    for block in read_blocks(HUAIAN_PDF, "pdf"):
        if not isinstance(block, Table):
            rows_html.append(f"<p>{block}</p>")
            continue
        rows_html.append("<table>")
        for row in block.rows:
            cells = [(text, 1 + next((i for i, c in enumerate(row[n + 1 :]) if c is not None), len(row) - n - 1))
                     for n, text in enumerate(row) if text is not None]
            rows_html.append("<tr>" + "".join(f'<td colspan="{span}">{text}</td>' for text, span in cells) + "</tr>")
        rows_html.append("</table>")
    page = '<!DOCTYPE html><html><head><meta charset="gb2312"></head><body>' + "".join(rows_html) + "</body></html>"
    result = extract_document(page.encode("gb18030"), "report.html")
    expected = json.loads((SHARED / "real-reports" / "huaian-2024.expected.json").read_text("utf-8"))
    right, total, mismatches = compare_facts(result, expected)
    assert (right, mismatches) == (total, [])
    assert (result["source"]["kind"], result["title"], result["template"]) == ("html", expected["title"], "2021")


def test_label_patterns_cover_exactly_the_vocabulary_keys():
    clauses = VOCABULARY["active_disclosure"]["clauses"].values()
    assert set(tables.ITEM_LABELS) == {item for clause in clauses for item in clause["items"]}
    assert set(tables.METRIC_LABELS) == {m for clause in clauses for ms in clause["metrics"].values() for m in ms}
    assert sorted(key for key, _ in tables.APPLICATION_ROW_LABELS) == sorted(VOCABULARY["applications"]["rows"])


@pytest.mark.parametrize(
    ("label", "row"),
    [
        ("一、本年新收政府信息公开申请数量", "new_received"),
        ("二、上年结转政府信息公开申请数量", "carried_over"),
        ("四、结转下年度继续办理", "carried_forward"),
        ("2.其他法律行政止公开", "denied.law_prohibited"),  # a typo seen in a real report
        ("3. 危及“三安全一稳定”", "denied.three_securities"),
        ("（四）无", None),  # a label cut by a page break says nothing by itself …
        ("4.无正当理由大量", "not_processed.excessive"),
        ("反复申请", "not_processed.excessive"),  # … but either half of this one does
        ("1、申请人无正当理由逾期不补\n正、行政机关不再处理其政府信\n息公开申请", "other.no_correction"),
        ("3、其他", "other.other"),
        ("(六) 其他处理", "other"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
        ("（七）总计", "total"),
    ],
)
def test_application_row_labels_by_meaning(label, row):
    assert tables.application_row_key([label]) == row
