"""Sites on a CMS no platform base knows (an EmpireCMS county site, a home-made portal): a bounded crawl.

From the entry pages (a homepage or its 信息公开 section) the spider follows, within the entry hosts, only links
that look like the way to annual reports (`link_score`): a report's own title, a 年报 column (by its text or a
path slug of field guide §7), a list's next page, a 信息公开/政务公开 section. Better links are fetched first
(the score is the request's priority), and the crawl stops at GENERIC_MAX_DEPTH links from an entry page (a
list's further pages count as the list's depth) and after GENERIC_MAX_PAGES pages per site.

A page is a report when its whole title is a report's (`is_report_title`) and it is not a list of reports
(`is_report_list`). Its agency is the one its title names, else the row's; its year the title's.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import scrapy
from scrapy.http import Response, TextResponse

from crawler.fetch_policy import refusal, spider_hosts
from crawler.platforms.base import (
    AnnualReportSpider,
    agency_from_title,
    article_date,
    article_title,
    is_annual_report,
    is_document_href,
    is_report_title,
    link_title,
)

# Scores of a link: the higher, the sooner it is fetched; 0 is not followed.
REPORT, REPORT_COLUMN, NEXT_PAGE, DISCLOSURE_SECTION = 4, 3, 2, 1
_REPORT_COLUMN_TEXT = re.compile(r"年报|年度报告")
# Field guide §7: slugs of annual-report columns, and of the groupings they sit in (部门街道汇总, 区政府工作部门…).
_REPORT_COLUMN_PATH = re.compile(r"(?:zfxxgk|xxgk|gk|wz)?(?:nb|ndbg|ndgzbg)(?:\b|_|/)|bmnb|bmjdhz|qzfgzbm|zzfgbm", re.I)
_NEXT_PAGE_TEXT = re.compile(r"^(?:下一页|下页|尾页|末页|\d{1,3})$")
_NEXT_PAGE_PATH = re.compile(r"(?:index|list)_\d+\.s?html?$|[?&](?:page|pageNum|currpage|pageIndex)=\d+", re.I)
_DISCLOSURE_TEXT = re.compile(r"信息公开|政务公开|公开目录|公开年报")
_DISCLOSURE_PATH = re.compile(r"(?:^|/)(?:zfxxgk|xxgk|zwgk|gkml|zfgk)(?:[/_.]|$)", re.I)
# A page linking this many other reports is an index of them (a 汇总 page, a 年报 column), not one report: a
# report links at most its own files and a （图解） companion.
REPORT_LIST_LINKS = 3
# Where the report's body sits on the templates of field guide §5; the whole page when none is found.
BODY_CONTAINERS = ("#zoom", "#Zoom", ".TRS_Editor", ".trs_editor_view", ".article-content", ".article_content",
                   "#articleContent", ".xxgk_content", ".zw-content", ".pages_content", ".wzzw-article",
                   ".v_news_content", "#vsb_content", ".content", "#content", "body")


def link_score(text: str, href: str) -> int:
    """How much a link with this text and href looks like the way to annual reports (0: not followed)."""
    text = re.sub(r"\s+", "", text)
    path = href.split("#", 1)[0]
    if is_document_href(path):
        return 0  # a file, not a page: only a report's attachments are fetched, by the pipeline
    if is_annual_report(text):
        return REPORT
    if _REPORT_COLUMN_TEXT.search(text) or _REPORT_COLUMN_PATH.search(path):
        return REPORT_COLUMN
    if _NEXT_PAGE_TEXT.match(text) or _NEXT_PAGE_PATH.search(path):
        return NEXT_PAGE
    if _DISCLOSURE_TEXT.search(text) or _DISCLOSURE_PATH.search(path):
        return DISCLOSURE_SECTION
    return 0


def is_report_list(response: Response) -> bool:
    """Whether the page links REPORT_LIST_LINKS or more other pages titled as reports (its files aside)."""
    targets = {
        response.urljoin(anchor.attrib["href"]).split("#", 1)[0]
        for anchor in response.css("a[href]")
        if is_annual_report(link_title(anchor))
        and not is_document_href(anchor.attrib["href"])
    }
    targets.discard(response.url)
    return len(targets) >= REPORT_LIST_LINKS


def body_container(response: Response) -> str:
    """The selector of the page's report body: the first of BODY_CONTAINERS the page has."""
    return next(selector for selector in BODY_CONTAINERS if response.css(selector))


class GenericSpider(AnnualReportSpider):
    """Crawl a site on an unknown CMS from its entry pages (a homepage or a 信息公开 section) for annual reports."""

    platform = "generic"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.max_depth = self.settings.getint("GENERIC_MAX_DEPTH")
        self.pages_left = self.settings.getint("GENERIC_MAX_PAGES")
        self.requested: set[str] = set()
        async for request in super().start():
            yield request

    def entry_request(self, url: str) -> scrapy.Request:
        return self.page_request(url, depth=0, score=REPORT_COLUMN)

    def page_request(self, url: str, depth: int, score: int) -> scrapy.Request | None:
        """The request for a page, or None when it was asked for already or the site's page budget is spent."""
        if url in self.requested:
            return None
        if self.pages_left <= 0:
            self.crawler.stats.inc_value("generic/pages_over_budget")
            return None
        self.requested.add(url)
        self.pages_left -= 1
        return scrapy.Request(url, callback=self.parse_page, priority=score, cb_kwargs={"depth": depth})

    def parse_page(self, response: Response, depth: int):
        if not isinstance(response, TextResponse):
            return  # a file served under a page-like URL: nothing to read or follow
        title = article_title(response)
        if is_report_title(title) and not is_report_list(response):
            yield self.report_item(
                response,
                title=title,
                published=article_date(response),
                attachments=self.attachment_links(response, body_container(response)),
                agency=agency_from_title(title) or None,
            )
            return  # a report page links its files and the site's chrome, nothing more to find
        yield from self.follow_links(response, depth)

    def follow_links(self, response: Response, depth: int):
        for anchor in response.css("a[href]"):
            href = anchor.attrib["href"].strip()
            if href.startswith(("javascript:", "mailto:", "#")):
                continue
            score = link_score(link_title(anchor), href)
            # A list's next page belongs to the list: it does not take the crawl a level further.
            next_depth = depth if score == NEXT_PAGE else depth + 1
            if score == 0 or next_depth > self.max_depth:
                continue
            try:
                url = response.urljoin(href).split("#", 1)[0]
            except ValueError:
                continue
            if refusal(url, spider_hosts(self)):
                continue  # another site: the page budget is this one's
            request = self.page_request(url, next_depth, score)
            if request is not None:
                yield request
