"""Excel .xlsx (openpyxl) and .xls (xlrd): each sheet's cells as table grids, with merged cells expanded as in the
other readers (text in the first slot, None in the rest).

A sheet laid out like the report puts its title and section headings in rows of their own, one cell merged over
the width; such rows, and the one-cell rows above the first table row, are read as paragraphs, so title, agency,
year and sections are found as in a Word document. Runs of the other rows are the tables.

A sheet is read up to MAX_ROWS rows and MAX_COLUMNS columns, with a warning: a sheet may declare (or hold one
stray cell at) XFD1048576, and a report's sheet is a few hundred cells.
"""

from __future__ import annotations

import datetime
import io

from lxml import etree

from crawler.extract import limits
from crawler.extract.blocks import Block, Reading, Table, UnreadableDocument
from crawler.text import first_line

Grid = list[list[str | None]]
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based, inclusive)

MAX_ROWS = 1000
MAX_COLUMNS = 100
_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"


def read_xlsx(data: bytes) -> Reading:
    import openpyxl  # imported on use: spreadsheets are rare

    limits.check_package(data)
    try:
        # read_only: cells are streamed from the sheet's XML as they stand, instead of being made for every slot of
        # the declared dimension. data_only: the values a formula computed when the file was last saved.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets, warnings = [], []
            for sheet in workbook.worksheets:
                sheet.reset_dimensions()  # the declared dimension is not to be trusted: rows end at their last cell
                grid, cut = _bounded_grid(sheet.iter_rows(max_row=MAX_ROWS + 1, values_only=True))
                if cut:
                    warnings.append(_cut_warning(sheet.title))
                with sheet._get_source() as part:  # the sheet's XML part: read-only sheets skip its merged cells
                    sheets.append((grid, _merged_ranges(part)))
        finally:
            workbook.close()
    except Exception as exc:  # noqa: BLE001 - a damaged package fails in zipfile, lxml or openpyxl alike
        raise UnreadableDocument(f"corrupt Excel workbook: {first_line(exc)}") from None
    return Reading(_blocks(sheets), warnings)


def _bounded_grid(rows) -> tuple[Grid, bool]:
    """The first MAX_ROWS rows' first MAX_COLUMNS values as text, padded to the widest row (a streamed row ends at
    its last cell), and whether anything beyond them was cut."""
    grid: Grid = []
    cut = False
    for row in rows:
        if len(grid) == MAX_ROWS:
            cut = True
            break
        cut = cut or any(value is not None for value in row[MAX_COLUMNS:])
        grid.append([_text(value) for value in row[:MAX_COLUMNS]])
    width = max((len(row) for row in grid), default=0)
    return [row + [""] * (width - len(row)) for row in grid], cut


def _merged_ranges(sheet_xml) -> list[Merge]:
    """The merged cell ranges a sheet's XML part lists after its cells (streamed: the cells are not kept)."""
    from openpyxl.utils.cell import range_boundaries

    merges = []
    for _, element in etree.iterparse(sheet_xml, events=("end",), resolve_entities=False, no_network=True):
        if element.tag == _MERGE_CELL:
            try:
                first_column, first_row, last_column, last_row = range_boundaries(element.get("ref", ""))
            except ValueError:  # not a cell range: a damaged part
                first_row = None
            if first_row is not None:
                merges.append((first_row - 1, first_column - 1, last_row - 1, last_column - 1))
        element.clear()  # a row's cells, once passed, are not needed
    return merges


def read_xls(data: bytes) -> Reading:
    import xlrd

    try:
        # formatting_info: needed for the merged cell ranges. xlrd's notes on odd files go to a discarded log, not
        # to stdout (which carries the CLI's JSON).
        workbook = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except Exception as exc:  # noqa: BLE001 - xlrd raises assertion, index, struct and its own errors on damage
        raise UnreadableDocument(f"corrupt Excel 97 workbook: {first_line(exc)}") from None
    sheets, warnings = [], []
    for sheet in workbook.sheets():
        rows, columns = min(sheet.nrows, MAX_ROWS), min(sheet.ncols, MAX_COLUMNS)
        if (rows, columns) != (sheet.nrows, sheet.ncols):
            warnings.append(_cut_warning(sheet.name))
        grid = [[_xls_text(sheet.cell(r, c), workbook.datemode) for c in range(columns)] for r in range(rows)]
        merges = [(first_row, first_column, last_row - 1, last_column - 1)
                  for first_row, last_row, first_column, last_column in sheet.merged_cells]
        sheets.append((grid, merges))
    return Reading(_blocks(sheets), warnings)


def _cut_warning(sheet_name: str) -> str:
    return f"sheet {sheet_name!r} is larger than {MAX_ROWS} rows × {MAX_COLUMNS} columns; read only those"


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
