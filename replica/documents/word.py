"""Render a report as a Word document built on the official template's own tables.

The three tables are deep copies of the tables in the official 2021 template (official-template-2021.docx), so
their merged cells (gridSpan, vMerge), borders and fonts are those of real reports. Reports of the 2019 template
rebuild the 主动公开 table from the template's own rows the way the 2019 circular prints it, and print one
（六）其他处理 row in the applications table. Reports from before 2019 have no tables, only their six prose sections.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import etree

from . import SHARED_DIR
from .facts import (
    ACTIVE_DISCLOSURE_LAYOUT,
    APPLICANTS,
    OUTCOMES,
    PROCEEDINGS,
    TITLE_WORDING,
    ReportFacts,
    application_rows,
    fact_text,
    report_title,
)
from .prose import ReportProse

OFFICIAL_TEMPLATE_DOCX = SHARED_DIR / "real-reports" / "official-template-2021.docx"

_CLAUSE_LABELS = {"20.1": "第二十条第（一）项", "20.5": "第二十条第（五）项", "20.6": "第二十条第（六）项",
                  "20.8": "第二十条第（八）项", "20.9": "第二十条第（九）项"}
# Row and column labels of the 2019 circular's 主动公开 table (the 2021 template's are already in its table).
_ITEM_LABELS_2019 = {"rules": "规章", "normative_documents": "规范性文件", "licensing": "行政许可",
                     "other_services": "其他对外管理服务事项", "penalty": "行政处罚", "coercion": "行政强制",
                     "fees": "行政事业性收费", "procurement": "政府集中采购"}
_METRIC_LABELS_2019 = {"new_made": "本年新制作数量", "new_published": "本年新公开数量",
                       "total_published": "对外公开总数量", "prev_items": "上一年项目数量", "change": "本年增/减",
                       "decisions": "处理决定数量", "purchase_items": "采购项目数量", "purchase_amount": "采购总金额"}
# Header rows above the data in the applications and review/litigation tables.
_APPLICATIONS_HEADER_ROWS = 3
_REVIEW_HEADER_ROWS = 3
# Section numbers (1-based) whose table follows the section's text.
_TABLE_OF_SECTION = {2: 0, 3: 1, 4: 2}
# Fixed zip entry time: the same report always gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_W14_IDS = ("{http://schemas.microsoft.com/office/word/2010/wordml}paraId",
            "{http://schemas.microsoft.com/office/word/2010/wordml}textId")


@dataclass(frozen=True)
class ReportSpec:
    """Everything printed in one report; `facts` is None for a report from before the national templates."""

    agency: str
    year: int
    facts: ReportFacts | None
    prose: ReportProse
    wording: str = TITLE_WORDING  # the title after the year: 政府信息公开工作年度报告, or e.g. 政府信息公开年度报告

    @property
    def title(self) -> str:
        return report_title(self.agency, self.year, self.wording)


def render_docx(spec: ReportSpec, template_docx: Path = OFFICIAL_TEMPLATE_DOCX) -> bytes:
    """The report as .docx bytes: title block, intro, six sections, the three tables (if any) inside 二, 三 and 四.

    Deterministic: the same spec gives the same bytes (fixed document dates and zip times).
    """
    document = docx.Document(str(template_docx))
    body = document.element.body
    template_tables = list(body.iterchildren(qn("w:tbl")))
    title_line = _paragraph_with_text(body, "政府信息公开工作年度报告格式模板")
    heading_line = _paragraph_with_text(body, "一、总体情况")
    text_line = _paragraph_with_text(body, "（文字描述）")
    tables = _filled_tables(spec.facts, template_tables) if spec.facts is not None else None

    content = [
        _paragraph_like(title_line, spec.agency),
        _paragraph_like(title_line, f"{spec.year}年{spec.wording}"),
        _paragraph_like(text_line, ""),
        *(_paragraph_like(text_line, text) for text in spec.prose.intro),
    ]
    for number, section in enumerate(spec.prose.sections, start=1):
        content.append(_paragraph_like(heading_line, section.heading))
        content.extend(_paragraph_like(text_line, text) for text in section.paragraphs)
        if tables and number in _TABLE_OF_SECTION:
            content.append(tables[_TABLE_OF_SECTION[number]])
            content.append(_paragraph_like(text_line, ""))

    section_properties = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not section_properties:
            body.remove(child)
    for element in content:
        section_properties.addprevious(element)
    # Copied template paragraphs repeat the template's Word paragraph ids; ids must be unique, none is fine.
    for element in body.iter():
        for attribute in _W14_IDS:
            element.attrib.pop(attribute, None)

    _set_properties(document, spec)
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_fixed_zip_times(buffer.getvalue())


def filled_tables(facts: ReportFacts, template_docx: Path = OFFICIAL_TEMPLATE_DOCX) -> list:
    """The report's three tables (主动公开, 申请, 复议诉讼) as w:tbl elements, for renderers other than Word's."""
    body = docx.Document(str(template_docx)).element.body
    return _filled_tables(facts, list(body.iterchildren(qn("w:tbl"))))


def _filled_tables(facts: ReportFacts, template_tables: list) -> list:
    """Copies of the template's three tables, shaped for the report's template and holding its numbers."""
    if facts.template == "2019":
        active = _active_disclosure_table_2019(template_tables[0], facts)
        applications = _applications_table_2019(template_tables[1])
    else:
        active = _active_disclosure_table_2021(template_tables[0], facts)
        applications = deepcopy(template_tables[1])
    _fill_applications(applications, facts)
    review = deepcopy(template_tables[2])
    _fill_review_litigation(review, facts)
    return [active, applications, review]


def _active_disclosure_table_2021(template_table, facts: ReportFacts):
    """The template's 主动公开 table as it is, numbers filled in row by row."""
    table = deepcopy(template_table)
    rows = iter(table.findall(qn("w:tr")))
    for clause, items, metrics in ACTIVE_DISCLOSURE_LAYOUT["2021"]:
        next(rows), next(rows)  # the 第二十条 header and the 信息内容 label row
        for item in items:
            values = next(rows).findall(qn("w:tc"))[1:]
            assert len(values) == len(metrics), f"template row for {clause} {item} has {len(values)} value cells"
            for cell, metric in zip(values, metrics):
                _set_cell_text(cell, fact_text(facts, "active_disclosure", (clause, item, metric)), centered=True)
    return table


def _active_disclosure_table_2019(template_table, facts: ReportFacts):
    """The 主动公开 table of the 2019 circular, assembled from copies of the template's rows: a clause header
    spanning the table, a 信息内容 row of metric labels, one row per item. A two-metric clause merges the last
    two columns, as the circular prints 第二十条第（八）项 and 第（九）项."""
    template_rows = template_table.findall(qn("w:tr"))
    clause_header, label_row, item_row = template_rows[0], template_rows[1], template_rows[2]
    table = deepcopy(template_table)
    for row in table.findall(qn("w:tr")):
        table.remove(row)
    for clause, items, metrics in ACTIVE_DISCLOSURE_LAYOUT["2019"]:
        _append_row(table, clause_header, [_CLAUSE_LABELS[clause]])
        _append_row(table, label_row, ["信息内容", *(_METRIC_LABELS_2019[metric] for metric in metrics)])
        for item in items:
            values = [fact_text(facts, "active_disclosure", (clause, item, metric)) for metric in metrics]
            _append_row(table, item_row, [_ITEM_LABELS_2019[item], *values], centered_from=1)
    return table


def _append_row(table, template_row, texts: list[str], centered_from: int | None = None) -> None:
    """Append a copy of a template row holding `texts`; one text fewer than cells merges the last two cells."""
    row = deepcopy(template_row)
    table.append(row)
    cells = row.findall(qn("w:tc"))
    if len(texts) == len(cells) - 1:
        _merge_into_previous(cells[-1])
        cells = cells[:-1]
    for index, (cell, text) in enumerate(zip(cells, texts, strict=True)):
        _set_cell_text(cell, text, centered=centered_from is not None and index >= centered_from)


def _merge_into_previous(cell) -> None:
    """Remove `cell`, widening the cell before it over its grid column and taking over its right border."""
    previous = cell.getprevious()
    previous.tcPr.grid_span = previous.grid_span + cell.grid_span
    previous.tcPr.tcW.w = previous.tcPr.tcW.w + cell.tcPr.tcW.w
    right_border = cell.tcPr.find(f"{qn('w:tcBorders')}/{qn('w:right')}")
    previous_borders = previous.tcPr.find(qn("w:tcBorders"))
    previous_borders.replace(previous_borders.find(qn("w:right")), deepcopy(right_border))
    cell.getparent().remove(cell)


def _applications_table_2019(template_table):
    """The applications table with the single （六）其他处理 row of the 2019 circular in place of the 2021
    template's three sub-rows; the row copies （七）总计's shape (label over the two label columns)."""
    table = deepcopy(template_table)
    rows = table.findall(qn("w:tr"))
    rows_2021 = application_rows("2021")
    first_other = _APPLICATIONS_HEADER_ROWS + rows_2021.index("other.no_correction")
    total_row = rows[_APPLICATIONS_HEADER_ROWS + rows_2021.index("total")]
    other_row = deepcopy(total_row)
    rows[first_other].addprevious(other_row)
    _set_cell_text(other_row.findall(qn("w:tc"))[1], "（六）其他处理")
    for row in rows[first_other:first_other + 3]:
        table.remove(row)
    return table


def _fill_applications(table, facts: ReportFacts) -> None:
    rows = table.findall(qn("w:tr"))[_APPLICATIONS_HEADER_ROWS:]
    keys = application_rows(facts.template)
    assert len(rows) == len(keys), f"applications table has {len(rows)} data rows for {len(keys)} keys"
    for row, key in zip(rows, keys):
        values = row.findall(qn("w:tc"))[-len(APPLICANTS):]
        for cell, applicant in zip(values, APPLICANTS):
            _set_cell_text(cell, fact_text(facts, "applications", (key, applicant)), centered=True)


def _fill_review_litigation(table, facts: ReportFacts) -> None:
    (row,) = table.findall(qn("w:tr"))[_REVIEW_HEADER_ROWS:]
    keys = [(proceeding, outcome) for proceeding in PROCEEDINGS for outcome in OUTCOMES]
    for cell, key in zip(row.findall(qn("w:tc")), keys, strict=True):
        _set_cell_text(cell, fact_text(facts, "review_litigation", key), centered=True)


def _set_cell_text(cell, text: str, centered: bool = False) -> None:
    """Make `text` the cell's only content, in the cell's own run format or else the table's 宋体 10 pt."""
    run_properties = deepcopy(cell.find(f".//{qn('w:r')}/{qn('w:rPr')}"))
    if run_properties is None:
        run_properties = deepcopy(_song_run_properties(cell.getparent().getparent()))
    paragraphs = cell.findall(qn("w:p"))
    for extra in paragraphs[1:]:
        cell.remove(extra)
    paragraph = paragraphs[0]
    for run in paragraph.findall(qn("w:r")):
        paragraph.remove(run)
    run = etree.SubElement(paragraph, qn("w:r"))
    run.append(run_properties)
    etree.SubElement(run, qn("w:t")).text = text
    if centered:
        paragraph.get_or_add_pPr().jc_val = WD_ALIGN_PARAGRAPH.CENTER


def _song_run_properties(table):
    """The run format of the table's labels (its 勾稽关系 note is in 楷体; labels and numbers are in 宋体)."""
    return next(
        properties
        for properties in table.iter(qn("w:rPr"))
        if properties.getparent().tag == qn("w:r")
        and properties.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    )


def _paragraph_with_text(body, text: str):
    return next(p for p in body.iterchildren(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t"))) == text)


def _paragraph_like(model, text: str):
    """A copy of `model` (its paragraph and run formatting) holding `text`; empty text gives an empty line."""
    paragraph = deepcopy(model)
    runs = paragraph.findall(qn("w:r"))
    for run in runs:
        paragraph.remove(run)
    if text:
        run = deepcopy(runs[0])
        for child in list(run):
            if child.tag != qn("w:rPr"):
                run.remove(child)
        etree.SubElement(run, qn("w:t")).text = text
        paragraph.append(run)
    return paragraph


def _set_properties(document, spec: ReportSpec) -> None:
    """Title and author of the report; dates of the report's publication season, fixed so bytes are stable."""
    properties = document.core_properties
    published = datetime.datetime(spec.year + 1, 1, 20, 9, 0, 0)
    properties.title = spec.title
    properties.author = spec.agency
    properties.last_modified_by = spec.agency
    properties.created = published
    properties.modified = published
    properties.last_printed = published
    properties.revision = 1


def _with_fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every entry dated _ZIP_TIME (python-docx stamps entries with the current time)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry.filename))
    return output.getvalue()
