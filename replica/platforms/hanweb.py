"""Hanweb (大汉) sites as the replica serves them (field guide §1).

Two kinds of site, sharing robots.txt, the page chrome, the 索引号/发布机构/公开日期 header table and downloads:

`HanwebColumnSite` — a JCMS article column:
- the column page ``/col/col<ID>/index.html`` carries only the first screen of items, as CDATA records in a
  ``<script type="text/xml">`` datastore;
- every further item comes from ``/module/web/jpage/dataproxy.jsp``, POSTed with a record range
  (``startrecord``/``endrecord``/``perpage``) and the column's form fields; GET or a missing form is refused;
- details live at ``/art/YYYY/M/D/art_<column>_<article>.html``, the body in ``#zoom``.

`HanwebXxgkSite` — one agency's 信息公开 directory (``/module/xxgk/``, field guide §1c):
- the directory list ``/module/xxgk/search.jsp?…&area=<code>&currpage=N`` is a table whose links carry the
  item's metadata as attributes (``mc`` title, ``rq`` date, ``syh`` 索引号); the visible title is truncated;
- annual reports are rendered by the module ``/module/xxgk/xxgkAnnualReport.jsp?area=<code>&fbtime=<year>`` as
  HTML only, the body in ``.gknbxq_detail``; an address under the agency's former organisation code answers 301.

`HanwebXxgkPortalSite` — a portal's 信息公开 platform (政府网站集约化: the district's departments, towns and streets
publish on it):
- the list of its reporting bodies ``/col/col<ID>/index.html``, under headings, each body a link to its 信息公开
  shell ``/col/col<ID>/index.html?vc_xxgkarea=<code>``; a body may be listed under two headings;
- each body's directory list and annual reports as `HanwebXxgkSite` serves them, told apart by ``area``; a body
  whose module errs answers 500.

Attachments are served by ``/module/download/downfile.jsp?classid=0&filename=<hash>.<ext>``: the real name is
only in the link text and in ``Content-Disposition`` (raw GBK bytes on most sites, RFC 5987 on some); a file the
site has lost still has its link, and answers 404. Pictures (``/picture/…``) are plain static files.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode

import docx
from docx.oxml.ns import qn

from replica.documents.html import table_html
from replica.rendering import homepage, render
from replica.server import ReplicaRequest, ReplicaResponse

_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".wps": "application/kswps",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}
DOWNLOAD_PATH = "/module/download/downfile.jsp"


@dataclass
class Attachment:
    """A file offered for download on an article page."""

    file: Path  # what the server sends
    name: str  # the human-readable name: link text and Content-Disposition filename
    label: str = ""  # what the page prints before the link, e.g. 【word下载】
    lost: bool = False  # still linked from the page, but gone from the server: the download answers 404

    @property
    def stored_name(self) -> str:
        # Hanweb names stored files by a hash; only the link text tells a reader what the file is.
        return hashlib.md5(self.name.encode()).hexdigest() + Path(self.name).suffix


def gbk_disposition(attachment: Attachment) -> str:
    """Content-Disposition as most Hanweb servers send it: the filename as raw GBK bytes."""
    # http.server writes header values as latin-1: this sends the GBK bytes unchanged.
    return f'attachment; filename="{attachment.name.encode("gbk").decode("latin-1")}"'


def rfc5987_disposition(attachment: Attachment) -> str:
    """Content-Disposition the RFC 5987 way: an ASCII fallback name (the stored hash) and the real name as
    `filename*=UTF-8''…`, which a client must prefer."""
    return f"attachment; filename=\"{attachment.stored_name}\"; filename*=UTF-8''{quote(attachment.name)}"


@dataclass
class Article:
    id: int
    title: str
    published: datetime.datetime
    body_html: str
    attachments: list[Attachment] = field(default_factory=list)
    index_number: str = ""
    column_id: int = 0  # filled in by the site
    attachment_heading: str = "附件："  # printed above the attachment links; "" when the links stand alone
    closing_html: str = ""  # what follows the attachment links inside the body (e.g. a link to a （图解）)
    url_path: str = ""  # where the article lives when the site placed it away from /art/… (e.g. a print view)

    @property
    def path(self) -> str:
        if self.url_path:
            return self.url_path
        d = self.published
        return f"/art/{d.year}/{d.month}/{d.day}/art_{self.column_id}_{self.id}.html"


@dataclass(kw_only=True)
class HanwebSite:
    """What every Hanweb site serves besides its own pages: robots.txt, downloads and static pictures."""

    host: str
    site_name: str
    publisher: str
    column_id: int  # the column the breadcrumb names, and that articles are filed under
    column_name: str
    robots_txt: str = "User-agent: *\nDisallow: /module/jslib/\n"
    content_disposition: Callable[[Attachment], str] = gbk_disposition
    static_files: dict[str, Path] = field(default_factory=dict)  # URL path → file served as is (e.g. /picture/…)

    @property
    def hosts(self) -> tuple[str, ...]:
        return (self.host,)

    def articles_served(self) -> Iterable[Article]:
        """Every article page of the site."""
        return ()

    def _context(self, **extra) -> dict:
        return {"site_name": self.site_name, "publisher": self.publisher, "column_id": self.column_id,
                "column_name": self.column_name, **extra}

    def respond(self, request: ReplicaRequest) -> ReplicaResponse:
        path = request.path
        if path == "/robots.txt":
            return ReplicaResponse(200, self.robots_txt.encode(), [("Content-Type", "text/plain")])
        if path in ("/", "/index.html"):
            return self._homepage()
        if path == DOWNLOAD_PATH:
            return self._download(request)
        if path in self.static_files:
            file = self.static_files[path]
            return ReplicaResponse(200, file.read_bytes(), [("Content-Type", _content_type(file.name))])
        article = next((a for a in self.articles_served() if a.path == path), None)
        if article is not None:
            return ReplicaResponse.html(render("hanweb/article.html", **self._context(article=article)))
        return self.page(request)

    def menu(self) -> list[tuple[str, str]]:
        """The homepage menu's links besides 首页: (href, text)."""
        return []

    def _homepage(self) -> ReplicaResponse:
        # JCMS templates load jQuery from the CMS's script library and name columns by id in their menus.
        menu = [(f"/col/col{self.column_id + 1}/index.html", "新闻动态"), *self.menu(),
                (f"/col/col{self.column_id + 2}/index.html", "互动交流")]
        latest = [(a.path, a.title, f"{a.published:%Y-%m-%d}") for a in
                  sorted(self.articles_served(), key=lambda a: a.published, reverse=True)[:6]]
        body = homepage(self.site_name, menu, latest, scripts=["/module/jslib/jquery/jquery.js"])
        return ReplicaResponse(200, body, [("Content-Type", "text/html; charset=utf-8")])

    def page(self, request: ReplicaRequest) -> ReplicaResponse:
        """The site's own pages (lists, modules); 404 for anything else."""
        return ReplicaResponse.not_found()

    def _download(self, request: ReplicaRequest) -> ReplicaResponse:
        stored_name = parse_qs(request.query).get("filename", [""])[0]
        attachment = next(
            (a for article in self.articles_served() for a in article.attachments if a.stored_name == stored_name), None
        )
        if attachment is None or attachment.lost:
            return ReplicaResponse.not_found()
        return ReplicaResponse(
            200,
            attachment.file.read_bytes(),
            [
                ("Content-Type", _content_type(attachment.name)),
                ("Content-Disposition", self.content_disposition(attachment)),
            ],
        )


def _content_type(name: str) -> str:
    return _CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


@dataclass(kw_only=True)
class HanwebColumnSite(HanwebSite):
    """One Hanweb JCMS site with one article column, newest article first."""

    web_id: int
    unit_id: int
    articles: list[Article]
    per_page: int = 10

    def __post_init__(self) -> None:
        for article in self.articles:
            article.column_id = self.column_id
        self.articles.sort(key=lambda a: a.published, reverse=True)

    def articles_served(self) -> Iterable[Article]:
        return self.articles

    def menu(self) -> list[tuple[str, str]]:
        return [(self.column_url_path, self.column_name)]

    @property
    def column_url_path(self) -> str:
        return f"/col/col{self.column_id}/index.html"

    def _context(self, **extra) -> dict:
        return super()._context(web_id=self.web_id, unit_id=self.unit_id, per_page=self.per_page,
                                total=len(self.articles), **extra)

    def page(self, request: ReplicaRequest) -> ReplicaResponse:
        if request.path == self.column_url_path:
            first_screen = self.articles[: self.per_page]
            return ReplicaResponse.html(render("hanweb/column.html", **self._context(records=first_screen)))
        if request.path == "/module/web/jpage/dataproxy.jsp":
            return self._dataproxy(request)
        return ReplicaResponse.not_found()

    def _dataproxy(self, request: ReplicaRequest) -> ReplicaResponse:
        form = parse_qs(request.body.decode("utf-8", "replace"))
        if request.method != "POST" or form.get("columnid") != [str(self.column_id)]:
            # Real jpage proxies answer a bare GET with an empty error page, not with records.
            return ReplicaResponse.html("<html><body>参数错误</body></html>", status=400)
        query = parse_qs(request.query)
        start = int(query.get("startrecord", ["1"])[0])
        end = int(query.get("endrecord", [str(start + 3 * self.per_page - 1)])[0])
        records = self.articles[max(start - 1, 0) : max(end, 0)]
        body = render("hanweb/dataproxy.xml", **self._context(records=records))
        return ReplicaResponse(200, body.encode(), [("Content-Type", "text/xml; charset=utf-8")])


@dataclass
class AnnualReport:
    """One year's report as the 信息公开 annual-report module renders it: HTML only."""

    year: int
    title: str
    published: datetime.datetime
    body_html: str  # the report fragment the clerk pasted into the module
    index_number: str = ""


@dataclass
class DirectoryEntry:
    """One row of a 信息公开 directory list."""

    title: str
    published: datetime.datetime
    href: str
    index_number: str


ANNUAL_REPORT_PATH = "/module/xxgk/xxgkAnnualReport.jsp"
DIRECTORY_PATH = "/module/xxgk/search.jsp"


def annual_report_href(area: str, year: int) -> str:
    return f"{ANNUAL_REPORT_PATH}?{urlencode({'area': area, 'fbtime': year})}"


@dataclass(kw_only=True)
class HanwebXxgkSite(HanwebSite):
    """One agency's Hanweb 信息公开 directory: notices filed as articles, annual reports in the module."""

    area: str  # the agency's 统一社会信用代码, which names it in every module URL
    # The organisation code the agency was filed under before the social-credit code: report addresses under it
    # answer 301 to the current ones.
    former_area: str
    div_id: str  # the list component's id on the directory page
    reports: list[AnnualReport]
    notices: list[Article]
    # Years whose report the directory lists a second time under its former-area address (a row left over from
    # before the code change).
    relisted_under_former_area: tuple[int, ...] = ()
    per_page: int = 10

    def __post_init__(self) -> None:
        for notice in self.notices:
            notice.column_id = self.column_id
        self._reports_by_year = {report.year: report for report in self.reports}

    def articles_served(self) -> Iterable[Article]:
        return self.notices

    def menu(self) -> list[tuple[str, str]]:
        # The district portal's 部门信息公开 block: each department's directory, named by the department.
        return [(self.directory_href(1), self.publisher)]

    def directory(self) -> list[DirectoryEntry]:
        """Every row of the directory list, newest first."""
        rows = [DirectoryEntry(r.title, r.published, annual_report_href(self.area, r.year), r.index_number)
                for r in self.reports]
        rows += [DirectoryEntry(r.title, r.published, annual_report_href(self.former_area, r.year), r.index_number)
                 for r in self.reports if r.year in self.relisted_under_former_area]
        rows += [DirectoryEntry(n.title, n.published, n.path, n.index_number) for n in self.notices]
        return sorted(rows, key=lambda row: row.published, reverse=True)

    def directory_href(self, page: int) -> str:
        """The list's address as the directory's own pager writes it."""
        query = {"infotypeId": "", "jdid": "", "area": self.area, "divid": self.div_id,
                 "sortfield": ",compaltedate:0", "currpage": page, "standardXxgk": 1}
        return f"{DIRECTORY_PATH}?{urlencode(query)}"

    def page(self, request: ReplicaRequest) -> ReplicaResponse:
        query = {key: values[0] for key, values in parse_qs(request.query).items()}
        if request.path == DIRECTORY_PATH:
            return self._directory_page(query)
        if request.path == ANNUAL_REPORT_PATH:
            return self._annual_report(query)
        return ReplicaResponse.not_found()

    def _directory_page(self, query: dict[str, str]) -> ReplicaResponse:
        # Another agency's code lists nothing of this one's, as the real module does for an unknown area.
        rows = self.directory() if query.get("area") == self.area else []
        pages = max(math.ceil(len(rows) / self.per_page), 1)
        page = min(max(int(query.get("currpage") or 1), 1), pages)
        shown = rows[(page - 1) * self.per_page : page * self.per_page]
        html = render("hanweb/xxgk_list.html", **self._context(
            rows=shown, total=len(rows), page=page, pages=pages, div_id=self.div_id, page_href=self.directory_href))
        return ReplicaResponse.html(html)

    def _annual_report(self, query: dict[str, str]) -> ReplicaResponse:
        year = int(query["fbtime"]) if query.get("fbtime", "").isdigit() else None
        report = self._reports_by_year.get(year)
        if report is None or query.get("area") not in (self.area, self.former_area):
            return ReplicaResponse.not_found()
        if query["area"] == self.former_area:
            location = f"http://{self.host}{annual_report_href(self.area, year)}"
            return ReplicaResponse(301, b"", [("Location", location)])
        return ReplicaResponse.html(render("hanweb/annual_report.html", **self._context(report=report)))


@dataclass(kw_only=True)
class HanwebXxgkPortalSite(HanwebSite):
    """A portal's Hanweb 信息公开 platform: its list of reporting bodies, each body's directory and reports (each
    body a HanwebXxgkSite on the portal's host, its `publisher` the body's name)."""

    groups: list[tuple[str, list[HanwebXxgkSite]]]  # (heading, bodies) in page order
    failing_areas: tuple[str, ...] = ()  # bodies whose directory and reports answer 500 (the module errs)

    def __post_init__(self) -> None:
        self._bodies_by_area = {area: body for _, bodies in self.groups for body in bodies
                                for area in (body.area, body.former_area)}

    @property
    def bodies(self) -> list[HanwebXxgkSite]:
        """Every body, each once, in page order."""
        return list({body.area: body for _, bodies in self.groups for body in bodies}.values())

    @property
    def unit_list_path(self) -> str:
        return f"/col/col{self.column_id}/index.html"

    def shell_href(self, body: HanwebXxgkSite) -> str:
        return f"{self.unit_list_path}?{urlencode({'vc_xxgkarea': body.area})}"

    def articles_served(self) -> Iterable[Article]:
        return itertools.chain.from_iterable(body.notices for body in self.bodies)

    def page(self, request: ReplicaRequest) -> ReplicaResponse:
        if request.path == self.unit_list_path and not request.query:
            return ReplicaResponse.html(render("hanweb/xxgk_units.html", **self._context(
                groups=self.groups, shell_href=self.shell_href)))
        if request.path not in (DIRECTORY_PATH, ANNUAL_REPORT_PATH):
            return ReplicaResponse.not_found()
        area = parse_qs(request.query).get("area", [""])[0]
        if area in self.failing_areas:
            return ReplicaResponse.html("<html><body><h1>HTTP Status 500 - Internal Server Error</h1></body></html>",
                                        status=500)
        body = self._bodies_by_area.get(area)
        return body.page(request) if body else ReplicaResponse.not_found()


def pasted_word_html(docx_file: Path) -> str:
    """A Word report as the body of a Hanweb article after a clerk pasted it into the editor: its paragraphs and
    tables in document order, the tables' merged cells as rowspan/colspan."""
    parts = []
    for element in docx.Document(str(docx_file)).element.body:
        if element.tag == qn("w:tbl"):
            parts.append(table_html(element))
        elif element.tag == qn("w:p"):
            text = "".join(t.text or "" for t in element.iter(qn("w:t")))
            if text.strip():
                parts.append(f"<p>{escape(text)}</p>")
    return "\n".join(parts)


def article_date(text: str) -> datetime.datetime:
    """Parse '2021-01-20 09:30' into a datetime (site declarations use this compact form)."""
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M")


def notice(article_id: int, title: str, published: str, agency: str, index_number: str) -> Article:
    """A column item that is not a report (a 通知, 公示…): a short body signed by the agency."""
    return Article(
        id=article_id,
        title=title,
        published=article_date(published),
        body_html=f"<p>{title}，详见正文。</p><p>{agency}</p>",
        index_number=index_number,
    )
