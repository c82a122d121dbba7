"""Hanweb (大汉) sites: JCMS article columns and the 信息公开 directory with its annual-report module.

Field guide §1. A JCMS column page `/col/col<ID>/index.html` holds the first screen of items as CDATA records in
`<script type="text/xml">`; its `<nextgroup>` link names the list component (columnid, unitid, webid, webname).
Further items come only from POSTing a record range to `dataproxy.jsp`; the list ends when a range comes back
short. Details `/art/YYYY/M/D/art_<col>_<id>.html` carry `<meta name="ArticleTitle|PubDate">`, a 索引号/发布机构/
公开日期 header table and the body in `#zoom`.

The 信息公开 directory `/module/xxgk/search.jsp?…&area=<code>&currpage=N` lists an agency's items in a table whose
links carry the full title and date as attributes (`mc`, `rq`: the visible text is truncated) and prints its page
count (共N页). Annual reports in it link to the module `/module/xxgk/xxgkAnnualReport.jsp?area=…&fbtime=<year>`,
which renders the report as HTML only, under the same header table, the body in `.gknbxq_detail`.

A portal (政府网站集约化: departments, towns and streets publish through their district's portal) lists its
reporting bodies on one page, each a link to the body's 信息公开 shell `…/col/col<ID>/index.html?vc_xxgkarea=<code>`,
whose script loads `search.jsp?…&area=<code>&divid=div<ID>…`; the portal spider asks that directory list directly, as
public crawlers of these portals do, and names each report by its body.

A report may have a （图解） or （图片版） companion: its own article, an infographic, listed beside the report. It is
not a report (no tables, a second "report" for the same year): lists skip it, and when the report's page links to
it, its pictures are archived as attachments of that report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from parsel import Selector
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.items import AttachmentLink, ReportItem
from crawler.platforms.base import AnnualReportSpider, is_annual_report, iso_date, link_title, text_of

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.DOTALL)
# The form a jpage list component posts with its record range (field guide §1b, "range style").
_FORM_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")
# Renderings of a report that are not reports themselves (field guide §7: （图解）, （图片版）, 【图文解读】).
_COMPANION = re.compile(r"图解|图片版|图文解读")
_PAGE_COUNT = re.compile(r"共\s*(\d+)\s*页")
# Pages that gather many bodies' reports (…年度报告汇总, …汇编) are not a report of anyone's (field guide §7).
_SUMMARY = re.compile(r"汇总|汇编")
# A township-level body: a 街道办事处, or the 人民政府 of a 镇 or 乡 (also when the portal names it 某某镇 alone).
_TOWNSHIP = re.compile(r"(?:街道|镇|乡)(?:办事处|人民政府)?$")
_COLUMN_ID = re.compile(r"/col/col(\d+)/")


def is_companion(title: str) -> bool:
    """Whether `title` names a （图解）/（图片版） rendering of a report rather than the report."""
    return bool(_COMPANION.search(title))


def is_report(title: str) -> bool:
    """Whether a list item titled `title` is an annual report to crawl (its companions and summaries are not)."""
    return is_annual_report(title) and not is_companion(title) and not _SUMMARY.search(title)


@dataclass(frozen=True)
class Unit:
    """A reporting body a portal's 信息公开 platform lists: its name, its area code (统一社会信用代码 or the
    platform's own code) and where its directory list starts."""

    name: str
    code: str
    directory_url: str


def unit_directory_url(shell_url: str, code: str) -> str:
    """The first page of a body's directory list, as its 信息公开 shell page (`shell_url`) loads it: the list
    component takes the shell column's id as its div id."""
    column = _COLUMN_ID.search(urlsplit(shell_url).path)
    query = {"infotypeId": "", "jdid": "", "area": code, "divid": f"div{column.group(1)}" if column else "",
             "sortfield": ",compaltedate:0", "currpage": 1, "standardXxgk": 1}
    return urlunsplit(urlsplit(shell_url)._replace(path="/module/xxgk/search.jsp", query=urlencode(query)))


def portal_units(response: Response) -> list[Unit]:
    """Every body a portal's unit list links to, in page order, each once: a body listed under two headings
    (a 直属机构 that is also a 工作部门) is one body."""
    units: dict[str, Unit] = {}
    for anchor in response.css("a[href*='vc_xxgkarea=']"):
        url = response.urljoin(anchor.attrib["href"])
        code, name = query_value(url, "vc_xxgkarea"), link_title(anchor)
        if code and name:
            units.setdefault(code, Unit(name, code, unit_directory_url(url, code)))
    return list(units.values())


def unit_level(name: str, portal_level: str) -> str:
    """A body's administrative level: 乡镇级 for a street or town, else the portal's own."""
    return "乡镇级" if _TOWNSHIP.search(name) else portal_level


def datastore_records(text: str) -> list[tuple[str, str, str | None]]:
    """(href, title, date) of each `<record>` in a datastore, from a column page or a dataproxy response."""
    records = []
    for fragment in _RECORD.findall(text):
        item = Selector(text=fragment)
        anchor = item.css("a[href]")
        if not anchor:
            continue
        records.append((anchor.attrib["href"], link_title(anchor), iso_date(text_of(item))))
    return records


def dataproxy_form(column_page_text: str) -> tuple[str, dict[str, str]] | None:
    """The dataproxy endpoint and form fields announced by the column page's `<nextgroup>` link."""
    match = _NEXTGROUP.search(column_page_text)
    if not match:
        return None
    anchor = Selector(text=match.group(1)).css("a[href]")
    if not anchor:
        return None
    href = anchor.attrib["href"]
    params = dict(parse_qsl(urlsplit(href).query, keep_blank_values=True))
    form = {"col": "1", "appid": "1", "sourceContentType": "1", "path": "/", "permissiontype": "0", **params}
    return urlsplit(href).path, {key: form[key] for key in _FORM_FIELDS if key in form}


def directory_rows(response: Response) -> list[tuple[str, str, str | None]]:
    """(href, title, date) of each row of a 信息公开 directory list, from its links' `mc`/`rq` attributes (the
    link text is cut short), else from the link text."""
    rows = []
    for anchor in response.css("a[mc][href]"):
        rows.append((anchor.attrib["href"], link_title(anchor, "mc"), iso_date(anchor.attrib.get("rq"))))
    return rows


def directory_page_count(text: str) -> int:
    """How many pages the directory list says it has (共N页); 1 when it does not say."""
    match = _PAGE_COUNT.search(text)
    return int(match.group(1)) if match else 1


def with_query_value(url: str, name: str, value: str) -> str:
    """`url` with query parameter `name` set to `value` (in its place, else appended), the others unchanged."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if name in dict(query):
        query = [(key, value if key == name else old) for key, old in query]
    else:
        query.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_value(url: str, name: str) -> str | None:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True)).get(name)


def header_value(response: Response, label: str) -> str:
    """The value beside `label` in a 信息公开 header table (labels are padded: 索\xa0\xa0引\xa0\xa0号)."""
    cells = [re.sub(r"\s+", "", " ".join(td.css("::text").getall())) for td in response.css("table td")]
    for key, value in zip(cells, cells[1:]):
        if key == label:
            return value
    return ""


def companion_href(response: Response, container: str) -> str | None:
    """The link inside `container` to the report's （图解） companion page, if the report page has one."""
    for anchor in response.css(f"{container} a[href]"):
        if is_companion(text_of(anchor)):
            return anchor.attrib["href"]
    return None


def picture_links(response: Response, container: str) -> list[AttachmentLink]:
    """The pictures inside `container`, each once, named by their alt text."""
    links: dict[str, AttachmentLink] = {}
    for image in response.css(f"{container} img[src]"):
        url = response.urljoin(image.attrib["src"].strip())
        links.setdefault(url, AttachmentLink(url=url, text=(image.attrib.get("alt") or "").strip()))
    return list(links.values())


class HanwebSpider(AnnualReportSpider):
    """What every Hanweb spider shares: reading an article page `/art/…` into a report, with its companion."""

    article_body = "#zoom"

    def publisher(self, response: Response, unit: Unit | None) -> dict:
        """Who published the page, as report_item takes it: the portal's unit record when the page was reached
        through one (the page's own 发布机构 may be a wrapper's 办公室), else the page's header."""
        if unit is None:
            return {"agency": header_value(response, "发布机构") or None}
        return {"agency": unit.name, "unit_code": unit.code, "level": unit_level(unit.name, self.level)}

    def parse_article(self, response: Response, unit: Unit | None = None):
        title = response.css('meta[name="ArticleTitle"]::attr(content)').get() or response.css("title::text").get("")
        published = iso_date(response.css('meta[name="PubDate"]::attr(content)').get()) or iso_date(
            header_value(response, "公开日期")
        )
        item = self.report_item(
            response,
            title=title,
            published=published,
            attachments=self.attachment_links(response, self.article_body),
            **self.publisher(response, unit),
        )
        yield from self.with_companion(response, item)

    def with_companion(self, response: Response, item: ReportItem):
        """The item, once the pictures of the （图解） page its report page links to have joined its attachments."""
        href = companion_href(response, self.article_body)
        if href is None:
            yield item
            return
        # dont_filter: the item travels with this request, so the duplicate filter must never drop it.
        yield response.follow(href, callback=self.parse_companion, errback=self.companion_failed,
                              cb_kwargs={"item": item}, dont_filter=True)

    def parse_companion(self, response: Response, item: ReportItem):
        item.attachments.extend(picture_links(response, self.article_body))
        yield item

    def companion_failed(self, failure: Failure):
        """The companion could not be fetched (its failure is in the crawl's stats): keep the report without it."""
        self.logger.warning("companion page %s failed: %s", failure.request.url, failure.value)
        yield failure.request.cb_kwargs["item"]


class HanwebColumnSpider(HanwebSpider):
    """Crawl Hanweb JCMS columns (`/col/col<ID>/index.html`, the entry URLs) for annual reports."""

    platform = "hanweb_column"
    records_per_request = 15

    def entry_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_column)

    def parse_column(self, response: Response):
        records = datastore_records(response.text)
        yield from self.follow_reports(response, records)
        proxy = dataproxy_form(response.text)
        if proxy is None:
            self.logger.warning("no <nextgroup> on %s: only the first screen of the list was read", response.url)
            return
        path, form = proxy
        yield self.dataproxy_request(response.urljoin(path), form, start=len(records) + 1, referer=response.url)

    def dataproxy_request(self, endpoint: str, form: dict[str, str], start: int, referer: str) -> scrapy.Request:
        """The list's records from `start` on, asked as the column page (`referer`) asks: by XHR."""
        end = start + self.records_per_request - 1
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": self.records_per_request})
        return scrapy.FormRequest(
            f"{endpoint}?{query}",
            formdata=form,
            headers={"X-Requested-With": "XMLHttpRequest", "Referer": referer},
            callback=self.parse_dataproxy,
            cb_kwargs={"endpoint": endpoint, "form": form, "start": start},
        )

    def parse_dataproxy(self, response: Response, endpoint: str, form: dict[str, str], start: int):
        records = datastore_records(response.text)
        yield from self.follow_reports(response, records)
        if len(records) >= self.records_per_request:
            referer = (response.request.headers.get("Referer") or b"").decode("latin-1") if response.request else ""
            yield self.dataproxy_request(endpoint, form, start + len(records), referer)

    def follow_reports(self, response: Response, records):
        for href, title, _date in records:
            if is_report(title):
                yield response.follow(href, callback=self.parse_article)


class HanwebXxgkSpider(HanwebSpider):
    """Crawl an agency's Hanweb 信息公开 directory for annual reports. The entry URL is the list's first page
    (`/module/xxgk/search.jsp?…&area=<code>&currpage=1`)."""

    platform = "hanweb_xxgk"
    report_body = ".gknbxq_detail"

    def entry_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_directory)

    def parse_directory(self, response: Response, unit: Unit | None = None):
        # A portal's unit travels with every request made for it; a single agency's directory has none.
        for_unit = {"unit": unit} if unit else {}
        for href, title, published in directory_rows(response):
            if not is_report(title):
                continue
            if "xxgkAnnualReport.jsp" in href:
                yield response.follow(href, callback=self.parse_annual_report,
                                      cb_kwargs={"title": title, "published": published, **for_unit})
            else:  # a report filed as an ordinary article
                yield response.follow(href, callback=self.parse_article, cb_kwargs=for_unit)
        # The first page knows how many there are; the others would only ask again for the same pages.
        if query_value(response.url, "currpage") in (None, "1"):
            for page in range(2, directory_page_count(response.text) + 1):
                url = with_query_value(response.url, "currpage", str(page))
                yield scrapy.Request(url, callback=self.parse_directory, cb_kwargs=for_unit)

    def parse_annual_report(self, response: Response, title: str, published: str | None, unit: Unit | None = None):
        """A report the annual-report module renders: the page is the report; its title and date come from the
        directory row (the module page has no article metadata)."""
        yield self.report_item(
            response,
            title=title,
            published=iso_date(header_value(response, "公开日期")) or published,
            attachments=self.attachment_links(response, self.report_body),
            **self.publisher(response, unit),
        )


class HanwebXxgkPortalSpider(HanwebXxgkSpider):
    """Crawl a portal's Hanweb 信息公开 platform: the entry URL is its list of reporting bodies; each body's
    directory is read as HanwebXxgkSpider reads one agency's, and each report is the body's."""

    platform = "hanweb_xxgk_portal"
    portal = True

    def entry_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_units)

    def parse_units(self, response: Response):
        for unit in portal_units(response):
            yield scrapy.Request(unit.directory_url, callback=self.parse_directory, cb_kwargs={"unit": unit})
