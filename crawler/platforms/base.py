"""What every annual-report spider shares, whatever platform the site runs on."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable

import scrapy
from scrapy.http import Response

from crawler.extract.kinds import LINK_EXTENSIONS
from crawler.items import AttachmentLink, Capture, ReportItem

# Titles of annual reports vary (field guide §7): …政府信息公开工作年度报告, …信息公开年度报告, …年报, …工作报告.
_REPORT_TITLE = re.compile(r"信息公开(?:工作)?(?:年度)?(?:工作)?的?(?:情况)?报告|信息公开年报|政务公开年报")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)\s*年")
# What a report title says after its publisher (field guide §7): the year, then the report's name, e.g.
# 2023年政府信息公开工作年度报告, 2023年度政务公开年报; what is left before it is the publisher.
_REPORT_NAME = re.compile(r"(?:(?:19|20)\d\d年度?)?(?:(?<!人民)政府|政务)?(?:" + _REPORT_TITLE.pattern + r").*$")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d年度?")
# A report published inside a notice: 〇〇局关于印发《2025年政府信息公开工作年度报告》的通知.
_NOTICE = re.compile(r"^(.*?)关于(?:印发|公布|发布)《?(.+?)》?的通知$")
# A title that is a report's name, to its end (a year in brackets may follow): not a notice about reports.
_REPORT_TITLE_END = re.compile(r"(?:" + _REPORT_TITLE.pattern + r")(?:[（(](?:19|20)\d\d年?度?[）)])?$")
# Renderings of a report that are not reports themselves (field guide §7: （图解）, （图片版）, 【图文解读】), and
# roll-ups of many (…年报汇总).
_NOT_THE_REPORT = re.compile(r"图解|图片版|图文解读|汇总")
_DATE_LABEL = re.compile(r"(?:发布|公开|发表)(?:日期|时间)\s*[:：]")
_SITE_SUFFIX = re.compile(r"\s*[_|-]\s*[^_|-]+$")
_DATE = re.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# A link to a document: a CMS's download script, or a path (or query) ending in a document kind's extension.
_DOCUMENT_HREF = re.compile(
    rf"downfile\.jsp|download\.jsp|\.(?:{'|'.join(LINK_EXTENSIONS)})(?:$|[?#])", re.IGNORECASE
)


def text_of(selection) -> str:
    """The text of a selected element, its pieces joined by spaces: a link split by <font>/<span> tags stays whole."""
    return " ".join(selection.css("::text").getall()).strip()


def link_title(anchor, attribute: str = "title") -> str:
    """A list link's full title: from the attribute the list keeps it in (`title`; Hanweb's directory `mc`), since the
    visible text is often cut short with …; else the visible text."""
    return (anchor.attrib.get(attribute) or text_of(anchor)).strip()


def is_document_href(href: str) -> bool:
    """Whether a link's href points at a document (a download script, a file extension), not a page."""
    return bool(_DOCUMENT_HREF.search(href.split("#", 1)[0]))


def is_annual_report(title: str) -> bool:
    return bool(_REPORT_TITLE.search(re.sub(r"\s+", "", title)))


def is_report_title(title: str) -> bool:
    """Whether `title`, the whole title of a page, is an annual report's: it ends with the report's name (or is a
    notice publishing one, 关于印发…报告的通知), names its publisher or year (a column named 政府信息公开年报 names
    neither), and is not a （图解） companion or a 汇总 of many reports. Stricter than is_annual_report, which judges
    list items a platform already filed as reports: 关于做好2023年度政府信息公开工作年度报告编制工作的通知 names a
    report and is not one."""
    title = re.sub(r"\s+", "", title)
    if _NOT_THE_REPORT.search(title):
        return False
    notice = _NOTICE.match(title)
    return bool(_REPORT_TITLE_END.search(notice.group(2) if notice else title)) and bool(
        agency_from_title(title) or _YEAR_IN_TITLE.search(title))


def agency_from_title(title: str) -> str:
    """The publisher a report's title names: the title without its year and report name, the report taken out of
    a 关于印发…的通知 (whose issuer stands in when the report itself names nobody). "" when the title names none.

    淄博市科学技术局2020年政府信息公开工作年度报告 → 淄博市科学技术局; 2023年XX局政府信息公开工作年度报告 → XX局;
    XX县人民政府办公室关于印发XX县2022年政府信息公开工作年度报告的通知 → XX县."""
    title = re.sub(r"\s+", "", title)
    notice = _NOTICE.match(title)
    if notice:
        return agency_from_title(notice.group(2)) or notice.group(1)
    if not is_annual_report(title):
        return ""
    return _LEADING_YEAR.sub("", _REPORT_NAME.sub("", title)).strip("《》“”\"（）() ")


def report_year(title: str, published: str | None = None) -> int | None:
    """The year a report covers: named in its title, else the year before publication (reports appear in Q1)."""
    match = _YEAR_IN_TITLE.search(re.sub(r"\s+", "", title))
    if match:
        return int(match.group(1))
    if published:
        return int(published[:4]) - 1
    return None


def iso_date(text: str | None) -> str | None:
    """The first date in `text` as YYYY-MM-DD ('2021-01-20 09:30', '2021年1月20日', '2021/1/20' all work)."""
    match = _DATE.search(text or "")
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def article_title(response: Response) -> str:
    """A detail page's title (field guide §5): the ArticleTitle meta, else og:title, else the page's title block,
    else <title> without the site name after `_`/`-`."""
    for meta in ('meta[name="ArticleTitle"]::attr(content)', 'meta[property="og:title"]::attr(content)'):
        title = response.css(meta).get("").strip()
        if title:
            return title
    block = response.css(".title, h1")
    text = text_of(block[0]) if block else ""
    return text or _SITE_SUFFIX.sub("", response.css("title::text").get("").strip())


def article_date(response: Response) -> str | None:
    """PubDate meta, else the date after the first 发布日期/发布时间 label in the page's text."""
    published = iso_date(response.css('meta[name="PubDate"]::attr(content)').get())
    if published:
        return published
    text = " ".join(response.css("body ::text").getall())
    for label in _DATE_LABEL.finditer(text):
        published = iso_date(text[label.end() : label.end() + 30])
        if published:
            return published
    return None


class AnnualReportSpider(scrapy.Spider):
    """Base of every site's spider. A platform base (crawler/platforms/<platform>.py) says how to read its lists
    (`entry_request`); a site (a row of sites.csv, crawler/sites.py) sets `name`, `agency`, `region`, `level`,
    `allowed_domains` and `entry_urls`, the pages its crawl starts from."""

    # The platform's name in sites.csv (crawler/platforms/__init__.py collects them).
    platform: str = ""
    # A portal lists many reporting bodies, each report naming its own (the platform's unit record): its row in
    # sites.csv leaves the agency blank.
    portal: bool = False
    entry_urls: list[str] = []

    agency: str = ""
    region: str = ""  # the agency's place, province to county, e.g. 山东省淄博市 (a facet in Datasette)
    level: str = ""  # the agency's administrative level: 省级, 市级, 区县级, 乡镇级 (a facet in Datasette)
    # Hosts besides allowed_domains that serve the site's attachments (a platform's file server): the only other
    # hosts the crawl fetches from (crawler/fetch_policy.py).
    attachment_domains: list[str] = []

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.entry_urls:
            yield self.entry_request(url)

    def entry_request(self, url: str) -> scrapy.Request:
        """The request for one of the site's entry pages, with the platform's callback."""
        raise NotImplementedError(f"{type(self).__name__} names no platform base that reads {url}")

    def attachment_links(self, response: Response, container: str) -> list[AttachmentLink]:
        """Links inside `container` (a CSS selector) that point at documents, in page order, each once."""
        links: dict[str, AttachmentLink] = {}
        for anchor in response.css(f"{container} a[href]"):
            href = anchor.attrib["href"].strip()
            if not is_document_href(href):
                continue
            try:
                url = response.urljoin(href)
            except ValueError:  # not even a URL ("http://[broken/…"): kept as written, refused and recorded later
                url = href
            links.setdefault(url, AttachmentLink(url=url, text=text_of(anchor)))
        return list(links.values())

    def report_item(
        self,
        response: Response,
        *,
        title: str,
        published: str | None,
        attachments: Iterable[AttachmentLink],
        agency: str | None = None,
        level: str | None = None,
        unit_code: str = "",
    ) -> ReportItem:
        """The item for a report page. `agency`, `level` and `unit_code` are the publishing body's where the page or
        the platform names it (a portal's unit); otherwise the site's row says who publishes."""
        title = re.sub(r"\s+", "", title)
        return ReportItem(
            spider=self.name,
            agency=agency or self.agency,
            title=title,
            year=report_year(title, published),
            page_url=response.url,
            published=published,
            page=Capture.from_response(response),
            attachments=list(attachments),
            region=self.region,
            level=level or self.level,
            unit_code=unit_code,
        )
