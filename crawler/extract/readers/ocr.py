"""OCR of page images (scanned PDFs, photos of reports) into the page layout the PDF reader gets from a text layer:
ruled tables as grids and text lines, so a scan goes through the same paragraph logic and the same interpreter.

RapidOCR (PP-OCR models shipped in its wheel, run by onnxruntime: no download, no network) finds the text boxes.
The tables come from the scan's ruling lines, not from guessing columns out of text positions: reports print the
template tables fully ruled, and the rules say which cell a number sits in even where a cell's text is top-aligned
or a label wraps over three lines. Long dark runs of pixels outside the text boxes are the rules; grid.py makes
cells of them as it does of the lines a PDF draws. The page is deskewed first (scans lie a fraction of a degree
askew), from the slope of its long text boxes. A box read below MIN_CONFIDENCE is handed on as Uncertain text.
"""

from __future__ import annotations

import math
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path

import numpy as np
from PIL import Image

from crawler.extract.blocks import Uncertain, UnreadableDocument
from crawler.extract.readers import grid
from crawler.extract.readers.layout import PageLayout

DPI = 150  # scans are made at 150–300 dpi; at 150 the table digits are ~20 px high and read at ≥ 0.99 confidence
MIN_CONFIDENCE = 0.9  # below this a cell's text is handed on as Uncertain (the interpreter warns, naming the fact)
RASTERISE_TIMEOUT_SECONDS = 120
_ENGINE_PARAMS = {
    "Global.log_level": "warning",
    # Pages are upright; the 180° text-line classifier costs time and reads nothing a scan of a report needs.
    "Global.use_cls": False,
    # Text detection on the page scaled to at most 1280 px (150 dpi A4 is 1240 × 1754): text stays ~20 px high.
    "Det.limit_type": "max",
    "Det.limit_side_len": 1280,
    # Recognition pads every crop to at least this width; PP-OCR's 320 makes each of a table's hundreds of
    # one-digit cells cost as much as a line of text. 160 read the test scans exactly as 320 did, in about half
    # the time on table pages.
    "Rec.rec_img_shape": [3, 48, 160],
}
# Ruling lines: pixel runs at least this many text heights long once joined (a character's stroke is shorter than
# its box); pieces of a rule that blur and JPEG broke up are joined across small gaps (in pixels, at DPI).
_RULE_MIN_TEXT_HEIGHTS = 1.0
_RUN_MIN_PIXELS = 8
_TOLERANCES = grid.Tolerances(snap=3, join=5, meet=4)

_engine = None
_engine_lock = threading.Lock()  # RapidOCR keeps per-call settings on itself: one call at a time
_threads = -1  # onnxruntime intra-op threads; -1: all cores


def use_threads(count: int) -> None:
    """Set the OCR engine's thread count before its first use (a process pool's workers share the cores out)."""
    global _threads
    _threads = count


def engine():
    """This process's OCR engine, loaded once (about a second) on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr import RapidOCR  # heavy import (onnxruntime, OpenCV): only when a scan comes

            _engine = RapidOCR(params={**_ENGINE_PARAMS, "EngineConfig.onnxruntime.intra_op_num_threads": _threads})
        return _engine


def rasterise(pdf: bytes, first: int, last: int) -> list[Image.Image]:
    """Pages first..last (1-based) of a PDF as grayscale images at DPI. TIFF output: pdftoppm writes it many times
    faster than PNG, whose compression dominates on scans."""
    with tempfile.TemporaryDirectory(prefix="extract-ocr-") as workdir:
        source = Path(workdir) / "document.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run(
                ["pdftoppm", "-r", str(DPI), "-gray", "-tiff", "-f", str(first), "-l", str(last), str(source),
                 str(Path(workdir) / "page")],
                check=True, capture_output=True, timeout=RASTERISE_TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            raise UnreadableDocument(f"pdftoppm did not render the pages in {RASTERISE_TIMEOUT_SECONDS} s") from None
        except subprocess.CalledProcessError as exc:
            message = exc.stderr.decode(errors="replace").strip().splitlines()
            cause = message[-1] if message else f"exit status {exc.returncode}"
            raise UnreadableDocument(f"pdftoppm could not render the pages: {cause}") from None
        images = []
        for path in sorted(Path(workdir).glob("page-*.tif"), key=lambda path: int(path.stem.rsplit("-", 1)[1])):
            with Image.open(path) as image:
                images.append(image.convert("L"))
        return images


def read_page(image: Image.Image) -> PageLayout:
    """A page image's ruled tables and text lines."""
    image = image.convert("L")
    boxes = _text_boxes(image)
    skew = _skew(boxes)
    if abs(skew) > 0.0003:  # radians: less drift than half a pixel across a page is left alone
        image = image.rotate(math.degrees(skew), resample=Image.BILINEAR, fillcolor=255)
        boxes = [box.rotated(-skew, image.width / 2, image.height / 2) for box in boxes]
    pieces = [box.piece() for box in boxes]
    text_height = statistics.median(piece.height for piece in pieces) if pieces else 20.0
    return grid.page_layout(pieces, _rules(np.asarray(image), pieces, text_height), (0, image.width), image.height,
                            _TOLERANCES)


class _Box:
    """One text box the OCR found: its text, confidence and corner points (pixels)."""

    def __init__(self, text: str, score: float, points: np.ndarray):
        self.text, self.score, self.points = text, score, points

    def slope(self) -> float:
        """The angle of its top edge (top-left → top-right corner), in radians; positive is clockwise."""
        (left_x, left_y), (right_x, right_y) = self.points[0], self.points[1]
        return math.atan2(right_y - left_y, right_x - left_x)

    def is_long(self) -> bool:
        width, height = np.ptp(self.points, axis=0)
        return width > 6 * height

    def rotated(self, angle: float, cx: float, cy: float) -> _Box:
        """The box turned by `angle` radians about (cx, cy), positive clockwise on the page (Image.rotate turns
        counterclockwise: image.rotate(degrees(a)) goes with box.rotated(-a))."""
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = self.points[:, 0] - cx, self.points[:, 1] - cy
        return _Box(self.text, self.score, np.stack([cx + x * cos - y * sin, cy + x * sin + y * cos], axis=1))

    def piece(self) -> grid.Piece:
        (x0, top), (x1, bottom) = self.points.min(axis=0), self.points.max(axis=0)
        text = Uncertain(self.text, self.score) if self.score < MIN_CONFIDENCE else self.text
        return grid.Piece(text, float(x0), float(top), float(x1), float(bottom))


def _text_boxes(image: Image.Image) -> list[_Box]:
    ocr = engine()
    with _engine_lock:
        result = ocr(np.asarray(image.convert("RGB")))
    if result.boxes is None:
        return []
    return [_Box(text.strip(), float(score), np.asarray(points, dtype=float))
            for points, text, score in zip(result.boxes, result.txts, result.scores) if text.strip()]


def _skew(boxes: list[_Box]) -> float:
    """The page's rotation in radians, from the slope of its long text lines (0 when it has none)."""
    slopes = [box.slope() for box in boxes if box.is_long()]
    return statistics.median(slopes) if slopes else 0.0


def _rules(pixels: np.ndarray, pieces: list[grid.Piece], text_height: float) -> list[dict]:
    """The ruling lines of a page image: runs of dark pixels outside the text (a run inside a text box is a stroke
    of a character), longer than a character is high once joined."""
    dark = pixels < _dark_threshold(pixels)
    text_areas = np.array([(p.x0 - 2, p.top - 2, p.x1 + 2, p.bottom + 2) for p in pieces]).reshape(-1, 4)
    edges = []
    for orientation, mask in (("h", dark), ("v", dark.T)):
        rows, starts, ends = _runs(mask, _RUN_MIN_PIXELS)
        x0, top, x1, bottom = (starts, rows, ends, rows + 1) if orientation == "h" else (rows, starts, rows + 1, ends)
        in_text = ((x0[:, None] >= text_areas[:, 0]) & (x1[:, None] <= text_areas[:, 2])
                   & (top[:, None] >= text_areas[:, 1]) & (bottom[:, None] <= text_areas[:, 3])).any(axis=1)
        kept = (bounds[~in_text].tolist() for bounds in (x0, top, x1, bottom))
        edges += [grid.edge(orientation, *bounds) for bounds in zip(*kept)]
    min_length = max(_RULE_MIN_TEXT_HEIGHTS * text_height, _RUN_MIN_PIXELS)
    return [edge for edge in grid.merged_edges(edges, _TOLERANCES) if max(edge["width"], edge["height"]) >= min_length]


def _dark_threshold(pixels: np.ndarray) -> float:
    """Otsu's threshold between ink and paper of a grayscale image; 0 (no pixel is ink) for an image of a single
    grey level (a blank page), which has no two classes to separate."""
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(float)
    levels = np.arange(256)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    total_weight, total_mean = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight - mean * total_weight) ** 2 / (weight * (total_weight - weight))
    between = between[:-1]  # a split after the last level leaves the paper class empty
    if np.isnan(between).all():
        return 0.0
    return float(np.nanargmax(between)) + 1


def _runs(mask: np.ndarray, min_length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, starts, ends): every run of True along the rows of `mask` at least `min_length` long."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    starts, ends = np.argwhere(steps == 1), np.argwhere(steps == -1)  # both in row-major order: they pair up
    long = ends[:, 1] - starts[:, 1] >= min_length
    return starts[long, 0], starts[long, 1], ends[long, 1]
