"""What every format reader hands to the interpreter: the document as ordered blocks.

A block is either a paragraph (a `str`, possibly several lines joined by "\\n") or a `Table`. Readers know
nothing about annual reports; the interpreter knows nothing about file formats.
"""

from __future__ import annotations

from dataclasses import dataclass


class UnreadableDocument(Exception):
    """The bytes cannot be read as a document at all (empty, corrupt, encrypted, or a kind not supported yet).

    The message is one line, fit for a CLI's stderr and a crawl's failure record.
    """


@dataclass
class Table:
    """A table as printed, expanded to its grid.

    Each cell is the cell's text with surrounding whitespace stripped ("" for a blank cell), or None for a grid
    slot covered by a merged cell that starts to its left or above (so a merged cell's text appears once).
    """

    rows: list[list[str | None]]


Block = str | Table
