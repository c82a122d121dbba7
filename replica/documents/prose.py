"""The prose of a report (intro and the six sections), taken from a seed report's extracted text.

A seed text is what a PDF text extractor printed: page breaks cut sentences, web-page screenshots leave
tab-separated residue, image captions stand alone in brackets, and digits carry stray spaces. The prose is
cleaned of all that, so a generated document reads like one a clerk typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

STANDARD_HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
# A word each section heading contains whatever its exact wording, so that table rows such as
# 一、本年新收政府信息公开申请数量 or 四、结转下年度继续办理 are not taken for headings.
_HEADING_WORDS = (("总体", "基本"), ("主动公开",), ("申请",), ("复议", "诉讼"), ("问题",), ("其他",))
# Sections 二-四 hold the tables; the seed's text there is table residue, not prose.
_TABLE_SECTIONS = (2, 3, 4)

_ORDINAL = re.compile(r"^(?:[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|[一二三四五六七八九十\d]+[、.．])")
_CAPTION = re.compile(r"^[（(][^（()）]*[）)]$")
_SENTENCE_END = ("。", "！", "？", "；", "：", "”", "」")
_SUBHEADING_MAX_CHARS = 40
_YEAR = re.compile(r"(?<![〔\[\d])(?:19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ReportProse:
    """The text of a report around its tables: intro paragraphs and six sections in order."""

    intro: tuple[str, ...]
    sections: tuple[Section, ...]


def prose_from_seed_text(text: str) -> ReportProse:
    """Split a seed report's text into intro and sections, keeping only clean prose paragraphs.

    The intro is the sentences before 一、; the title lines above it are dropped (a generated report prints its
    own). A heading the seed lacks gets its standard wording and no text.
    """
    # Tabs mark table cells and web-page screenshot residue, never prose.
    lines = [_without_spaces(line) for line in text.splitlines() if line.strip() and "\t" not in line]
    starts = []
    position = 0
    for number, words in enumerate(_HEADING_WORDS, start=1):
        found = next((i for i in range(position, len(lines)) if _is_heading(lines[i], number, words)), None)
        starts.append(found)
        if found is not None:
            position = found + 1
    first = next((start for start in starts if start is not None), len(lines))
    # The title (often broken over lines) and web-page stamps such as 发布时间 stand before the first sentence.
    intro_start = next((i for i in range(first) if "。" in lines[i]), first)
    intro = _paragraphs(lines[intro_start:first])
    sections = []
    for number, start in enumerate(starts, start=1):
        if start is None:
            sections.append(Section(STANDARD_HEADINGS[number - 1], ()))
            continue
        stop = next((later for later in starts[number:] if later is not None), len(lines))
        body = () if number in _TABLE_SECTIONS else tuple(_paragraphs(lines[start + 1:stop]))
        sections.append(Section(lines[start], body))
    return ReportProse(tuple(intro), tuple(sections))


def shift_years(prose: ReportProse, by: int) -> ReportProse:
    """The same prose told `by` years later: every year moves (2020年 → 2022年, 2019 → 2021), except
    years in document numbers such as 国办公开办函〔2019〕60号."""

    def shifted(text: str) -> str:
        return _YEAR.sub(lambda match: str(int(match.group()) + by), text)

    return replace(
        prose,
        intro=tuple(map(shifted, prose.intro)),
        sections=tuple(Section(shifted(s.heading), tuple(map(shifted, s.paragraphs))) for s in prose.sections),
    )


def _without_spaces(line: str) -> str:
    # Extracted text puts spaces inside numbers and words (2020 年, zb. shandong. cn); Chinese prose has none.
    # Text extracted from .docx keeps Word's bookmark markers.
    return re.sub(r"\s+|\[bookmark:[^\]]*\]", "", line)


def _is_heading(line: str, number: int, words: tuple[str, ...]) -> bool:
    return line.startswith(f"{STANDARD_HEADINGS[number - 1][0]}、") and any(word in line for word in words)


def _paragraphs(lines: list[str]) -> list[str]:
    """Rejoin sentences cut by page breaks and drop bracketed image captions."""
    paragraphs: list[str] = []
    for line in lines:
        if _CAPTION.match(line) and not _ORDINAL.match(line):
            continue
        previous = paragraphs[-1] if paragraphs else ""
        if previous and not previous.endswith(_SENTENCE_END) and not _is_subheading(previous) \
                and not _ORDINAL.match(line):
            paragraphs[-1] = previous + line
        else:
            paragraphs.append(line)
    return paragraphs


def _is_subheading(line: str) -> bool:
    """（一）主动回应社会热点… : numbered and short; a long numbered line is a paragraph a page break may cut."""
    return bool(_ORDINAL.match(line)) and len(line) <= _SUBHEADING_MAX_CHARS
