"""Extraction building blocks: value parsing, kind sniffing, unreadable input, readers, the vocabulary copy."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import xlwt

from crawler.extract import extract_document, office, tables
from crawler.extract.blocks import Table
from crawler.extract.kinds import sniff_kind
from crawler.extract.readers import ocr, read_document
from crawler.extract.values import parse_value
from crawler.extract.vocabulary import CARRYOVER_CHECK, CHECK_LABELS, CHECKS, VOCABULARY, template_for_year
from tests.compare import compare_facts

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
HUAIAN_PDF = (SHARED / "real-reports" / "huaian-2024.pdf").read_bytes()
TEMPLATE_DOCX = (SHARED / "real-reports" / "official-template-2021.docx").read_bytes()


def test_vocabulary_copy_equals_the_shared_one():
    assert VOCABULARY == json.loads((SHARED / "report-format" / "vocabulary.json").read_text("utf-8"))


def test_every_check_of_the_vocabulary_has_a_chinese_name():
    assert list(CHECK_LABELS) == list(CHECKS) and CARRYOVER_CHECK in CHECKS


def test_a_year_follows_the_latest_template_not_after_it():
    years = (2017, 2018, 2019, 2020, 2021, 2022, 2030)
    assert [template_for_year(year) for year in years] == [None, None, "2019", "2019", "2021", "2021", "2021"]


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


WORD_97 = (ROOT / "replica" / "documents" / "zibo_gxq" / "zibo-gxq-2020.doc").read_bytes()


def xls_of(rows: list[list]) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLS = xls_of([["规章", 1, 0, 3]])


def zip_of(names: list[str]) -> bytes:
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
        (zip_of(["xl/workbook.xml"]), None, "xlsx"),
        (WORD_97, "report.doc", "doc"),
        (WORD_97, "report.wps", "wps"),  # WPS Office's .wps is the Word 97 format under its own name
        (WORD_97, "report.xls", "doc"),
        (XLS, "report.doc", "xls"),
        (b"{\\rtf1\\ansi 2020\\'c4\\'ea}", "report.doc", "doc"),  # RTF saved under a .doc name
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


def test_docx_merged_cells_read_once():
    """python-docx repeats a merged cell in every slot; the grid keeps its text in the first slot only."""
    tables = [block for block in read_document(TEMPLATE_DOCX, "docx").blocks if isinstance(block, Table)]
    active, applications, review = (table.rows for table in tables)
    assert active[0] == ["第二十条第（一）项", None, None, None]  # spans the whole width
    assert active[6] == ["行政许可", "", None, None]  # the value cell spans three columns: one blank cell
    assert applications[7][:3] == [None, "（三）不予公开", "1.属于国家秘密"]  # 三、本年度办理结果 merged down
    assert applications[8][:3] == [None, None, "2.其他法律行政法规禁止公开"]  # （三）不予公开 merged down
    assert review[2][:6] == [None, None, None, None, None, "结果\n维持"]  # 结果维持 … merged down from row 2


def test_pdf_reader_tables_and_paragraphs():
    blocks = read_document(HUAIAN_PDF, "pdf").blocks
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
    blocks = read_document(page.encode("gb18030"), "html").blocks
    assert blocks[:2] == ["淮安市人民政府", "2024年政府信息公开工作年度报告"]
    assert blocks[2].rows == [
        ["三、本年度办理结果", "（一）予以公开", None, "1"],
        [None, "（三）不予公开", "1.属于国家秘密", "2"],
    ]
    assert blocks[3:] == ["结束"]


def huaian_republished() -> list[str | list[list[tuple[str, int]]]]:
    """The huaian report's blocks as another publisher would lay them out: each paragraph its text, each table its
    rows of (cell text, columns the cell spans); a merged cell's text appears once."""
    blocks = []
    for block in read_document(HUAIAN_PDF, "pdf").blocks:
        if isinstance(block, Table):
            blocks.append([
                [(text, 1 + next((i for i, c in enumerate(row[n + 1 :]) if c is not None), len(row) - n - 1))
                 for n, text in enumerate(row) if text is not None]
                for row in block.rows
            ])
        else:
            blocks.append(block)
    return blocks


def assert_every_huaian_fact(result: dict, kind: str) -> None:
    expected = json.loads((SHARED / "real-reports" / "huaian-2024.expected.json").read_text("utf-8"))
    right, total, mismatches = compare_facts(result, expected)
    assert (right, mismatches) == (total, [])
    assert (result["source"]["kind"], result["title"], result["year"], result["template"]) == (
        kind, expected["title"], 2024, "2021"
    )
    assert [section["number"] for section in result["sections"]] == [1, 2, 3, 4, 5, 6]


def test_html_report_every_fact():
    """The huaian report re-published as a GB2312 web page (merged cells as colspan) reads like the PDF."""
    parts = []
    for block in huaian_republished():
        if isinstance(block, str):
            parts.append(f"<p>{block}</p>")
            continue
        rows = ("<tr>" + "".join(f'<td colspan="{span}">{text}</td>' for text, span in row) + "</tr>" for row in block)
        parts.append("<table>" + "".join(rows) + "</table>")
    page = '<!DOCTYPE html><html><head><meta charset="gb2312"></head><body>' + "".join(parts) + "</body></html>"
    assert_every_huaian_fact(extract_document(page.encode("gb18030"), "report.html"), "html")


def spreadsheet_cell(text: str) -> str | int | float:
    """What a clerk types into a spreadsheet: numbers as numbers."""
    value, unit = parse_value(text) or (None, None)
    return value if value is not None and not unit and str(value) == text else text


def huaian_sheet(write, merge) -> None:
    """The huaian report on one sheet: each paragraph in a row of its own merged over the sheet's width, each table
    row's cells merged as printed. `write(row, column, value)` and `merge(row, first column, last column, value)`
    are the spreadsheet library's (0-based)."""
    tables = [block for block in huaian_republished() if isinstance(block, list)]
    width = max(sum(span for _, span in row) for table in tables for row in table)
    row_number = 0
    for block in huaian_republished():
        for row in [[(block, width)]] if isinstance(block, str) else block:
            column = 0
            for text, span in row:
                if span > 1:
                    merge(row_number, column, column + span - 1, spreadsheet_cell(text))
                else:
                    write(row_number, column, spreadsheet_cell(text))
                column += span
            row_number += 1


def test_xlsx_report_every_fact():
    workbook = openpyxl.Workbook()
    sheet = workbook.active

    def merge(row, first, last, value):
        sheet.cell(row + 1, first + 1, value)
        sheet.merge_cells(start_row=row + 1, start_column=first + 1, end_row=row + 1, end_column=last + 1)

    huaian_sheet(lambda row, column, value: sheet.cell(row + 1, column + 1, value), merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert_every_huaian_fact(extract_document(buffer.getvalue(), "report.xlsx"), "xlsx")


def test_xls_report_every_fact():
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("报告")
    huaian_sheet(sheet.write, lambda row, first, last, value: sheet.write_merge(row, row, first, last, value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert_every_huaian_fact(extract_document(buffer.getvalue(), "report.xls"), "xls")


def test_spreadsheet_merged_cells_and_paragraph_rows():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["某局2021年政府信息公开工作年度报告"], ["规章", 3, None, 11.0], ["行政许可", 2], ["一、总体情况"]):
        sheet.append(row)
    sheet.merge_cells("A1:D1")
    sheet.merge_cells("B3:D3")
    sheet.merge_cells("A4:D4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_document(buffer.getvalue(), "xlsx").blocks == [
        "某局2021年政府信息公开工作年度报告",
        Table([["规章", "3", "", "11"], ["行政许可", "2", None, None]]),
        "一、总体情况",
    ]


def test_image_ocr_names_each_fact_read_with_low_confidence(monkeypatch):
    """A photograph of the 第二十条 table (cut from a scanned page) read as a whole. With the confidence bar raised
    above every score, each fact read is an Uncertain cell, and the warnings name the facts."""
    scan = ROOT / "replica" / "documents" / "guyuan_kjj" / "guyuan-kjj-2019.pdf"
    (page,) = ocr.rasterise(scan.read_bytes(), 3, 3)
    buffer = io.BytesIO()
    page.crop((0, 120, page.width, 840)).save(buffer, "PNG")
    monkeypatch.setattr(ocr, "MIN_CONFIDENCE", 1.01)
    result = extract_document(buffer.getvalue(), "page-3.png", {"year": 2019})
    expected = json.loads(scan.with_name("guyuan-kjj-2019.expected.json").read_text("utf-8"))
    right, total, mismatches = compare_facts({"active_disclosure": result["active_disclosure"]},
                                             {"active_disclosure": expected["active_disclosure"]})
    assert (right, mismatches) == (total, [])
    assert result["source"]["kind"] == "image" and result["template"] == "2019"
    assert result["applications"] == result["review_litigation"] == []
    uncertain = [warning for warning in result["warnings"] if "OCR read" in warning]
    assert len(uncertain) == len(result["active_disclosure"])
    first = r"active_disclosure 20\.1/rules/new_made: OCR read '0' with confidence [01]\.\d\d"
    assert re.fullmatch(first, uncertain[0])
    assert all(type(fact["raw"]) is str for fact in result["active_disclosure"])


def test_ocr_engine_is_loaded_once():
    assert ocr.engine() is ocr.engine()


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


def test_word_97_file_whose_text_names_an_excel_stream_is_word():
    """The stream names are looked up in the file's directory, not in its bytes: a Word 97 body stores Chinese
    text as UTF-16, so a report mentioning "Workbook" holds the very bytes of that stream's name."""
    document = docx.Document()
    document.add_paragraph("某局2021年政府信息公开工作年度报告")
    document.add_paragraph("附件：统计表 Workbook")
    buffer = io.BytesIO()
    document.save(buffer)
    word_97 = office.convert(buffer.getvalue(), ".docx", "MS Word 97")
    assert "Workbook".encode("utf-16-le") in word_97
    assert sniff_kind(word_97, "report.doc") == "doc"
    assert extract_document(word_97, "report.doc")["agency"] == "某局"


def test_rtf_saved_as_doc_is_read_through_libreoffice():
    """Word can save RTF under a .doc name; the title's characters as RTF escapes of their GB18030 bytes."""
    title = "".join(f"\\'{byte:02x}" for byte in "某局2020年政府信息公开工作年度报告".encode("gb18030"))
    rtf = ("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0 SimSun;}}\\f0 " + title + "\\par}").encode("ascii")
    result = extract_document(rtf, "report.doc")
    assert (result["source"]["kind"], result["agency"], result["year"]) == ("doc", "某局", 2020)


def test_a_printed_unit_is_kept_beside_the_value_and_only_then():
    result = extract_document((SHARED / "seeds" / "seed-004-zibo-gxq-2020.txt").read_bytes(), "seed-004.txt")
    with_unit = [fact for table in ("active_disclosure", "applications", "review_litigation") for fact in result[table]
                 if "unit" in fact]
    assert with_unit == [{"clause": "20.9", "item": "procurement", "metric": "purchase_amount", "value": 4195.8936,
                          "raw": "4195.8936万元", "unit": "万元"}]
