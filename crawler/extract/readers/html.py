"""HTML (lxml): the report's text blocks in reading order, each <table> as a grid with row/column spans expanded.

A report page is mostly chrome: header, breadcrumb, an index-data table, font and print buttons, download links,
footer. The report is the content container that looks most like one (field guide §5): the CMS containers known
from the sites, scored by the report's section headings (一、…六、) and tables, less the chrome terms they hold.
A page whose containers hold no section heading (an unknown CMS, a bare fragment) keeps the paragraphs trafilatura
takes for the main text, and all of its tables: trafilatura drops tables, and their spans matter. (The section
headings are the one thing this reader knows of reports: only they tell the report from the chrome around it.)
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from crawler.extract import limits
from crawler.extract.blocks import Block, Reading, Table, UnreadableDocument
from crawler.text import collapse_whitespace, decode_chinese, reads_as_text, without_whitespace

_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")  # lxml refuses text that still declares an encoding
# Elements that end the line of text before them and start a new one.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br center dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section tr ul".split()
)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "select", "button"})
_MAX_SPAN = 100  # a malformed rowspan/colspan must not blow the grid up

# The article containers of the government CMSs (field guide §5), in one selector: matches come in document order.
_CONTAINERS = CSSSelector(
    "#ivs_content, #webeditorview, .webeditorview, #zoom, #Zoom, .TRS_Editor, .trs_editor_view, .Custom_UnionStyle, "
    ".article-content, .article_content, #articleContent, .xxgk_content, .xxgk-content, .zw-content, .pages_content, "
    ".wzzw-article, .wip_art_con, .bt_content, .v_news_content, #vsb_content, div.view, .zwnr, #UCAP-CONTENT, "
    "ucapcontent, .gknbxq_detail"
)
_SECTION_HEADING = re.compile(r"^([一二三四五六])\s*[、.．]")  # 一、总体情况 … 六、其他需要报告的事项
_CHROME_TERMS = ("繁體版", "繁体版", "无障碍", "长者版", "字体：", "字体:", "打印", "关闭", "网站地图", "ICP备", "主办",
                 "当前位置", "您的位置", "上一篇", "下一篇", "分享到")
_HEADING_WEIGHT, _TABLE_WEIGHT, _CHROME_WEIGHT = 10, 2, 3
# Paragraphs inside the article that are the page's, not the report's: 【word下载】…, 【图文解读】…, 点击收听年报语音朗读.
_FURNITURE = re.compile(r"^(?:【[^】]{0,12}(?:下载|解读|打印|关闭)】|点击(?:收听|下载))")
_BREADCRUMB = re.compile(r"[>»›]|当前位置|您的位置|所在位置")
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|(?<!\d)\s*[-–—]\s*(?!\d)).*$")  # "报告 - 中国·兖州", "报告_固原市科学技术局"
_TITLE_NEAR_CONTAINER = 3  # an <h1> counts as the article's title in the container or up to this many levels above
_SHORT_PARAGRAPH = 10  # characters; shorter paragraphs must be a whole line of trafilatura's text to be kept


def read(data: bytes) -> Reading:
    limits.check_size("the HTML page", len(data), limits.MAX_HTML_BYTES)
    text = _decode(data)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"unparsable HTML: {exc}") from None
    body = root.find("body") if root.find("body") is not None else root
    container = _report_container(body)
    blocks = _blocks_of(container) if container is not None else _main_text_blocks(body, text)
    blocks = [block for block in blocks if isinstance(block, Table) or not _FURNITURE.match(block)]
    return Reading(blocks, title=_page_title(root, body, container))


def _decode(data: bytes) -> str:
    """The page as text, in the charset its <meta> declares (GB2312/GBK read as their superset GB18030); when that
    charset is unknown or the bytes are not text in it (a GBK page declaring UTF-8), UTF-8 or GB18030. Like a
    browser, a stray undecodable byte becomes U+FFFD rather than losing the page."""
    declared = _CHARSET.search(data[:4096])
    charset = declared[1].decode("ascii").lower() if declared else None
    charset = "gb18030" if charset in ("gb2312", "gbk", "x-gbk") else charset
    if charset:
        try:
            text = data.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name
            text = None
        if text is not None and reads_as_text(text):
            return text
    return decode_chinese(data) or data.decode("utf-8", errors="replace")


def _blocks_of(element) -> list[Block]:
    blocks: list[Block] = []
    line: list[str] = []
    _walk(element, blocks, line)
    _flush(line, blocks)
    return blocks


def _report_container(body):
    """The content container that holds the report (see the module's docstring), or None when none has a section
    heading. Of equal scores the one with less text wins: an inner container has less chrome about it."""
    scored = []
    for container in _CONTAINERS(body):
        blocks = _blocks_of(container)
        paragraphs = [block for block in blocks if isinstance(block, str)]
        headings = {match[1] for paragraph in paragraphs if (match := _SECTION_HEADING.match(paragraph))}
        if not headings:
            continue
        text = "".join(paragraphs)
        chrome = sum(term in text for term in _CHROME_TERMS)
        tables = len(blocks) - len(paragraphs)
        score = _HEADING_WEIGHT * len(headings) + _TABLE_WEIGHT * tables - _CHROME_WEIGHT * chrome
        scored.append((score, -len(text), container))
    return max(scored, key=lambda entry: entry[:2])[2] if scored else None


def _main_text_blocks(body, page: str) -> list[Block]:
    """The page's blocks with only the paragraphs trafilatura takes for main text, and every table; the whole page
    when trafilatura finds no main text."""
    import trafilatura  # imported on use (0.3 s): most report pages have a known container

    blocks = _blocks_of(body)
    main_text = trafilatura.extract(page, include_tables=False, include_comments=False)
    if not main_text:
        return blocks
    lines = {without_whitespace(line) for line in main_text.splitlines()}
    joined = "\n".join(lines)
    return [block for block in blocks if isinstance(block, Table) or _is_main_text(block, lines, joined)]


def _is_main_text(paragraph: str, lines: set[str], joined: str) -> bool:
    """Whether trafilatura kept the paragraph: a whole line of its text, or, long enough not to occur by chance,
    part of one."""
    squeezed = without_whitespace(paragraph)
    return squeezed in lines or (len(squeezed) >= _SHORT_PARAGRAPH and squeezed in joined)


def _page_title(root, body, container) -> str | None:
    """The article's title: meta ArticleTitle, og:title, the <h1> of the article (near its container), else the
    <title> less the site's name; never a breadcrumb."""
    candidates = [meta.get("content") for meta in root.iter("meta") if meta.get("name", "").lower() == "articletitle"]
    candidates += [meta.get("content") for meta in root.iter("meta") if meta.get("property", "").lower() == "og:title"]
    near = [container, *container.iterancestors()][: _TITLE_NEAR_CONTAINER + 1] if container is not None else [body]
    candidates += [next((h1.text_content() for h1 in element.iter("h1")), None) for element in near]
    title = root.find(".//title")
    if title is not None and title.text:
        candidates.append(_SITE_SUFFIX.sub("", title.text.strip()))
    return next((collapse_whitespace(c) for c in candidates if c and collapse_whitespace(c) and not _BREADCRUMB.search(c)), None)


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
    text = collapse_whitespace("".join(line))
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
            row += [collapse_whitespace(cell.text_content())] + [None] * (columns - 1)
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
