"""Table cell text → number, and the text normalisation used to match labels."""

from __future__ import annotations

import re
import unicodedata

from crawler.text import without_whitespace

_NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<digits>\d+(?:\.\d+)?)(?P<unit>万元|元|件|个|项|条|次)?")
# Printed in a value cell to say "nothing here"; the value is null, the raw text keeps the mark.
_NOTHING_MARKS = frozenset({"/", "-", "--", "—", "——", "–", "无", "×"})


def normalize(text: str) -> str:
    """`text` for matching: full-width forms folded to ASCII (NFKC), all whitespace removed."""
    return without_whitespace(unicodedata.normalize("NFKC", text))


def parse_value(raw: str) -> tuple[int | float | None, str | None] | None:
    """(value, unit) of a printed table cell, or None when the text is a label rather than a value.

    A blank cell or a "nothing" mark gives (None, None); '+229' gives (229, None); '4195.8936万元' gives
    (4195.8936, '万元'); '1,234' gives (1234, None).
    """
    text = normalize(raw).replace(",", "").replace("−", "-")
    if not text or text in _NOTHING_MARKS:
        return None, None
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    digits = match["digits"]
    number = float(digits) if "." in digits else int(digits)
    return (-number if match["sign"] == "-" else number), match["unit"]


def is_value(raw: str) -> bool:
    """Whether a cell's text belongs in a value column (a number, blank or a "nothing" mark)."""
    return parse_value(raw) is not None


def has_number(raw: str) -> bool:
    """Whether a cell prints an actual number (not blank, not a "nothing" mark)."""
    parsed = parse_value(raw)
    return parsed is not None and parsed[0] is not None
