"""Hanweb (大汉) JCMS sites: column lists in a datastore XML island, paginated through dataproxy.jsp.

Field guide §1: the column page `/col/col<ID>/index.html` holds the first screen of items as CDATA records in
`<script type="text/xml">`; its `<nextgroup>` link names the list component (columnid, unitid, webid, webname).
Further items come only from POSTing a record range to `dataproxy.jsp`; the list ends when a range comes back
short. Details `/art/YYYY/M/D/art_<col>_<id>.html` carry `<meta name="ArticleTitle|PubDate">`, a 索引号/发布机构/
公开日期 header table and the body in `#zoom`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response

from crawler.platforms.base import AnnualReportSpider, is_annual_report, iso_date

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.DOTALL)
# The form a jpage list component posts with its record range (field guide §1b, "range style").
_FORM_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")


def datastore_records(text: str) -> list[tuple[str, str, str | None]]:
    """(href, title, date) of each `<record>` in a datastore, from a column page or a dataproxy response."""
    records = []
    for fragment in _RECORD.findall(text):
        item = Selector(text=fragment)
        anchor = item.css("a[href]")
        if not anchor:
            continue
        title = anchor.attrib.get("title") or " ".join(anchor.css("::text").getall())
        records.append((anchor.attrib["href"], title.strip(), iso_date(" ".join(item.css("::text").getall()))))
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


class HanwebColumnSpider(AnnualReportSpider):
    """Crawl one Hanweb JCMS column for annual reports. Subclasses set `column_url`."""

    column_url: str = ""
    records_per_request = 15

    async def start(self) -> Iterator[scrapy.Request]:
        yield scrapy.Request(self.column_url, callback=self.parse_column)

    def parse_column(self, response: Response):
        records = datastore_records(response.text)
        yield from self.follow_reports(response, records)
        proxy = dataproxy_form(response.text)
        if proxy is None:
            self.logger.warning("no <nextgroup> on %s: only the first screen of the list was read", response.url)
            return
        path, form = proxy
        yield self.dataproxy_request(response.urljoin(path), form, start=len(records) + 1)

    def dataproxy_request(self, endpoint: str, form: dict[str, str], start: int) -> scrapy.Request:
        end = start + self.records_per_request - 1
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": self.records_per_request})
        return scrapy.FormRequest(
            f"{endpoint}?{query}",
            formdata=form,
            headers={"X-Requested-With": "XMLHttpRequest", "Referer": self.column_url},
            callback=self.parse_dataproxy,
            cb_kwargs={"endpoint": endpoint, "form": form, "start": start},
        )

    def parse_dataproxy(self, response: Response, endpoint: str, form: dict[str, str], start: int):
        records = datastore_records(response.text)
        yield from self.follow_reports(response, records)
        if len(records) >= self.records_per_request:
            yield self.dataproxy_request(endpoint, form, start + len(records))

    def follow_reports(self, response: Response, records):
        for href, title, _date in records:
            if is_annual_report(title):
                yield response.follow(href, callback=self.parse_article)

    def parse_article(self, response: Response):
        title = response.css('meta[name="ArticleTitle"]::attr(content)').get() or response.css("title::text").get("")
        published = iso_date(response.css('meta[name="PubDate"]::attr(content)').get()) or iso_date(
            header_value(response, "公开日期")
        )
        yield self.report_item(
            response,
            title=title,
            published=published,
            attachments=self.attachment_links(response, "#zoom"),
            agency=header_value(response, "发布机构") or None,
        )


def header_value(response: Response, label: str) -> str:
    """The value beside `label` in a 信息公开 header table (labels are padded: 索\xa0\xa0引\xa0\xa0号)."""
    cells = [re.sub(r"\s+", "", " ".join(td.css("::text").getall())) for td in response.css("table td")]
    for key, value in zip(cells, cells[1:]):
        if key == label:
            return value
    return ""
