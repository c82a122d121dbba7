"""A page from positioned text and ruling lines: the ruled tables as cell grids, the text outside them as lines.

Both page readers build their pages here: the PDF reader from the text layer's characters and the lines the PDF
draws, OCR from the text boxes it recognised and the rules it found in the pixels. pdfplumber's table logic
(snap and join collinear pieces of a rule, find where rules meet, the smallest rectangles between meeting points,
tables as groups of touching cells) turns the rules into cells; each piece of text goes to the cell its centre
lies in. A table wider than the page (a landscape table exported on a portrait page) has its rules cut at the page's
edge: a cell that does not lie wholly on the page is read for the text it shows, but is no blank cell when it shows
none, since what it printed beyond the edge is unknown.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from pdfplumber import table as pdfplumber_table

from crawler.extract.blocks import Table, Uncertain
from crawler.extract.readers.layout import BBox, PageLayout


@dataclass
class Piece:
    """A run of text on one line (a word of a text layer, a box of OCR), with its position on the page."""

    text: str  # an Uncertain when the reader is unsure of it
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Tolerances:
    """Distances (in the page's unit) within which pieces of one rule are snapped onto one line and joined, and
    within which two rules count as meeting."""

    snap: float
    join: float
    meet: float


def edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    """A rule segment, "h" or "v", with the fields pdfplumber's edge functions read and update."""
    return {"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top}


def page_layout(pieces: list[Piece], edges: list[dict], page_x: tuple[float, float], height: float,
                tolerances: Tolerances) -> PageLayout:
    """The page's ruled tables (bounding box and grid) and its text lines outside them; `page_x` is where the
    visible page begins and ends horizontally."""
    tables = ruled_tables(edges, tolerances)
    in_tables = {id(piece) for piece in pieces if any(_contains(bbox, piece.center) for bbox in tables)}
    table_pieces = [piece for piece in pieces if id(piece) in in_tables]
    # A cell's side this close to the page's edge is where the page cut it, not where its rule was drawn.
    on_page = (page_x[0] + tolerances.snap, page_x[1] - tolerances.snap)
    grids = [(bbox, _grid(cells, table_pieces, on_page)) for bbox, cells in tables.items()]
    lines = [_line_dict(line) for line in text_lines([piece for piece in pieces if id(piece) not in in_tables])]
    return PageLayout(grids, lines, height)


def merged_edges(edges: list[dict], tolerances: Tolerances) -> list[dict]:
    """The rules, pieces of one rule snapped onto one line and joined where they nearly touch."""
    return pdfplumber_table.merge_edges(edges, tolerances.snap, tolerances.snap, tolerances.join, tolerances.join)


def ruled_tables(edges: list[dict], tolerances: Tolerances) -> dict[BBox, list[BBox]]:
    """Each ruled table's bounding box → its cells' boxes."""
    meeting = pdfplumber_table.edges_to_intersections(merged_edges(edges, tolerances), tolerances.meet,
                                                      tolerances.meet)
    cells = pdfplumber_table.intersections_to_cells(meeting)
    return {pdfplumber_table.Table(None, table).bbox: table for table in pdfplumber_table.cells_to_tables(cells)}


def text_lines(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into text lines (a piece whose middle lies within a line's first piece joins it), top to
    bottom, each line's pieces left to right."""
    lines: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda piece: piece.center[1]):
        line = lines[-1] if lines else None
        if line and line[0].top <= piece.center[1] <= line[0].bottom:
            line.append(piece)
        else:
            lines.append([piece])
    return [sorted(line, key=lambda piece: piece.x0) for line in lines]


def _contains(bbox: BBox, point: tuple[float, float]) -> bool:
    return bbox[0] <= point[0] <= bbox[2] and bbox[1] <= point[1] <= bbox[3]


def _grid(cells: list[BBox], pieces: list[Piece], on_page: tuple[float, float]) -> Table:
    """The table's rows as pdfplumber lays them out, each cell the text of the pieces whose centre lies in it, its
    lines joined by newlines, and where the cell spans; None where a merged cell covers the slot, or where a blank
    cell does not lie between the horizontal bounds `on_page`."""
    rows, spans = [], []
    for row in pdfplumber_table.Table(None, cells).rows:
        texts = [None if box is None else _cell_text(box, pieces) for box in row.cells]
        # A blank cell that the page's edge cuts may have printed its text beyond the edge: no blank cell to read.
        texts = [None if text == "" and not on_page[0] < box[0] < box[2] < on_page[1] else text
                 for box, text in zip(row.cells, texts)]
        rows.append(texts)
        spans.append([None if text is None else (box[0], box[2]) for box, text in zip(row.cells, texts)])
    return Table(rows, spans)


def _cell_text(box: BBox, pieces: list[Piece]) -> str:
    return _joined([_line_text(line) for line in text_lines([p for p in pieces if _contains(box, p.center)])], "\n")


def _line_text(line: list[Piece]) -> str:
    """A line's text: its pieces side by side, a space where they stand well apart (columns of a borderless
    table, words of a text layer that draws no space)."""
    parts = [line[0].text]
    for before, piece in itertools.pairwise(line):
        parts += [" "] if piece.x0 - before.x1 > 0.5 * before.height else []
        parts.append(piece.text)
    return _joined(parts, "")


def _joined(parts: list[str], separator: str) -> str:
    """The parts joined; Uncertain (with the lowest confidence) when any part is."""
    text = separator.join(parts).strip()
    confidences = [part.confidence for part in parts if isinstance(part, Uncertain)]
    return Uncertain(text, min(confidences)) if confidences else text


def _line_dict(line: list[Piece]) -> dict:
    return {"text": str(_line_text(line)), "x0": min(p.x0 for p in line), "x1": max(p.x1 for p in line),
            "top": min(p.top for p in line), "bottom": max(p.bottom for p in line)}
