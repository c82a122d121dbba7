"""Title, agency and report year, read from the report's first lines; the crawl's hints fill what they lack."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.text import without_whitespace

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLE_AGENCY_YEAR = re.compile(r"(?P<agency>.*?)(?P<year>(?:19|20)\d{2})年度?(?P<rest>.*)")
# After the year: 政府信息公开工作年度报告, 政府信息公开年度报告, 政务公开工作年度报告 …
_DISCLOSURE_TERMS = ("政府信息公开", "政务公开", "信息公开")
_AGENCY_AFTER_YEAR = re.compile(rf"(?P<agency>.+?)(?:{'|'.join(_DISCLOSURE_TERMS)})")
# "统计期限自2020年1月1日起至2020年12月31日止" says the report year when the title does not.
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_TITLE_SEARCH_LINES = 20  # the title is among the first non-empty lines (after a web page's navigation)
_TITLE_MAX_LINES = 3  # and spans at most this many of them ("淄博市科学技术局" / "2020 年政府信息公开工作年度报告")


@dataclass
class Metadata:
    title: str | None
    agency: str | None
    year: int | None


def find_metadata(lines: list[str], hints: dict, declared_title: str | None = None) -> Metadata:
    """Title, agency and year from the document's opening lines, each falling back on `hints` when absent.

    `declared_title` (a web page's ArticleTitle or <title>) is preferred to the opening lines, which may be a
    breadcrumb or a title split over lines, unless they name more of agency and year than it does.
    """
    lines = [line.strip() for line in lines if line.strip()]
    candidates = [title for title in (without_whitespace(declared_title or ""), _title(lines[:_TITLE_SEARCH_LINES])) if title]
    # The most complete of them: agency and year ("张店区科学技术局2022年…" in the text beats a page title of
    # "2022年…"), else a year, else any.
    title = next((t for t in candidates if all(_agency_and_year(t))), None) or next(
        (t for t in candidates if _YEAR.search(t)), None) or next(iter(candidates), None)
    agency, year = _agency_and_year(title) if title else (None, None)
    if year is None:
        period = next((match for line in lines if (match := _PERIOD.search(line))), None)
        year = int(period[1]) if period else None
    hinted_title = without_whitespace(hints.get("title") or "") or None
    hinted_agency, hinted_year = _agency_and_year(hinted_title) if hinted_title else (None, None)
    return Metadata(
        title=title or hinted_title,
        agency=agency or hints.get("agency") or hinted_agency,
        year=year or _as_year(hints.get("year")) or hinted_year,
    )


def _title(lines: list[str]) -> str | None:
    """The title: the first short line saying 报告, with the line(s) above it that carry the year and agency."""
    end = next((i for i, line in enumerate(lines) if "报告" in line and len(line) <= 60 and "。" not in line), None)
    if end is None:
        return None
    first_allowed = max(end - _TITLE_MAX_LINES + 1, 0)
    year_line = next((i for i in range(end, first_allowed - 1, -1) if _YEAR.search(lines[i])), None)
    if year_line is None:
        return without_whitespace(lines[end])
    start = year_line
    # "2020 年政府信息公开工作年度报告" under "淄博市科学技术局": the agency is the line above the year.
    if _YEAR.match(lines[year_line]) and year_line > first_allowed and _is_heading_like(lines[year_line - 1]):
        start = year_line - 1
    return without_whitespace("".join(lines[start : end + 1]))


def _is_heading_like(line: str) -> bool:
    return len(line) <= 30 and not re.search(r"[。，,：:；;]", line)


def _agency_and_year(title: str) -> tuple[str | None, int | None]:
    match = _TITLE_AGENCY_YEAR.fullmatch(title)
    if match is None:
        return None, None
    agency = match["agency"].removesuffix("关于")  # "某局关于2020年政府信息公开工作年度报告"
    # "2020年度淄博市科学技术局政府信息公开工作年度报告"; but "2022年政府信息公开…" names no agency (not "政府").
    if not agency and not match["rest"].startswith(_DISCLOSURE_TERMS):
        after = _AGENCY_AFTER_YEAR.match(match["rest"])
        agency = after["agency"] if after else None
    return agency or None, int(match["year"])


def _as_year(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
