"""Plain text: one paragraph per line; tables as tab-separated lines.

Two table renderings occur (both in ../shared/seeds):
- a row per line, cells separated by tabs ("label\\t3\\t0\\t3");
- a cell per line, each line starting with one tab, a cell's further lines following without a tab, and a blank
  line ending the row (a Word table exported cell by cell).
"""

from __future__ import annotations

import re

from crawler.extract import limits
from crawler.extract.blocks import Block, Reading, Table, UnreadableDocument
from crawler.text import decode_chinese

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")  # anchors left in the text by some Word exports


def read(data: bytes) -> Reading:
    limits.check_size("the text file", len(data), limits.MAX_TEXT_BYTES)
    text = decode_chinese(data)
    if text is None:
        raise UnreadableDocument("not a text file")
    return Reading(blocks_of_text(text))


def blocks_of_text(text: str) -> list[Block]:
    """Paragraphs and tables of a plain text rendering."""
    blocks: list[Block] = []
    table: list[list[str]] | None = None  # the table being read, rows so far
    cell_row: list[str] | None = None  # the row being read cell per line, None outside such a row
    for line in _BOOKMARK.sub("", text).splitlines():
        is_cell_line = line.startswith("\t") and "\t" not in line[1:]
        if "\t" in line and not is_cell_line:
            table = _open_table(blocks, table)
            table.append(_grid_row(line))
            cell_row = None
        elif is_cell_line:
            table = _open_table(blocks, table)
            if cell_row is None:
                cell_row = []
                table.append(cell_row)
            cell_row.append(line.strip())
        elif not line.strip():
            cell_row = None  # a blank line ends a cell-per-line row; a table may go on after it
        elif cell_row is not None:
            cell_row[-1] = f"{cell_row[-1]}\n{line.strip()}".strip()  # a cell's next line
        else:
            table = None
            blocks.append(line.strip())
    return blocks


def _open_table(blocks: list[Block], rows: list[list[str]] | None) -> list[list[str]]:
    """The rows of the table being read, starting a new table block when none is open."""
    if rows is None:
        rows = []
        blocks.append(Table(rows))
    return rows


def _grid_row(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.split("\t")]
    # A text line cannot show a blank cell at its end, so trailing empty cells are only tab padding.
    while cells and not cells[-1]:
        cells.pop()
    return cells
