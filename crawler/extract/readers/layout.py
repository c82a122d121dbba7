"""Laid-out pages → blocks: what the PDF reader (pdfplumber's text layer) and OCR (text boxes on a scan) both find on
a page, turned into paragraphs and tables in reading order.

A page is its ruled tables (bounding box, and the grid of cell texts and spans) and its text lines (text and position),
in any consistent unit (PDF points, image pixels): only proportions are compared.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import NamedTuple

from crawler.extract.blocks import Block, Table

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


class PageLayout(NamedTuple):
    tables: list[tuple[BBox, Table]]
    lines: list[dict]  # {"text", "x0", "x1", "top", "bottom"}, as pdfplumber's extract_text_lines gives them
    height: float


_PAGE_NUMBER = re.compile(r"[-—–－\s]*(第\s*)?\d+\s*页?(\s*共\s*\d+\s*页)?[-—–－\s]*")
# A line opening with 一、 or （一） starts a paragraph even when the layout does not show it (no indent).
_ENUMERATION = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]")
_CJK_OR_PUNCTUATION = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass
class _Line:
    text: str
    top: float
    starts_paragraph: bool  # indented or centred, or opens with an enumeration
    ends_short: bool  # stops well before the right margin, so the paragraph ends here


def blocks_of_pages(pages: list[PageLayout]) -> list[Block]:
    """The pages' paragraphs and tables in reading order; a paragraph may run on over a page break."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    paragraph_ended = False
    for page in pages:
        for item in _page_items(page):
            if isinstance(item, Table):
                _flush(paragraph, blocks)
                blocks.append(item)
                continue
            if item.starts_paragraph or (paragraph and paragraph_ended):
                _flush(paragraph, blocks)
            paragraph.append(item.text)
            paragraph_ended = item.ends_short
    _flush(paragraph, blocks)
    return blocks


def _page_items(page: PageLayout) -> list[_Line | Table]:
    """The page's tables and its text lines outside them, top to bottom."""
    tables = [
        (bbox, Table([[_cell(text) for text in row] for row in table.rows], table.spans))
        for bbox, table in page.tables
        if _is_real_table(table.rows)
    ]
    lines = [
        line
        for line in page.lines
        if not _is_page_number(line, page.height) and not any(_inside(line, bbox) for bbox, _ in tables)
    ]
    items: list[tuple[float, _Line | Table]] = [(bbox[1], table) for bbox, table in tables]
    items += [(line.top, line) for line in _layout_lines(lines)]
    items.sort(key=lambda item: item[0])
    return [item for _, item in items]


def _is_real_table(rows: list[list[str | None]]) -> bool:
    """A table has at least one row with two filled cells; a ruled-off paragraph (or a scanned page's frame) has
    one column."""
    return any(sum(1 for cell in row if cell and cell.strip()) >= 2 for row in rows)


def _cell(text: str | None) -> str | None:
    if text is None:
        return None
    stripped = text.strip()
    return text if stripped == text else stripped  # as it was when there is nothing to strip: an Uncertain stays one


def _is_page_number(line: dict, page_height: float) -> bool:
    in_margin = line["top"] > 0.9 * page_height or line["bottom"] < 0.08 * page_height
    return in_margin and _PAGE_NUMBER.fullmatch(line["text"]) is not None


def _inside(line: dict, bbox: BBox) -> bool:
    x0, top, x1, bottom = bbox
    middle = (line["top"] + line["bottom"]) / 2
    return top <= middle <= bottom and line["x0"] < x1 and line["x1"] > x0


def _layout_lines(lines: list[dict]) -> list[_Line]:
    """The page's lines with where paragraphs start and end, judged against the page's own margins."""
    if not lines:
        return []
    left = min(line["x0"] for line in lines)
    right = statistics.median(line["x1"] for line in lines)
    size = statistics.median(line["bottom"] - line["top"] for line in lines)
    return [
        _Line(
            text=line["text"],
            top=line["top"],
            starts_paragraph=line["x0"] - left > 0.8 * size or _ENUMERATION.match(line["text"]) is not None,
            ends_short=line["x1"] < right - 1.5 * size,
        )
        for line in lines
    ]


def _flush(paragraph: list[str], blocks: list[Block]) -> None:
    """Append the lines gathered so far as one paragraph, and start a new one."""
    if paragraph:
        text = paragraph[0]
        for line in paragraph[1:]:
            # Chinese wraps anywhere without a space; Latin words and numbers wrapped at a space get it back.
            joiner = "" if _CJK_OR_PUNCTUATION.match(text[-1]) or _CJK_OR_PUNCTUATION.match(line[0]) else " "
            text += joiner + line
        blocks.append(text)
        paragraph.clear()
