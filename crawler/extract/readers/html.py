"""HTML (lxml): the page body's text blocks in reading order, each <table> as a grid with row/column spans expanded."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from crawler.extract.blocks import Block, Reading, Table, UnreadableDocument
from crawler.extract.kinds import decode_text

_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")  # lxml refuses text that still declares an encoding
# Elements that end the line of text before them and start a new one.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br center dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section tr ul".split()
)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "select", "button"})
_WHITESPACE = re.compile(r"\s+")
_MAX_SPAN = 100  # a malformed rowspan/colspan must not blow the grid up


def read(data: bytes) -> Reading:
    text = _decode(data)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"unparsable HTML: {exc}") from None
    blocks: list[Block] = []
    line: list[str] = []
    _walk(root.find("body") if root.find("body") is not None else root, blocks, line)
    _flush(line, blocks)
    return Reading(blocks)


def _decode(data: bytes) -> str:
    """The page as text, in the charset its <meta> declares (GB2312/GBK read as their superset GB18030), else
    UTF-8 or GB18030; like a browser, a stray undecodable byte becomes U+FFFD rather than losing the page."""
    declared = _CHARSET.search(data[:4096])
    charset = declared[1].decode("ascii").lower() if declared else None
    charset = "gb18030" if charset in ("gb2312", "gbk", "x-gbk") else charset
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name
            pass
    return decode_text(data) or data.decode("utf-8", errors="replace")


def _walk(element, blocks: list[Block], line: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else None  # comments and processing instructions: no text
    if tag is None or tag in _SKIPPED_TAGS:
        return
    if tag == "table":
        _flush(line, blocks)
        blocks.append(Table(_grid(element)))
        return
    if tag in _BLOCK_TAGS:
        _flush(line, blocks)
    if element.text:
        line.append(element.text)
    for child in element:
        _walk(child, blocks, line)
        if child.tail:
            line.append(child.tail)
    if tag in _BLOCK_TAGS:
        _flush(line, blocks)


def _flush(line: list[str], blocks: list[Block]) -> None:
    text = _squeeze("".join(line))
    if text:
        blocks.append(text)
    line.clear()


def _grid(table) -> list[list[str | None]]:
    """The table's rows (not those of tables nested in its cells), with a spanned cell's text in its first slot."""
    covered: set[tuple[int, int]] = set()  # (row, column) slots taken by a cell spanning down from above
    grid: list[list[str | None]] = []
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table")) is table]
    for index, tr in enumerate(rows):
        row: list[str | None] = []
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (index, len(row)) in covered:
                row.append(None)
            column, columns, down = len(row), _span(cell, "colspan"), _span(cell, "rowspan")
            row += [_squeeze(cell.text_content())] + [None] * (columns - 1)
            covered.update((index + r, column + c) for r in range(1, down) for c in range(columns))
        while (index, len(row)) in covered:
            row.append(None)
        grid.append(row)
    return grid


def _span(cell, attribute: str) -> int:
    try:
        return min(max(int(cell.get(attribute, "1")), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _squeeze(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()
