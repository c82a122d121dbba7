"""A 政务公开 portal whose channel lists exist only in the browser: a script renders them from a JSON API, and a
加速乐-style WAF guards them (field guide §4 JSON-API / JS-only pages, §8 anti-crawling).

What a crawler meets on such a site:
- the channel page ``/gongkai/<site>/channel_<channel id>/index.html`` is a shell: an empty ``<ul id="list">`` and a
  script that fetches ``/gongkai/api/channel/<channel id>/docs?page=N&size=10`` (JSON ``{total, pages, docs:
  [{title, url, publishedAt}]}``), renders the items and a pager whose links are the same shell with ``?page=N``;
- the WAF guards the channel pages: a request without the clearance cookie is answered HTTP 521 with a tiny
  script that assembles ``__jsl_clearance`` into ``document.cookie`` and reloads — only a JavaScript engine passes;
- documents ``/gongkai/<site>/channel_<channel id>/doc_<24 hex>.html`` are plain HTML: a 标题/索引号/发文日期/
  发布机构 table above the body, the attachments below it;
- attachments download from ``/gongkai/attachment/<24 hex>.<ext>`` as ``application/octet-stream``: their name is
  only in the link text and in Content-Disposition (RFC 5987 UTF-8), which the server copies from the name the file
  was uploaded under — directories and all;
- a file whose storage never answers is given up on by the gateway only after ``GATEWAY_TIMEOUT`` seconds.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote

from replica.rendering import homepage, render
from replica.server import ReplicaRequest, ReplicaResponse

CLEARANCE_COOKIE = "__jsl_clearance"
# Far beyond any crawler's patience (the test crawl waits 5 s, production 60 s): the file is never received.
GATEWAY_TIMEOUT = 120.0


def object_id(text: str) -> str:
    """A stable 24-hex id, shaped like the MongoDB ObjectIds this CMS puts in its URLs."""
    return hashlib.md5(text.encode()).hexdigest()[:24]


@dataclass
class Attachment:
    """A file offered for download below a document."""

    name: str  # the link text
    file: Path | None  # None: the file store never answers and the gateway times out
    disposition_name: str = ""  # what Content-Disposition names it; the link text when empty

    @property
    def path(self) -> str:
        return f"/gongkai/attachment/{object_id(self.name)}{Path(self.name).suffix}"


@dataclass
class Article:
    title: str
    published: datetime.datetime
    body_html: str
    index_number: str
    attachments: list[Attachment] = field(default_factory=list)
    path: str = ""  # filled in by the site

    @property
    def id(self) -> str:
        return object_id(f"{self.title}{self.published}")


@dataclass
class JsonListChannelSite:
    """One portal host with one JS-rendered channel, newest document first."""

    host: str
    site_path: str  # the CMS's site folder, e.g. "site_gxq"
    site_name: str
    publisher: str
    channel_name: str
    articles: list[Article]
    per_page: int = 10
    robots_txt: str = "User-agent: *\nDisallow: /gongkai/search/\n"

    def __post_init__(self) -> None:
        self.articles.sort(key=lambda a: a.published, reverse=True)
        for article in self.articles:
            article.path = f"{self.channel_path}/doc_{article.id}.html"
        self._articles_by_path = {a.path: a for a in self.articles}
        self._attachments_by_path = {att.path: att for a in self.articles for att in a.attachments}

    @property
    def hosts(self) -> tuple[str, ...]:
        return (self.host,)

    @property
    def channel_id(self) -> str:
        return object_id(f"{self.site_path}/{self.channel_name}")

    @property
    def channel_path(self) -> str:
        return f"/gongkai/{self.site_path}/channel_{self.channel_id}"

    @property
    def api_path(self) -> str:
        return f"/gongkai/api/channel/{self.channel_id}/docs"

    @property
    def clearance(self) -> str:
        """The cookie value the challenge script computes (fixed per host: a replica needs no expiry)."""
        return object_id(f"{self.host} clearance")

    def _context(self, **extra) -> dict:
        return {
            "site_name": self.site_name,
            "publisher": self.publisher,
            "channel_name": self.channel_name,
            "channel_path": self.channel_path,
            "api_path": self.api_path,
            "per_page": self.per_page,
            **extra,
        }

    def respond(self, request: ReplicaRequest) -> ReplicaResponse:
        path = request.path
        if path == "/robots.txt":
            return ReplicaResponse(200, self.robots_txt.encode(), [("Content-Type", "text/plain")])
        if path in ("/", "/index.html"):
            # The portal's homepage is static and unguarded: the WAF guards the channel pages.
            menu = [("/xwzx/", "新闻中心"), (f"{self.channel_path}/index.html", self.channel_name), ("/hdjl/", "互动交流")]
            latest = [(a.path, a.title, f"{a.published:%Y-%m-%d}") for a in self.articles[:6]]
            return ReplicaResponse(200, homepage(self.site_name, menu, latest),
                                   [("Content-Type", "text/html; charset=utf-8")])
        if path == f"{self.channel_path}/index.html":
            if not self._has_clearance(request):
                return self._challenge()
            return ReplicaResponse.html(render("jsonlist/channel.html", **self._context()))
        if path == self.api_path:
            return self._api(request)
        article = self._articles_by_path.get(path)
        if article is not None:
            return ReplicaResponse.html(render("jsonlist/article.html", **self._context(article=article)))
        attachment = self._attachments_by_path.get(path)
        if attachment is not None:
            return _download(attachment)
        return ReplicaResponse.not_found()

    def _has_clearance(self, request: ReplicaRequest) -> bool:
        cookies = request.headers.get("Cookie", "")
        return f"{CLEARANCE_COOKIE}={self.clearance}" in [c.strip() for c in cookies.split(";")]

    def _challenge(self) -> ReplicaResponse:
        # Like 加速乐's first stage: the cookie is spelled out in character codes, so no regex lifts it from the page.
        codes = ",".join(str(ord(ch)) for ch in f"{CLEARANCE_COOKIE}={self.clearance}")
        return ReplicaResponse.html(render("jsonlist/challenge.html", codes=codes), status=521)

    def _api(self, request: ReplicaRequest) -> ReplicaResponse:
        query = parse_qs(request.query)
        page = max(_number(query, "page", 1), 1)
        size = min(max(_number(query, "size", self.per_page), 1), 50)
        chunk = self.articles[(page - 1) * size : page * size]
        payload = {
            "total": len(self.articles),
            "pages": math.ceil(len(self.articles) / size),
            "docs": [
                {"title": a.title, "url": a.path, "publishedAt": a.published.strftime("%Y-%m-%d %H:%M:%S")}
                for a in chunk
            ],
        }
        body = json.dumps(payload, ensure_ascii=False).encode()
        return ReplicaResponse(200, body, [("Content-Type", "application/json; charset=utf-8")])


def _number(query: dict[str, list[str]], name: str, default: int) -> int:
    """An integer query parameter; like the real API, anything unparsable counts as absent."""
    try:
        return int(query[name][0])
    except (KeyError, ValueError):
        return default


def _download(attachment: Attachment) -> ReplicaResponse:
    if attachment.file is None:
        body = b"<html><body><h1>504 Gateway Time-out</h1></body></html>"
        return ReplicaResponse(504, body, [("Content-Type", "text/html")], delay=GATEWAY_TIMEOUT)
    suffix = Path(attachment.name).suffix
    # `quote` keeps "/" as is: the server passes the uploaded name through unchecked.
    disposition = (
        f'attachment; filename="{object_id(attachment.name)}{suffix}"; '
        f"filename*=UTF-8''{quote(attachment.disposition_name or attachment.name)}"
    )
    return ReplicaResponse(
        200,
        attachment.file.read_bytes(),
        [("Content-Type", "application/octet-stream"), ("Content-Disposition", disposition)],
    )

