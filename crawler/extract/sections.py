"""Split a report into its numbered sections (一、总体情况 … 六、其他需要报告的事项)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from crawler.extract.blocks import Block, Table
from crawler.extract.values import normalize

NUMERALS = "一二三四五六七八九十"
# What each template section's heading talks about. Wording varies (一、基本情况), and row labels inside the tables
# look like headings too (四、结转下年度继续办理, 一、本年新收…), so a heading must match its section's meaning and
# come in order.
_MEANING = {
    1: re.compile(r"总体情况|基本情况|总体概况|概述|概况"),
    2: re.compile(r"主动公开"),
    3: re.compile(r"申请"),
    4: re.compile(r"复议|诉讼"),
    5: re.compile(r"问题|改进"),
    6: re.compile(r"其他|其它|事项"),
}
# Headings numbered by Word's automatic numbering lose their 一、 in the text; those must read as the template does.
_UNNUMBERED = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}
_NUMBERED = re.compile(rf"([{NUMERALS}])\s*[、.．,，]\s*(.*)")
_HEADING_END = re.compile(r"[。：:]")
_HEADING_LENGTH = 40  # a numbered line longer than this, with no stop or colon to end a heading, is prose

Heading = tuple[int, str, str]  # (number, heading, text after the heading on the same line)


@dataclass
class Section:
    number: int
    heading: str
    first_block: int  # index of the block holding the heading
    lines: list[str]  # the section's text: paragraph lines, and table rows as tab-separated cells

    def as_dict(self) -> dict:
        return {"number": self.number, "heading": self.heading, "text": "\n".join(self.lines)}


def find_sections(blocks: list[Block]) -> tuple[list[str], list[Section]]:
    """The paragraph lines before the first heading (title, preamble) and the sections found, in order.

    Template reports are split by the six template sections; reports before 2019 (概述, 依申请公开, 收费及减免 …)
    by their own numbering, when that finds more sections than the template's headings do.
    """
    by_template = _split(blocks, _template_heading)
    if len(by_template[1]) == len(_UNNUMBERED):
        return by_template
    by_numbering = _split(blocks, _next_numbered_heading)
    return by_numbering if len(by_numbering[1]) > len(by_template[1]) else by_template


def _split(blocks: list[Block], heading_of: Callable[[str, int], Heading | None]) -> tuple[list[str], list[Section]]:
    preamble: list[str] = []
    sections: list[Section] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            # Tables before the first heading are page furniture (索引号 | 发布机构 | 标题 …), not the report's opening.
            if sections:
                # A cell's own line breaks ("商业企\n业") would break the one-row-per-line rendering.
                lines = ["\t".join(cell.replace("\n", "") for cell in row if cell) for row in block.rows]
                sections[-1].lines.extend(line for line in lines if line)
            continue
        for line in block.splitlines():
            heading = heading_of(line.strip(), sections[-1].number if sections else 0)
            if heading is None:
                (sections[-1].lines if sections else preamble).append(line)
                continue
            number, title, rest = heading
            sections.append(Section(number, title, index, [rest] if rest else []))
    return preamble, sections


def _template_heading(line: str, previous: int) -> Heading | None:
    """A template section's heading after section `previous`: numbered and meaning what that section is about."""
    numbered = _numbered(line)
    if numbered:
        number, title, rest = numbered
        if number <= previous or number not in _MEANING or not _MEANING[number].search(title):
            return None
        return numbered
    text = normalize(line)
    for number in range(previous + 1, len(_UNNUMBERED) + 1):
        if text.startswith(_UNNUMBERED[number]) and len(text) <= len(_UNNUMBERED[number]) + 4:
            return number, line, ""
    return None


def _next_numbered_heading(line: str, previous: int) -> Heading | None:
    """The heading numbered right after section `previous`, whatever it says."""
    numbered = _numbered(line)
    return numbered if numbered and numbered[0] == previous + 1 else None


def _numbered(line: str) -> Heading | None:
    """(number, heading, rest) of a line opening with 一、…十、; a heading run into its paragraph
    ("一、总体情况：2020年…") ends at the first stop or colon."""
    match = _NUMBERED.match(line)
    if match is None:
        return None
    number = NUMERALS.index(match[1]) + 1
    end = _HEADING_END.search(line)
    if end:
        return number, line[: end.start()].strip(), line[end.end() :].strip()
    return (number, line, "") if len(line) <= _HEADING_LENGTH else None
