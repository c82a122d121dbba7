"""A TRS WCM (拓尔思) statically published site as the replica serves it (field guide §2).

What a crawler meets on such a site:
- a column is a directory of static files, ``index.html``, ``index_1.html``, ``index_2.html`` …; each page says
  where it stands only in a script call ``createPageHTML(<pageCount>, <currentIndex>, "index", "html")``;
- list items ``<li><a href="./YYYYMM/tYYYYMMDD_<id>.html" title="<full title>">`` with the link text cut short,
  and a date span; side boxes (往年回顾) may list an article again, by absolute URL;
- details at ``./YYYYMM/tYYYYMMDD_<id>.html``: Word-exported HTML (``p.MsoNormal``) in ``div.TRS_Editor``, the
  template's 附件 list beside it, attachments ``./P0<digits>.<ext>`` in the article's own directory;
- everything GBK. Templates declare ``charset=gb2312`` in a ``<meta>``; the static front-end's Content-Type
  names no charset, so a page from an old template that declares none leaves the reader to detect it.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from replica.rendering import homepage, render
from replica.server import ReplicaRequest, ReplicaResponse

_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
}
# nginx in front of a WCM publishing directory: .html is text/html and no charset is configured.
_STATIC_HTML = [("Content-Type", "text/html")]


@dataclass
class Attachment:
    """A file offered for download on an article page."""

    name: str  # the uploaded file's name: the link text, the only place the real name appears
    file: Path | None  # what the server sends; None: lost from the file store (the site answers its busy page)
    linked_in_body: bool = False  # the editor's text links it too, not only the template's 附件 list
    errors_before_success: int = 0  # answered HTTP 500 this many times before the file comes (a busy backend)

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


@dataclass
class Article:
    id: int
    title: str
    published: datetime.datetime
    paragraphs: list[str]  # the editor's text; the template renders it as Word-exported HTML
    attachments: list[Attachment] = field(default_factory=list)
    # Published before the site adopted the 政府网站发展指引 meta tags: the old template's <head> has no <meta>
    # at all, so neither ArticleTitle/PubDate nor the charset is declared.
    old_template: bool = False

    @property
    def directory(self) -> str:
        return f"{self.published:%Y%m}/"

    @property
    def relative_path(self) -> str:
        """Where the article lives, relative to its column's directory."""
        return f"{self.directory}t{self.published:%Y%m%d}_{self.id}.html"

    def file_name(self, attachment: Attachment) -> str:
        """The WCM's stored name: P0 + upload date + digits (stable here, so a re-crawl sees the same URLs)."""
        digits = int(hashlib.md5(f"{self.id}/{attachment.name}".encode()).hexdigest(), 16) % 10**12
        return f"P0{self.published:%Y%m%d}{digits:012d}{attachment.suffix}"


@dataclass
class SideList:
    """A box beside the column's list (往年回顾, 相关链接) linking, by absolute URL, to articles it also lists."""

    heading: str
    page: int  # the list page that shows it: 0 is index.html
    article_ids: list[int]


@dataclass
class TrsColumnSite:
    """One TRS WCM site with one column of articles, published as static GBK pages, newest article first."""

    host: str
    site_name: str
    publisher: str
    column_path: str  # the column's directory, e.g. /zwgk/zfxxgknb/
    column_name: str
    breadcrumb: list[str]  # the column's parents, from the home page down
    articles: list[Article]
    side_lists: list[SideList] = field(default_factory=list)
    per_page: int = 20
    robots_txt: str = "User-agent: *\nDisallow: /wcm/\n"

    def __post_init__(self) -> None:
        self.articles.sort(key=lambda a: a.published, reverse=True)
        self._articles_by_path = {self.column_path + a.relative_path: a for a in self.articles}
        self._attachments_by_path = {
            self.column_path + a.directory + a.file_name(att): att for a in self.articles for att in a.attachments
        }
        # The server is threaded: the 500-then-file answers must count each request exactly once.
        self._lock = threading.Lock()
        self._errors_left = {path: att.errors_before_success for path, att in self._attachments_by_path.items()}

    @property
    def hosts(self) -> tuple[str, ...]:
        return (self.host,)

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.articles) // self.per_page))

    def list_page_path(self, index: int) -> str:
        return self.column_path + ("index.html" if index == 0 else f"index_{index}.html")

    def article_url(self, article: Article) -> str:
        return f"http://{self.host}{self.column_path}{article.relative_path}"

    def respond(self, request: ReplicaRequest) -> ReplicaResponse:
        path = request.path
        if path == "/robots.txt":
            return ReplicaResponse(200, self.robots_txt.encode(), [("Content-Type", "text/plain")])
        if path in ("/", "/index.html"):
            return self._homepage()
        for index in range(self.page_count):
            if path == self.list_page_path(index):
                return self._gbk_page("trs/list.html", **self._list_context(index))
        article = self._articles_by_path.get(path)
        if article is not None:
            return self._gbk_page("trs/article.html", **self._context(article=article))
        attachment = self._attachments_by_path.get(path)
        if attachment is not None:
            return self._download(path, attachment)
        return ReplicaResponse.not_found()

    def _context(self, **extra) -> dict:
        return {
            "host": self.host,
            "site_name": self.site_name,
            "publisher": self.publisher,
            "column_name": self.column_name,
            "breadcrumb": self.breadcrumb,
            **extra,
        }

    def _list_context(self, index: int) -> dict:
        by_id = {a.id: a for a in self.articles}
        boxes = [
            {"heading": box.heading, "links": [(self.article_url(by_id[i]), by_id[i]) for i in box.article_ids]}
            for box in self.side_lists
            if box.page == index
        ]
        items = self.articles[index * self.per_page : (index + 1) * self.per_page]
        return self._context(items=items, side_boxes=boxes, page_count=self.page_count, page_index=index)

    def _homepage(self) -> ReplicaResponse:
        menu = [("/xwzx/", "新闻中心"), (self.column_path.rsplit("/", 2)[0] + "/", self.breadcrumb[-1]),
                (self.list_page_path(0), self.column_name)]
        latest = [(self.column_path + a.relative_path, a.title, f"{a.published:%Y-%m-%d}") for a in self.articles[:6]]
        return ReplicaResponse(200, homepage(self.site_name, menu, latest, charset="gb2312"), list(_STATIC_HTML))

    @staticmethod
    def _gbk_page(template: str, **context) -> ReplicaResponse:
        # WCM writes pages in the site's charset; characters GBK lacks become numeric references, as WCM does.
        body = render(template, **context).encode("gbk", errors="xmlcharrefreplace")
        return ReplicaResponse(200, body, list(_STATIC_HTML))

    def _download(self, path: str, attachment: Attachment) -> ReplicaResponse:
        with self._lock:
            errors_left = self._errors_left[path]
            self._errors_left[path] = max(errors_left - 1, 0)
        if errors_left:
            return ReplicaResponse.html(
                "<html><head><title>500 Internal Server Error</title></head><body><h1>500</h1></body></html>", 500
            )
        if attachment.file is None:
            # The application server, not the static front-end, answers a missing file: a dynamic page
            # whose charset only the header states, with status 200.
            return ReplicaResponse.html(render("trs/busy.html", site_name=self.site_name), charset="gbk")
        return ReplicaResponse(
            200,
            attachment.file.read_bytes(),
            [("Content-Type", _CONTENT_TYPES.get(attachment.suffix, "application/octet-stream"))],
        )

