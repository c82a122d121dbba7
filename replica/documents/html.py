"""Render a report as the HTML fragment a 信息公开 annual-report page shows (a report published as HTML only).

Clerks paste the Word report into the CMS editor, so the body is Word-exported HTML: MsoNormal paragraphs with
inline fonts, and tables whose merged cells are rowspan/colspan. The tables here are the Word report's own
tables (word.filled_tables) translated cell by cell: gridSpan becomes colspan, a vMerge run becomes rowspan. A
blank cell is `<td …>&nbsp;</td>`, as the editor leaves it. The title breaks over two lines, as in the real page.
"""

from __future__ import annotations

from html import escape

from docx.oxml.ns import qn

from .word import ReportSpec, filled_tables

# Section numbers (1-based) whose table follows the section's text.
_TABLE_OF_SECTION = {2: 0, 3: 1, 4: 2}
# Where the title breaks: after 政府信息公开, before 工作年度报告 (or 年度报告).
_TITLE_BREAK = "政府信息公开"
_TWIPS_PER_PIXEL = 15

_TITLE = ('<p class="MsoNormal" align="center" style="text-align:center;line-height:28.0pt">'
          '<b><span style="font-size:22.0pt;font-family:方正小标宋简体">{}</span></b></p>')
_HEADING = ('<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt">'
            '<span style="font-size:16.0pt;font-family:黑体">{}</span></p>')
_PARAGRAPH = ('<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt">'
              '<span style="font-size:16.0pt;font-family:仿宋_GB2312">{}</span></p>')
_TABLE = ('<div align="center"><table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
          'style="border-collapse:collapse;border:none">\n{}\n</table></div>')
_CELL_STYLE = "border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt"
_CELL_PARAGRAPH = ('<p class="MsoNormal"{align}><span style="font-size:10.0pt;font-family:宋体">{text}</span></p>')


def render_html(spec: ReportSpec) -> bytes:
    """The report body as a UTF-8 HTML fragment: title, intro, six sections, the three tables (if any)."""
    head, _, tail = spec.title.partition(_TITLE_BREAK)
    parts = [_TITLE.format(escape(head + _TITLE_BREAK)), _TITLE.format(escape(tail)), _PARAGRAPH.format("&nbsp;")]
    parts += [_PARAGRAPH.format(escape(text)) for text in spec.prose.intro]
    tables = filled_tables(spec.facts) if spec.facts is not None else None
    for number, section in enumerate(spec.prose.sections, start=1):
        parts.append(_HEADING.format(escape(section.heading)))
        parts += [_PARAGRAPH.format(escape(text)) for text in section.paragraphs]
        if tables and number in _TABLE_OF_SECTION:
            parts.append(table_html(tables[_TABLE_OF_SECTION[number]]))
    return ("<div class=\"WordSection1\" style=\"layout-grid:15.6pt\">\n" + "\n".join(parts) + "\n</div>\n").encode()


def table_html(table) -> str:
    """A Word table (w:tbl) as Word's HTML export writes it: one <td> per cell that starts a merge, with
    colspan for gridSpan and rowspan for the rows a vMerge run covers."""
    rows = [_grid_cells(row) for row in table.iter(qn("w:tr"))]
    html_rows = []
    for index, cells in enumerate(rows):
        tds = []
        for column, span, merge, cell in cells:
            if merge == "continue":
                continue
            rowspan = 1
            if merge == "restart":
                while index + rowspan < len(rows) and any(
                        c[0] == column and c[2] == "continue" for c in rows[index + rowspan]):
                    rowspan += 1
            tds.append(_td(cell, span, rowspan))
        html_rows.append(" <tr>\n" + "\n".join(tds) + "\n </tr>")
    return _TABLE.format("\n".join(html_rows))


def _grid_cells(row) -> list[tuple[int, int, str | None, object]]:
    """(first grid column, gridSpan, vMerge state, w:tc) of each cell in the row."""
    cells, column = [], 0
    for cell in row.iter(qn("w:tc")):
        span = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        merge = cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
        span = int(span.get(qn("w:val"))) if span is not None else 1
        state = None if merge is None else merge.get(qn("w:val"), "continue")
        cells.append((column, span, state, cell))
        column += span
    return cells


def _td(cell, colspan: int, rowspan: int) -> str:
    width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    attributes = ""
    if width is not None and width.get(qn("w:type")) == "dxa":
        attributes += f' width="{int(width.get(qn("w:w"))) // _TWIPS_PER_PIXEL}"'
    if colspan > 1:
        attributes += f' colspan="{colspan}"'
    if rowspan > 1:
        attributes += f' rowspan="{rowspan}"'
    attributes += f' style="{_CELL_STYLE}"'
    paragraphs = []
    for paragraph in cell.iter(qn("w:p")):
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        if text:
            centered = paragraph.find(f"{qn('w:pPr')}/{qn('w:jc')}")
            align = ' align="center" style="text-align:center"' if centered is not None and \
                centered.get(qn("w:val")) == "center" else ""
            paragraphs.append(_CELL_PARAGRAPH.format(align=align, text=escape(text)))
    if not paragraphs:
        return f"  <td{attributes}>&nbsp;</td>"
    return f"  <td{attributes}>" + "".join(paragraphs) + "</td>"
