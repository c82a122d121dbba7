"""A Hanweb (大汉) JCMS site as the replica serves it (field guide §1).

What a crawler meets on such a site:
- the column page ``/col/col<ID>/index.html`` carries only the first screen of items, as CDATA records in a
  ``<script type="text/xml">`` datastore;
- every further item comes from ``/module/web/jpage/dataproxy.jsp``, POSTed with a record range
  (``startrecord``/``endrecord``/``perpage``) and the column's form fields; GET or a missing form is refused;
- details live at ``/art/YYYY/M/D/art_<column>_<article>.html``, the body in ``#zoom`` under a
  索引号/发布机构/公开日期 header table;
- attachments are served by ``/module/download/downfile.jsp?classid=0&filename=<hash>.<ext>``: the real name is
  only in the link text and in ``Content-Disposition``, whose filename is raw GBK bytes as these servers send it.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from replica.rendering import render
from replica.server import ReplicaRequest, ReplicaResponse

_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".wps": "application/kswps",
}


@dataclass
class Attachment:
    """A file offered for download on an article page."""

    file: Path  # what the server sends
    name: str  # the human-readable name: link text and Content-Disposition filename

    @property
    def stored_name(self) -> str:
        # Hanweb names stored files by a hash; only the link text tells a reader what the file is.
        return hashlib.md5(self.name.encode()).hexdigest() + Path(self.name).suffix


@dataclass
class Article:
    id: int
    title: str
    published: datetime.datetime
    body_html: str
    attachments: list[Attachment] = field(default_factory=list)
    index_number: str = ""
    column_id: int = 0  # filled in by the site

    @property
    def path(self) -> str:
        d = self.published
        return f"/art/{d.year}/{d.month}/{d.day}/art_{self.column_id}_{self.id}.html"


@dataclass
class HanwebColumnSite:
    """One Hanweb JCMS site with one article column, newest article first."""

    host: str
    site_name: str
    publisher: str
    web_id: int
    column_id: int
    unit_id: int
    column_name: str
    articles: list[Article]
    per_page: int = 10
    robots_txt: str = "User-agent: *\nDisallow: /module/jslib/\n"

    def __post_init__(self) -> None:
        for article in self.articles:
            article.column_id = self.column_id
        self.articles.sort(key=lambda a: a.published, reverse=True)
        self._articles_by_path = {a.path: a for a in self.articles}
        self._attachments_by_stored_name = {
            att.stored_name: att for a in self.articles for att in a.attachments
        }

    @property
    def hosts(self) -> tuple[str, ...]:
        return (self.host,)

    @property
    def column_url_path(self) -> str:
        return f"/col/col{self.column_id}/index.html"

    def _context(self, **extra) -> dict:
        return {
            "site_name": self.site_name,
            "publisher": self.publisher,
            "web_id": self.web_id,
            "column_id": self.column_id,
            "unit_id": self.unit_id,
            "column_name": self.column_name,
            "per_page": self.per_page,
            "total": len(self.articles),
            **extra,
        }

    def respond(self, request: ReplicaRequest) -> ReplicaResponse:
        path = request.path
        if path == "/robots.txt":
            return ReplicaResponse(200, self.robots_txt.encode(), [("Content-Type", "text/plain")])
        if path == self.column_url_path:
            page = render("hanweb/column.html", **self._context(records=self.articles[: self.per_page]))
            return ReplicaResponse.html(page)
        if path == "/module/web/jpage/dataproxy.jsp":
            return self._dataproxy(request)
        if path == "/module/download/downfile.jsp":
            return self._download(request)
        article = self._articles_by_path.get(path)
        if article is not None:
            return ReplicaResponse.html(render("hanweb/article.html", **self._context(article=article)))
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

    def _download(self, request: ReplicaRequest) -> ReplicaResponse:
        stored_name = parse_qs(request.query).get("filename", [""])[0]
        attachment = self._attachments_by_stored_name.get(stored_name)
        if attachment is None:
            return ReplicaResponse.not_found()
        # http.server writes header values as latin-1: this sends the GBK bytes unchanged, as Hanweb does.
        raw_gbk_name = attachment.name.encode("gbk").decode("latin-1")
        suffix = Path(attachment.name).suffix.lower()
        return ReplicaResponse(
            200,
            attachment.file.read_bytes(),
            [
                ("Content-Type", _CONTENT_TYPES.get(suffix, "application/octet-stream")),
                ("Content-Disposition", f'attachment; filename="{raw_gbk_name}"'),
            ],
        )


def article_date(text: str) -> datetime.datetime:
    """Parse '2021-01-20 09:30' into a datetime (site declarations use this compact form)."""
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M")

