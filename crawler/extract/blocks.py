"""What every format reader hands to the interpreter: the document as ordered blocks, and what it had to say.

A block is either a paragraph (a `str`, possibly several lines joined by "\\n") or a `Table`. Readers know
nothing about annual reports; the interpreter knows nothing about file formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self


class UnreadableDocument(Exception):
    """The bytes cannot be read as a document at all (empty, corrupt, encrypted, or a kind not supported).

    The message is one line, fit for a CLI's stderr and a crawl's failure record.
    """


class DocumentTooLarge(UnreadableDocument):
    """The document would take more than extraction allows (crawler.extract.limits): it inflates, parses or
    rasterises to more than a bound, or its extraction outgrew the worker's memory ceiling. The message names what
    was too large and the limit."""


class Uncertain(str):
    """Text a reader is unsure of (OCR below its confidence threshold). It travels through the interpreter like
    any cell text, so the warning can name the fact it ends up in."""

    confidence: float

    def __new__(cls, text: str, confidence: float) -> Self:
        instance = super().__new__(cls, text)
        instance.confidence = confidence
        return instance


Span = tuple[float, float]  # a cell's left and right edge on its page


@dataclass
class Table:
    """A table as printed, expanded to its grid.

    Each cell is the cell's text with surrounding whitespace stripped ("" for a blank cell), or None for a grid
    slot with no cell of its own to read: covered by a merged cell that starts to its left or above (so a merged
    cell's text appears once), or cut off at the page's edge (part of it was never printed, so its text is unknown
    and must not read as blank).

    `spans`, from readers that lay out pages (PDF, scans), gives each cell's horizontal extent on its page, in the
    shape of `rows` (None where the cell is None), so a value can be placed under its column's header when cells
    are missing; the pieces of a table split over pages share the pages' coordinates. Other readers give None.
    """

    rows: list[list[str | None]]
    spans: list[list[Span | None]] | None = None


Block = str | Table


@dataclass
class Reading:
    """A reader's result: the blocks, warnings about what it could not read (pages left out, …), and the title the
    document declares outside its text, if any (a web page's ArticleTitle, og:title, <h1> or <title>)."""

    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)
    title: str | None = None
