"""Guangdong's 省统一政府信息公开目录 (gkmlpt): one directory per site (a city or district) listing every body of it —
departments, towns, streets — through one JSON API (field guide §4).

The directory page `/gkmlpt/index` (its hash `#<catId>` names a column) is a script shell: `window._CONFIG` holds
the site's id (`SID: '200165'`) and its column tree (`TREE: [{id, name, children, …}]`). A column's items come from
`/gkmlpt/api/all/<catId>?page=N&sid=<SID>` as JSON `{total, articles: [{id, title, url, publisher, identifier,
created_at, …}]}`. Some sites put every item on page 1 while `total` promises more, and answer 404 for page 2:
the end of the list, not a failure. Items link `/gkmlpt/content/<a>/<b>/post_<id>.html`, whose `window._CONFIG.DETAIL`
repeats the item's record and whose `div.article-content` holds the body, attachments linked as
`/attachment/0/<a>/<file id>/<post id>.<ext>` on the same host.

Who published a report is the platform's own record: `publisher` names the body; `identifier` is its 索引号,
`<the body's 统一社会信用代码>/<year>-<number>`, whose first part is the body's code (unit_code). A record without a
publisher leaves the body to the title (某某局2023年政府信息公开工作年度报告 → 某某局).
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urldefrag, urljoin

import scrapy
from scrapy.http import Response

from crawler.platforms.base import AnnualReportSpider, is_annual_report, iso_date

ARTICLE_BODY = "div.article-content"
_SID = re.compile(r"""\bSID\s*:\s*['"]?(\d+)""")
_TREE = re.compile(r"\bTREE\s*:\s*")
_DETAIL = re.compile(r"\bDETAIL\s*:\s*")
# Columns that hold annual reports (field guide §7): 政府信息公开年报, …工作年度报告, 年度报告, 年报.
_REPORT_COLUMN = re.compile(r"年报|年度报告")
# A roll-up of many bodies' reports (年报汇总), not one body's report.
_SUMMARY = re.compile(r"汇总")
_PERCENT_U = re.compile(r"%u([0-9A-Fa-f]{4})")
_NOTICE_WRAPPER = re.compile(r"^关于印发(.+?)的通知$")
_REPORT_SUFFIX = re.compile(
    r"(?:20\d{2}\s*年(?:度)?)?(?:政府信息公开(?:工作)?(?:年度)?(?:工作)?(?:情况)?报告|政府信息公开年报|信息公开年度报告|年度报告|年报)$"
)
_YEAR_FIRST = re.compile(r"^20\d{2}\s*年(?:度)?")
# Towns and streets report at the township level whatever level their district's site is.
_TOWNSHIP = re.compile(r"(?:街道|镇|乡)(?:办事处|人民政府|党工委)?$")


def decode_percent_u(text: str) -> str:
    """`text` with JavaScript escape()'s %uXXXX sequences decoded (some sites store titles that way)."""
    return _PERCENT_U.sub(lambda match: chr(int(match.group(1), 16)), text)


def _object_after(pattern: re.Pattern, text: str):
    """The JSON value that follows `pattern` in a script, or None."""
    match = pattern.search(text)
    if not match:
        return None
    try:
        value, _end = json.JSONDecoder().raw_decode(text, match.end())
    except json.JSONDecodeError:
        return None
    return value


def site_config(text: str) -> tuple[str, list[dict]] | None:
    """(SID, column tree) from a directory page's `window._CONFIG`; None when the page has no SID."""
    sid = _SID.search(text)
    if not sid:
        return None
    tree = _object_after(_TREE, text)
    return sid.group(1), tree if isinstance(tree, list) else []


def detail_record(text: str) -> dict:
    """The article record a content page carries in `window._CONFIG.DETAIL` ({} when it has none)."""
    detail = _object_after(_DETAIL, text)
    return detail if isinstance(detail, dict) else {}


def report_columns(tree: list[dict], root: int | None = None) -> list[int]:
    """Ids of the columns to list for annual reports, in tree order: each leaf that is, or lies under, a column
    named for annual reports (年报, 年度报告) — per year or per level as sites divide them — within the column
    `root` when given (an entry URL's hash). A parent is not listed itself: its leaves hold its items."""
    columns: list[int] = []

    def walk(nodes: list[dict], inside_root: bool, inside_reports: bool) -> None:
        for node in nodes:
            here_root = inside_root or node.get("id") == root
            here_reports = inside_reports or bool(_REPORT_COLUMN.search(node.get("name", "")))
            children = node.get("children") or []
            if children:
                walk(children, here_root, here_reports)
            elif here_root and here_reports and not node.get("jump_url"):
                columns.append(node["id"])

    walk(tree, root is None, False)
    return columns


def list_url(index_url: str, column: int, page: int, sid: str) -> str:
    """The list API's URL for page `page` of `column`, beside the directory page `index_url` (a site may keep
    its directory under a prefix: /yjzjj/gkmlpt/index)."""
    return urljoin(index_url, f"api/all/{column}?page={page}&sid={sid}")


def list_articles(payload: dict) -> list[dict]:
    """The items of one list page, titles decoded."""
    return [{**article, "title": decode_percent_u(article.get("title", ""))} for article in payload.get("articles") or []]


def list_total(payload: dict) -> int:
    """How many items the column says it has: `total`, else the column's `classify.post_count`."""
    return int(payload.get("total") or (payload.get("classify") or {}).get("post_count") or 0)


def is_report_item(title: str) -> bool:
    """Whether a list item titled `title` is one body's annual report (a 汇总 of many is not)."""
    return is_annual_report(title) and not _SUMMARY.search(title)


def agency_from_title(title: str) -> str:
    """The reporting body a report's title names: 某某局2023年政府信息公开工作年度报告 → 某某局, also inside a
    关于印发…的通知 wrapper and with the year first (2023年某某局…)."""
    name = re.sub(r"\s+", "", title)
    wrapped = _NOTICE_WRAPPER.match(name)
    if wrapped:
        name = wrapped.group(1)
    name = _REPORT_SUFFIX.sub("", name)
    return _YEAR_FIRST.sub("", name)


def unit_code(identifier: str) -> str:
    """The body's code from an item's 索引号 `<统一社会信用代码>/<year>-<number>` ('' when it has none)."""
    code, slash, _rest = (identifier or "").partition("/")
    return code.strip() if slash else ""


def body_level(agency: str, site_level: str) -> str:
    """乡镇级 for a town or street, else the site's level."""
    return "乡镇级" if _TOWNSHIP.search(agency) else site_level


class GkmlptSpider(AnnualReportSpider):
    """Crawl a Guangdong gkmlpt directory (the entry URLs: `…/gkmlpt/index`, or `…/gkmlpt/index#<catId>` for one
    column) for the annual reports of every body it lists."""

    platform = "gkmlpt"
    portal = True

    def entry_request(self, url: str) -> scrapy.Request:
        page, column = urldefrag(url)
        return scrapy.Request(page, callback=self.parse_index,
                              cb_kwargs={"root": int(column) if column.isdigit() else None})

    def parse_index(self, response: Response, root: int | None):
        config = site_config(response.text)
        if config is None:
            self.logger.error("no window._CONFIG SID on %s: not a gkmlpt directory page", response.url)
            return
        sid, tree = config
        columns = report_columns(tree, root)
        if not columns:
            self.logger.error("no annual-report column in the tree of %s", response.url)
        for column in columns:
            yield self.list_request(response.url, sid, column, page=1)

    def list_request(self, index_url: str, sid: str, column: int, page: int) -> scrapy.Request:
        return scrapy.Request(
            list_url(index_url, column, page, sid),
            callback=self.parse_list,
            cb_kwargs={"index_url": index_url, "sid": sid, "column": column, "page": page},
            # Past page 1 a 404 ends the list: some sites put everything on page 1 whatever `total` says.
            meta={"handle_httpstatus_list": [404]} if page > 1 else {},
        )

    def parse_list(self, response: Response, index_url: str, sid: str, column: int, page: int):
        if response.status == 404:
            self.logger.info("column %s ends before page %d (404)", column, page)
            return
        payload = json.loads(response.text)
        articles = list_articles(payload)
        for article in articles:
            if is_report_item(article["title"]) and article.get("url"):
                yield response.follow(article["url"], callback=self.parse_article, cb_kwargs={"listed": article})
        # Page 1 tells how many pages there are; later pages only add their items.
        if page == 1 and articles:
            for later in range(2, math.ceil(list_total(payload) / len(articles)) + 1):
                yield self.list_request(index_url, sid, column, later)

    def parse_article(self, response: Response, listed: dict):
        # The page's own record wins over the list's: it is what the article says of itself.
        record = {**listed, **detail_record(response.text)}
        title = decode_percent_u(record.get("title") or response.css("title::text").get(""))
        agency = (record.get("publisher") or "").strip() or agency_from_title(title)
        yield self.report_item(
            response,
            title=title,
            published=iso_date(record.get("created_at") or record.get("publish_time")),
            attachments=self.attachment_links(response, ARTICLE_BODY),
            agency=agency,
            level=body_level(agency, self.level),
            unit_code=unit_code(record.get("identifier", "")),
        )

