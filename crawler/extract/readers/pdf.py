"""PDF (pdfium, through pypdfium2): each page's characters and drawn lines make its ruled tables and text lines
(grid.py); pages without a text layer (scans) go through OCR.

pdfium reads a page's text and drawings some ten times faster than pdfminer, which is what the pdfplumber reader
before it spent its time on; the table logic is still pdfplumber's (in grid.py). A table cut by a page break comes
as one table per page (the interpreter reads the pieces as one stream); a ruled-off paragraph, a one-column
"table", is given back as text (layout.py). Long files are read up to a page limit, with a warning, so a 300-page
compendium cannot stall a crawl; scanned pages have a lower limit, since each costs seconds of OCR.
"""

from __future__ import annotations

import ctypes
import itertools
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from crawler.extract import limits
from crawler.extract.blocks import Reading, UnreadableDocument
from crawler.extract.readers import grid, ocr
from crawler.extract.readers.layout import PageLayout, blocks_of_pages
from crawler.text import first_line

MAX_PAGES = 100  # annual reports run to 5–30 pages
MAX_SCANNED_PAGES = 30
_TOLERANCES = grid.Tolerances(snap=3, join=3, meet=3)  # points: pdfplumber's defaults
_WORD_GAP = 0.5  # a gap wider than half a character ends a piece: adjacent narrow cells stand that close
_SKIPPED_CHARACTERS = frozenset("\r\n\x02\ufffe\uffff")  # pdfium's generated line ends and hyphen marks
_pdfium_lock = threading.Lock()  # pdfium is not thread-safe; the crawl extracts in several threads


def read(data: bytes) -> Reading:
    pages, scanned, page_count, media_sizes = _parse(data)
    warnings = []
    if page_count > MAX_PAGES:
        warnings.append(f"PDF has {page_count} pages; read the first {MAX_PAGES}")
    if scanned:
        read_scans = scanned[:MAX_SCANNED_PAGES]
        if len(scanned) > len(read_scans):
            warnings.append(f"{len(scanned)} scanned pages; OCR read the first {len(read_scans)} of them")
        for number in range(read_scans[0], read_scans[-1] + 1):  # pdftoppm renders every page of the range
            width, height = (round(side * ocr.DPI / 72) for side in media_sizes[number])
            limits.check_pixels(f"page {number + 1} rendered at {ocr.DPI} dpi for OCR", width, height)
        images = ocr.rasterise(data, read_scans[0] + 1, read_scans[-1] + 1)
        for number in read_scans:
            pages[number] = ocr.read_page(images[number - read_scans[0]])
            if not (pages[number].lines or pages[number].tables):
                warnings.append(f"scanned page {number + 1}: OCR found no text on it")
    if not any(page.lines or page.tables for page in pages):
        raise UnreadableDocument("PDF without any text: no text layer, and no scanned page OCR could read")
    return Reading(blocks_of_pages(pages), warnings)


def _parse(data: bytes) -> tuple[list[PageLayout], list[int], int, list[tuple[float, float]]]:
    """Each page's layout (up to MAX_PAGES); the indexes of the pages that have images but no text (scans); the
    document's page count; and each page's media box (width, height) in points, the area pdftoppm renders."""
    with _pdfium_lock:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise UnreadableDocument("encrypted PDF: a password is needed to open it") from None
            raise UnreadableDocument(f"corrupt PDF: {first_line(exc)}") from None
        try:
            pages, scanned, media_sizes = [], [], []
            for index in range(min(len(document), MAX_PAGES)):
                page = document[index]
                layout, has_images = _page(page)
                if not (layout.lines or layout.tables) and has_images:
                    scanned.append(index)
                pages.append(layout)
                left, bottom, right, top = page.get_mediabox()
                media_sizes.append((abs(right - left), abs(top - bottom)))
                page.close()
            return pages, scanned, len(document), media_sizes
        finally:
            document.close()


def _page(page: pdfium.PdfPage) -> tuple[PageLayout, bool]:
    """The page's layout, and whether it shows any image."""
    height = page.get_height()
    left, _, right, _ = page.get_cropbox()  # the part of the page a viewer or printer shows
    textpage = page.get_textpage()
    pieces = _pieces(textpage, height)
    textpage.close()
    edges, has_images = [], False
    for kind, points in _drawings(page.raw):
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            has_images = True
        else:
            edges += _segment_edges(points, height)
    return grid.page_layout(pieces, edges, (left, right), height, _TOLERANCES), has_images


def _pieces(textpage: pdfium.PdfTextPage, height: float) -> list[grid.Piece]:
    """The text layer as pieces: runs of characters on one line without a wide gap (spaces kept inside a run),
    top-down coordinates."""
    pieces: list[grid.Piece] = []
    current: grid.Piece | None = None
    space = False
    for index in range(textpage.count_chars()):
        character = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
        if character in _SKIPPED_CHARACTERS:
            continue
        if character.isspace():
            space = True
            continue
        # The loose box spans the font's ascent to descent: the same height for every character of a line.
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        top, bottom = height - top, height - bottom
        size = bottom - top
        same_run = (current is not None and abs(top - current.top) < 0.5 * size
                    and -size < left - current.x1 < _WORD_GAP * size)
        if same_run:
            current.text += (" " if space else "") + character
            current.x1, current.bottom = max(current.x1, right), max(current.bottom, bottom)
        else:
            current = grid.Piece(character, left, top, right, bottom)
            pieces.append(current)
        space = False
    return pieces


Matrix = tuple[float, float, float, float, float, float]


def _drawings(parent, matrix: Matrix = (1, 0, 0, 1, 0, 0), form: bool = False):
    """(object type, subpaths) of the page's images and paths, Form XObjects' contents included; a path's
    subpaths are lists of its points in page space (bottom-up), a closed one ending where it began."""
    count = (pdfium_c.FPDFFormObj_CountObjects if form else pdfium_c.FPDFPage_CountObjects)(parent)
    for index in range(count):
        obj = (pdfium_c.FPDFFormObj_GetObject if form else pdfium_c.FPDFPage_GetObject)(parent, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            yield kind, []
        elif kind in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            own = pdfium_c.FS_MATRIX()
            pdfium_c.FPDFPageObj_GetMatrix(obj, own)
            combined = _compose((own.a, own.b, own.c, own.d, own.e, own.f), matrix)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                yield from _drawings(obj, combined, form=True)
            else:
                yield kind, _subpaths(obj, combined)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying `inner`, then `outer` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _subpaths(path, matrix: Matrix) -> list[list[tuple[float, float]]]:
    """The path's straight polylines in page space (bottom-up); a curve ends one and the next starts at its end, a
    closed subpath ends where it began."""
    a, b, c, d, e, f = matrix
    polylines: list[list[tuple[float, float]]] = []
    start = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and polylines:
            polylines[-1].append(point)
        else:  # a move, or a Bézier curve's control or end point: no straight rule leads here
            polylines.append([point])
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            polylines[-1].append(start)
    return polylines


def _segment_edges(subpaths: list[list[tuple[float, float]]], height: float) -> list[dict]:
    """The horizontal and vertical straight segments of a path (a table rule, a cell's border rectangle), as
    top-down edges; slanted segments and curves draw no rule."""
    edges = []
    for points in subpaths:
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= 1:
                edges.append(grid.edge("h", min(x0, x1), height - y0, max(x0, x1), height - y0))
            elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= 1:
                edges.append(grid.edge("v", x0, height - max(y0, y1), x0, height - min(y0, y1)))
    return edges
