"""Word .docx (python-docx): body paragraphs and tables in document order, merged cells expanded to the grid."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from crawler.extract import limits
from crawler.extract.blocks import Block, Reading, Table, UnreadableDocument
from crawler.text import first_line


def read(data: bytes) -> Reading:
    limits.check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))  # reads and parses every part; nothing is read lazily later
    except Exception as exc:  # noqa: BLE001 - a damaged package fails in zipfile, zlib, lxml or python-docx alike
        message = first_line(exc)
        raise UnreadableDocument(f"corrupt Word document: {message}") from None
    blocks: list[Block] = []
    for element in _body_elements(document.element.body):
        if element.tag == qn("w:p"):
            text = Paragraph(element, document).text.strip()
            if text:
                blocks.append(text)
        else:
            blocks.append(Table(_grid(DocxTable(element, document))))
    return Reading(blocks)


def _body_elements(parent) -> Iterator:
    """The body's paragraphs and tables in order, looking inside content controls (w:sdt) that wrap some of them."""
    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_elements(content)


def _grid(table: DocxTable) -> list[list[str | None]]:
    """The table's layout grid; a merged cell keeps its text in its first slot and leaves None in the others.

    Read from the <w:tc> elements themselves rather than python-docx's row.cells, which repeats a merged cell in
    every slot it spans and finds a vertical merge's top cell by an XPath search per slot (most of the time spent).
    """
    grid: list[list[str | None]] = []
    for tr in table._tbl.tr_lst:
        row: list[str | None] = [None] * tr.grid_before  # a row may start right of the first column
        for tc in tr.tc_lst:
            # A cell continuing a vertical merge (vMerge="continue") shows nothing of its own.
            text = None if tc.vMerge == ST_Merge.CONTINUE else _Cell(tc, table).text.strip()
            row += [text] + [None] * (tc.grid_span - 1)
        grid.append(row)
    return grid
