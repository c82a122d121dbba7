"""The prose of a report (intro and the six sections), taken from a seed report's extracted text.

A seed text is what a PDF text extractor printed: page breaks cut sentences, web-page screenshots leave
tab-separated residue, image captions stand alone in brackets, and digits carry stray spaces. The prose is
cleaned of all that, so a generated document reads like one a clerk typed.

Reports from before the 2019 templates followed another outline; pre_template_prose() writes one of those.
"""

from __future__ import annotations

import random
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
    # A seed copied from a web page ends with the page's download links (【word下载】…, 【图文解读】…), a
    # read-aloud button and the column name: page furniture, which the page template prints itself.
    furniture = next((i for i, line in enumerate(lines) if line.startswith("【")), len(lines))
    lines = lines[:furniture]
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
    return _rewritten(prose, lambda text: _YEAR.sub(lambda match: str(int(match.group()) + by), text))


def renamed(prose: ReportProse, names: dict[str, str]) -> ReportProse:
    """The same prose told by another body: each name of `names` replaced by its new one, in the order given
    (the agency's full name before its district's)."""

    def with_new_names(text: str) -> str:
        for old, new in names.items():
            text = text.replace(old, new)
        return text

    return _rewritten(prose, with_new_names)


def _rewritten(prose: ReportProse, rewrite) -> ReportProse:
    """The prose with `rewrite` applied to every heading and paragraph."""
    return replace(
        prose,
        intro=tuple(map(rewrite, prose.intro)),
        sections=tuple(Section(rewrite(s.heading), tuple(map(rewrite, s.paragraphs))) for s in prose.sections),
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


def with_paragraph(prose: ReportProse, section_number: int, paragraph: str) -> ReportProse:
    """The prose with `paragraph` first in section `section_number` (1-based), e.g. a note above a table."""
    sections = list(prose.sections)
    section = sections[section_number - 1]
    sections[section_number - 1] = Section(section.heading, (paragraph, *section.paragraphs))
    return replace(prose, sections=tuple(sections))


# Before the 2019 circulars a report followed the 2008 条例's outline: no tables, its numbers told in the text.
PRE_TEMPLATE_HEADINGS = (
    "一、概述",
    "二、主动公开政府信息情况",
    "三、依申请公开政府信息情况",
    "四、政府信息公开的收费及减免情况",
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "六、政府信息公开工作存在的主要问题及改进措施",
)


def pre_template_prose(agency: str, year: int, rng: random.Random) -> ReportProse:
    """A free-form report of the years before the national templates: six prose sections in the old outline,
    with the year's numbers (published items, applications and how they were answered) in the sentences."""
    kinds = {"机构职能": rng.randint(3, 8), "政策法规": rng.randint(5, 20), "规划计划": rng.randint(2, 6),
             "工作动态": rng.randint(40, 160), "通知公告": rng.randint(10, 40)}
    published = sum(kinds.values())
    granted, not_ours, missing = rng.randint(1, 4), rng.randint(0, 2), rng.randint(0, 1)
    applications = granted + not_ours + missing
    online = rng.randint(1, applications)
    documents = rng.randint(0, 3)
    intro = (
        f"本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{agency}编制的{year}年度政府信息"
        "公开工作年度报告。全文包括概述，主动公开政府信息情况，依申请公开政府信息情况，政府信息公开的收费及减免情况，"
        "因政府信息公开申请行政复议、提起行政诉讼的情况，政府信息公开工作存在的主要问题及改进措施。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有任何疑问，"
        f"请与{agency}办公室联系。",
    )
    sections = (
        (f"{year}年，{agency}认真贯彻落实《条例》和上级关于政府信息公开工作的部署要求，坚持“公开为原则、"
         "不公开为例外”，明确分管领导和办公室专人负责政府信息公开工作，健全信息发布保密审查机制，"
         "政府信息公开工作平稳有序开展。",),
        (f"{year}年，本机关通过门户网站政府信息公开专栏、政务微信等渠道主动公开政府信息{published}条，其中"
         + "，".join(f"{kind}类{count}条" for kind, count in kinds.items())
         + f"。全年制发规范性文件{documents}件，均在印发后20个工作日内向社会公开。",),
        (f"{year}年，本机关共收到政府信息公开申请{applications}件，其中网上申请{online}件，"
         f"信函申请{applications - online}件。已全部在法定期限内答复，其中同意公开{granted}件，"
         f"不属于本机关公开职责权限范围{not_ours}件，申请公开的信息不存在{missing}件。",),
        (f"{year}年，本机关未收取政府信息公开检索、复制、邮寄等费用，也无减免费用情况。",),
        (f"{year}年，本机关未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",),
        ("一是主动公开的内容还不够全面，信息更新不够及时；二是政策解读形式较为单一。"
         f"{year + 1}年，本机关将进一步完善政府信息公开工作制度，拓宽公开渠道，丰富解读形式，"
         "加强工作人员业务培训，不断提高政府信息公开工作水平。",),
    )
    return ReportProse(intro, tuple(Section(heading, body) for heading, body in zip(PRE_TEMPLATE_HEADINGS, sections)))
