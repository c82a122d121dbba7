"""Small text helpers that crawling and extraction share: Chinese bytes as text, whitespace, one-line errors."""

from __future__ import annotations

import re

_WHITESPACE = re.compile(r"\s+")


def decode_chinese(data: bytes) -> str | None:
    """`data` as text: UTF-8 (a BOM allowed), else GB18030 (a superset of GBK and GB2312, what Chinese servers send
    undeclared), or None when it reads as neither. A few undecodable bytes (a damaged download) become U+FFFD;
    more than 1% of them, or of control characters, means the bytes are not text in that encoding."""
    for encoding in ("utf-8-sig", "gb18030"):
        text = data.decode(encoding, errors="replace")
        if reads_as_text(text):
            return text
    return None


def reads_as_text(text: str) -> bool:
    """Whether decoded `text` is text rather than bytes decoded in the wrong encoding: at most 1% of it U+FFFD or
    control characters."""
    unreadable = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f") or ch == "\ufffd")
    return unreadable <= len(text) // 100


def collapse_whitespace(text: str) -> str:
    """Every run of whitespace as one space, none at the ends: a web page's text as a reader sees it."""
    return _WHITESPACE.sub(" ", text).strip()


def without_whitespace(text: str) -> str:
    """`text` with no whitespace at all: Chinese titles and labels, which printing and layout break anywhere."""
    return _WHITESPACE.sub("", text)


def first_line(exc: BaseException) -> str:
    """An exception's message as one line (its first non-empty line), or its type's name when it has none: for
    failure records and a CLI's stderr, which take one line."""
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
