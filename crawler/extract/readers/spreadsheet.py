"""Excel .xlsx (openpyxl) and .xls (xlrd): each sheet's cells as table grids, with merged cells expanded as in the
other readers (text in the first slot, None in the rest).

A sheet laid out like the report puts its title and section headings in rows of their own, one cell merged over
the width; such rows, and the one-cell rows above the first table row, are read as paragraphs, so title, agency,
year and sections are found as in a Word document. Runs of the other rows are the tables.
"""

from __future__ import annotations

import datetime
import io

from crawler.extract.blocks import Block, Reading, Table, UnreadableDocument

Grid = list[list[str | None]]
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based, inclusive)


def read_xlsx(data: bytes) -> Reading:
    import openpyxl  # imported on use: spreadsheets are rare

    try:
        # data_only: the values a formula computed when the file was last saved, not the formula.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged package fails in zipfile, lxml or openpyxl alike
        raise UnreadableDocument(f"corrupt Excel workbook: {_one_line(exc)}") from None
    sheets = []
    for sheet in workbook.worksheets:
        grid = [[_text(cell.value) for cell in row] for row in sheet.iter_rows()]
        merges = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in sheet.merged_cells.ranges]
        sheets.append((grid, merges))
    return Reading(_blocks(sheets))


def read_xls(data: bytes) -> Reading:
    import xlrd

    try:
        # formatting_info: needed for the merged cell ranges. xlrd's notes on odd files go to a discarded log, not
        # to stdout (which carries the CLI's JSON).
        workbook = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except Exception as exc:  # noqa: BLE001 - xlrd raises assertion, index, struct and its own errors on damage
        raise UnreadableDocument(f"corrupt Excel 97 workbook: {_one_line(exc)}") from None
    sheets = []
    for sheet in workbook.sheets():
        grid = [[_xls_text(sheet.cell(r, c), workbook.datemode) for c in range(sheet.ncols)]
                for r in range(sheet.nrows)]
        merges = [(first_row, first_column, last_row - 1, last_column - 1)
                  for first_row, last_row, first_column, last_column in sheet.merged_cells]
        sheets.append((grid, merges))
    return Reading(_blocks(sheets))


def _text(value) -> str:
    """A cell value as printed: whole numbers without '.0', dates as dates, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).strip()


def _xls_text(cell, datemode: int) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return _text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return _text(cell.value)


def _blocks(sheets: list[tuple[Grid, list[Merge]]]) -> list[Block]:
    blocks: list[Block] = []
    for grid, merges in sheets:
        grid = _expanded(grid, merges)
        width = max((len(row) for row in grid), default=0)
        # A title or heading is merged over (nearly) the sheet's width; a row label over a few label columns.
        spanning = {(first_row, first_column) for first_row, first_column, _, last_column in merges
                    if last_column - first_column + 1 >= 0.75 * width}
        table: Grid | None = None
        seen_table = False
        for index, row in enumerate(grid):
            filled = [(column, cell) for column, cell in enumerate(row) if cell]
            if not filled:
                continue
            if len(filled) == 1 and (not seen_table or (index, filled[0][0]) in spanning):
                blocks.append(filled[0][1])
                table = None
                continue
            if table is None:
                table = []
                blocks.append(Table(table))
                seen_table = True
            table.append(row)
    return blocks


def _expanded(grid: Grid, merges: list[Merge]) -> Grid:
    """The grid with the slots a merged cell covers (all but its first) set to None."""
    grid = [list(row) for row in grid]
    for first_row, first_column, last_row, last_column in merges:
        for r in range(first_row, min(last_row, len(grid) - 1) + 1):
            for c in range(first_column, min(last_column, len(grid[r]) - 1) + 1):
                if (r, c) != (first_row, first_column):
                    grid[r][c] = None
    return grid


def _one_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
