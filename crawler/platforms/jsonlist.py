"""Portals whose channel lists exist only in the browser: a script fills an empty `<ul id="list">` from a JSON API,
and a cookie-challenge WAF guards the channel page (field guide §4 JS-only pages, §8 加速乐 `__jsl_clearance`).

Only the channel's list pages are rendered by Playwright. The browser runs the WAF's challenge script (which sets
the clearance cookie and reloads), then the shell's own script (which calls the API and renders the items and a
pager); the spider waits for the rendered items, reads them, and follows the pager's 下一页 link — another
`?page=N` of the same shell — in the same browser context, so the cookie is earned once per crawl.
Why not call the JSON API directly: the WAF's cookie exists only in the browser (on real sites it guards the API
too), and the shell's script is what knows the API's current parameters; the rendered list is what the site
promises its readers. A list the browser cannot render (a challenge it does not pass) stops the spider with the
reason as its finish reason. Document pages and attachments are plain HTTP through Scrapy's downloader.

Documents `…/doc_<24 hex>.html` carry a 标题/索引号/发文日期/发布机构 table and list attachments below the body.
"""

from __future__ import annotations

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy_playwright.page import PageMethod
from twisted.python.failure import Failure

from crawler.platforms.base import AnnualReportSpider, is_annual_report, iso_date, link_title
from crawler.platforms.hanweb import header_value
from crawler.text import first_line

LIST_LINKS = "#list li a[href]"
NEXT_PAGE = '//*[@id="pager"]//a[normalize-space()="下一页"]/@href'
ATTACHMENTS = ".doc-attachments"
# How long the browser may take, once the first page has loaded, to pass the challenge and render the list.
RENDER_TIMEOUT_MS = 30_000
# The browser's answer to the first navigation is the challenge's status, even once the reload has rendered the list.
CHALLENGE_STATUSES = [412, 521]

def list_entries(response: Response) -> list[tuple[str, str]]:
    """(href, title) of each rendered list item."""
    return [
        (anchor.attrib["href"], link_title(anchor))
        for anchor in response.css(LIST_LINKS)
    ]

class JsonListChannelSpider(AnnualReportSpider):
    """Crawl JS-rendered channels (the entry URLs: each channel's first list page) for annual reports."""

    platform = "jsonlist_channel"

    def entry_request(self, url: str) -> scrapy.Request:
        return self.channel_request(url)

    def channel_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_channel,
            meta={
                "playwright": True,
                "playwright_page_methods": [PageMethod("wait_for_selector", LIST_LINKS, timeout=RENDER_TIMEOUT_MS)],
                "handle_httpstatus_list": CHALLENGE_STATUSES,
            },
            errback=self.channel_not_rendered,
        )

    def channel_not_rendered(self, failure: Failure):
        """The browser never showed the list: a challenge it could not pass (an endless reload, a captcha), or a
        page that no longer renders one."""
        error = first_line(failure.value)
        reason = f"channel list not rendered at {failure.request.url}: {error}"
        if failure.request.url in self.entry_urls:
            # Without its first list page nothing of the site is reachable: stop, saying why. The finish reason
            # lands in the crawl summary and crawl_runs, and fails the run for cron.
            raise CloseSpider(f"blocked: {reason}")
        # A later page: keep the reports already found; the log says what was missed.
        self.logger.error(reason)

    def parse_channel(self, response: Response):
        for href, title in list_entries(response):
            if is_annual_report(title):
                yield response.follow(href, callback=self.parse_document)
        next_page = response.xpath(NEXT_PAGE).get()
        if next_page:
            yield self.channel_request(response.urljoin(next_page))

    def parse_document(self, response: Response):
        yield self.report_item(
            response,
            title=header_value(response, "标题") or response.css("h1::text").get(""),
            published=iso_date(header_value(response, "发文日期")),
            attachments=self.attachment_links(response, ATTACHMENTS),
            agency=header_value(response, "发布机构") or None,
        )
