"""TRS WCM (拓尔思) statically published sites: numbered list pages, t-dated detail pages, P0 attachments.

Field guide §2: a column is a directory of static pages `index.html`, `index_1.html`, …; the only statement of
how many there are is the script call `createPageHTML(<pageCount>, <currentIndex>, "<prefix>", "<ext>")` each
page prints. Items link `./YYYYMM/tYYYYMMDD_<id>.html` with the full title in the `title` attribute (the link
text is often cut short). Details carry `<meta name="ArticleTitle|PubDate">` (older templates only a title
block and a 发布日期 line), the body in `div.TRS_Editor` (newer: `.trs_editor_view`), and attachments
`./P0<digits>.<ext>` relative to the detail page, in the body and in the 附件 list the template prints beside it.

Pages are often GBK. A page that declares no charset is left to Scrapy, which detects the encoding from the
bytes when neither the Content-Type header nor a <meta> names it.
"""

from __future__ import annotations

import re

import scrapy
from scrapy.http import Response

from crawler.platforms.base import (
    AnnualReportSpider,
    article_date,
    article_title,
    is_annual_report,
    link_title,
)

_PAGE_CALL = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']\s*\)""")
# Detail pages, wherever they sit: ./202101/t20210126_1516902.html, ../../xxgk/…/t….shtml, absolute URLs.
_DETAIL_HREF = re.compile(r"/t\d{8}_\d+\.s?html?(?:$|[?#])")

def other_list_pages(text: str) -> list[str]:
    """The other pages of a list, as URLs relative to it, from the page's `createPageHTML(count, current,
    prefix, ext)` call: page 0 is `prefix.ext`, page k `prefix_k.ext`. Empty for a list of one page."""
    match = _PAGE_CALL.search(text)
    if not match:
        return []
    count, current, prefix, ext = int(match[1]), int(match[2]), match[3], match[4]
    return [f"{prefix}.{ext}" if k == 0 else f"{prefix}_{k}.{ext}" for k in range(count) if k != current]

def list_items(response: Response) -> list[tuple[str, str]]:
    """(href, title) of every link on a list page to a detail page, in page order — the list's own items and
    side boxes (往年回顾) alike. The title comes from the `title` attribute: the link text is often cut short."""
    items = []
    for anchor in response.css("a[href]"):
        href = anchor.attrib["href"].strip()
        if _DETAIL_HREF.search(href):
            items.append((href, link_title(anchor)))
    return items

class TrsListSpider(AnnualReportSpider):
    """Crawl TRS WCM columns (the entry URLs: each column's index.html) for annual reports."""

    platform = "trs_list"
    # The element holding the editor's body (older templates TRS_Editor, newer trs_editor_view) and, beside it,
    # the 附件 list; attachment links are looked for anywhere inside it.
    article_container = "div:has(> .TRS_Editor, > .trs_editor_view, > .Custom_UnionStyle)"

    def entry_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_list)

    def parse_list(self, response: Response):
        for href, title in list_items(response):
            if is_annual_report(title):
                yield response.follow(href, callback=self.parse_article)
        # Every page names all the others; Scrapy's dupefilter keeps one request per page (and per report
        # listed twice, as a 往年回顾 box does).
        for page in other_list_pages(response.text):
            yield response.follow(page, callback=self.parse_list)

    def parse_article(self, response: Response):
        yield self.report_item(
            response,
            title=article_title(response),
            published=article_date(response),
            attachments=self.attachment_links(response, self.article_container),
        )
