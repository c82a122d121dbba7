"""Draw a report's （图解） companion: a poster of headline numbers that Shandong sites publish beside a report.

It is an image (PNG) with a few big numbers and short Chinese captions, drawn with Pillow in the Noto CJK fonts
(Debian package fonts-noto-cjk). It has no expected facts: a crawler should archive it, and an extractor should
read it as an image without the three tables.
"""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw, ImageFont

from .facts import PROCEEDINGS, ReportFacts
from .prose import ReportProse

_FONT_DIR = "/usr/share/fonts/opentype/noto/"
_BOLD = _FONT_DIR + "NotoSansCJK-Bold.ttc"
_REGULAR = _FONT_DIR + "NotoSansCJK-Regular.ttc"
_SIMPLIFIED_CHINESE = 2  # face index of Noto Sans CJK SC in the collection (JP, KR, SC, TC, HK)

_WIDTH = 900
_MARGIN = 60
_CARD_HEIGHT = 170
_BACKGROUND = (232, 241, 252)
_BANNER = (21, 87, 166)
_CARD = (255, 255, 255)
_NUMBER = (214, 69, 41)
_TEXT = (40, 40, 40)
# Headline numbers the report tells in its text: (caption, pattern of the number, unit); the first match counts.
_PROSE_NUMBERS = (
    ("主动公开政府信息", re.compile(r"主动公开[^。；，,]*?(\d+)条"), "条"),
    ("政务新媒体发布信息", re.compile(r"(?:微信公众号|新媒体)[^。；，,]*?(\d+)条"), "条"),
    ("办理人大建议和政协提案", re.compile(r"(?:建议|提案)[^。；]*?(\d+)件"), "件"),
)


def headline_numbers(facts: ReportFacts, prose: ReportProse) -> list[tuple[str, str, str]]:
    """(caption, number, unit) for the poster's cards: numbers the text tells, then the tables' numbers."""
    apps, reviews = facts.applications, facts.review_litigation
    in_force = facts.active_disclosure.get(("20.1", "normative_documents", "in_force"))
    text = "".join(paragraph for section in prose.sections for paragraph in section.paragraphs)
    cards = [(caption, match.group(1), unit) for caption, pattern, unit in _PROSE_NUMBERS
             if (match := pattern.search(text))]
    cards += [
        ("本年新收政府信息公开申请", str(apps["new_received", "total"] or 0), "件"),
        ("本年度办结申请", str(apps["total", "total"] or 0), "件"),
        ("结转下年度继续办理", str(apps["carried_forward", "total"] or 0), "件"),
        ("政府信息公开行政复议", str(reviews["review", "total"] or 0), "件"),
        ("政府信息公开行政诉讼", str(sum(reviews[p, "total"] or 0 for p in PROCEEDINGS[1:])), "件"),
    ]
    if in_force is not None:
        cards.append(("现行有效行政规范性文件", str(in_force), "件"))
    return cards


def render_infographic(title: str, facts: ReportFacts, prose: ReportProse) -> bytes:
    """The poster as PNG bytes: a banner with 图解 and the report's title, then one card per headline number."""
    cards = headline_numbers(facts, prose)
    height = 330 + len(cards) * (_CARD_HEIGHT + 30) + 90
    image = Image.new("RGB", (_WIDTH, height), _BACKGROUND)
    draw = ImageDraw.Draw(image)

    def font(path: str, size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(path, size, index=_SIMPLIFIED_CHINESE)

    draw.rectangle((0, 0, _WIDTH, 260), fill=_BANNER)
    draw.text((_WIDTH // 2, 80), "图解", font=font(_BOLD, 72), fill="white", anchor="mm")
    for line_number, line in enumerate(_title_lines(title)):
        draw.text((_WIDTH // 2, 160 + line_number * 48), line, font=font(_REGULAR, 34), fill="white", anchor="mm")
    top = 320
    for caption, number, unit in cards:
        draw.rounded_rectangle((_MARGIN, top, _WIDTH - _MARGIN, top + _CARD_HEIGHT), radius=18, fill=_CARD)
        draw.text((_MARGIN + 40, top + 22), caption, font=font(_REGULAR, 36), fill=_TEXT)
        number_font = font(_BOLD, 64)
        draw.text((_MARGIN + 40, top + 72), number, font=number_font, fill=_NUMBER)
        number_width = draw.textlength(number, font=number_font)
        draw.text((_MARGIN + 52 + number_width, top + 95), unit, font=font(_REGULAR, 36), fill=_TEXT)
        top += _CARD_HEIGHT + 30
    period = f"数据统计期限：{facts.year}年1月1日至{facts.year}年12月31日"
    draw.text((_WIDTH // 2, height - 50), period, font=font(_REGULAR, 26), fill=_TEXT, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _title_lines(title: str) -> list[str]:
    """The title in two lines, broken after the year (…2021年 / 政府信息公开工作年度报告)."""
    head, year_mark, tail = title.partition("年")
    return [head + year_mark, tail] if tail else [title]
