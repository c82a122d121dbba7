"""An EmpireCMS (帝国CMS) county portal as the replica serves it: a CMS no platform base knows (field guide §4:
`/e/action/ShowInfo.php?classid=174&id=7841` on a Jiamusi district site).

What a crawler meets on such a site:
- a homepage whose menu leads to 政府信息公开 (`/xxgk/`), a static index of the disclosure columns;
- dynamic lists `/e/action/ListInfo/?classid=N`, further pages `/e/action/ListInfo/index.php?page=K&classid=N&
  totalnum=T` (page 0 is the first), items `<a href="/e/action/ShowInfo.php?classid=N&id=M" title="full title">`
  whose text is cut short;
- the 政府信息公开年报 column: one sub-column per year (2023年度年报…), each listing that year's reports of every
  body, the year's 汇总 page, and the notice that asked for them; 部门信息公开: one column per body, listing its
  notices and reports (a few reports were filed there only);
- details `/e/action/ShowInfo.php?classid=…&id=…`: `<h1>` title, "发布时间：" line, body in `#text`; a report is
  the page's HTML, or a short note linking its .docx/.pdf under `/d/file/p/<date>/<hash>.<ext>`.

Everything is generated from the site's declaration (bodies, years, formats, ids) by the site module; the
documents are made when first asked for (Word by python-docx, PDF by one LibreOffice run for all PDFs, cached on
disk by content), so nothing generated is committed.
"""

from __future__ import annotations

import datetime
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlencode

from replica.rendering import homepage, render
from replica.server import ReplicaRequest, ReplicaResponse

LIST_PATH = "/e/action/ListInfo/"
SHOW_PATH = "/e/action/ShowInfo.php"
_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class Documents(Protocol):
    def __call__(self, report: object, suffix: str) -> bytes: ...

    def warm_up(self) -> None: ...


@dataclass
class Entry:
    """One item of the CMS: a report, a notice, a 汇总 page."""

    id: int
    classid: int  # the column it is filed under (its ShowInfo address names it)
    title: str
    published: datetime.datetime
    source: str  # the 来源 line: who published it
    body_html: str = ""  # the page's own text; a report in HTML is rendered into it when asked for
    files: tuple[str, ...] = ()  # extensions of the report's attachments (".docx", ".pdf")
    report: object = None  # the report the page or its files hold (its spec, made when first needed)
    links: list[Entry] = field(default_factory=list)  # entries the body links to (a 汇总 page's list)

    @property
    def path(self) -> str:
        return f"{SHOW_PATH}?{urlencode({'classid': self.classid, 'id': self.id})}"

    def file_path(self, suffix: str) -> str:
        digest = hashlib.md5(f"{self.id}{suffix}".encode()).hexdigest()[:20]
        return f"/d/file/p/{self.published:%Y-%m-%d}/{digest}{suffix}"


@dataclass
class Column:
    classid: int
    name: str
    entries: list[Entry] = field(default_factory=list)
    subcolumns: list[Column] = field(default_factory=list)


@dataclass
class EmpireCmsSite:
    """A county portal on EmpireCMS. `documents` makes a report's bytes: called with (report, suffix) → bytes, where
    suffix is ".html" (the fragment the page shows), ".docx" or ".pdf"; its warm_up() starts making what is slow
    to make, when the site is first visited."""

    host: str
    site_name: str
    disclosure_columns: list[Column]  # what /xxgk/ links, in order
    other_columns: list[Column]  # the rest of the menu (走进…, 新闻动态)
    documents: Documents
    per_page: int = 10
    robots_txt: str = "User-agent: *\nDisallow: /e/admin/\nDisallow: /e/data/\n"

    def __post_init__(self) -> None:
        columns = self.columns()
        self._columns = {column.classid: column for column in columns}
        self._entries = {entry.path: entry for column in columns for entry in column.entries}
        self._files = {entry.file_path(suffix): (entry, suffix) for entry in self._entries.values()
                       for suffix in entry.files}

    def columns(self) -> list[Column]:
        """Every column, sub-columns included."""
        found, todo = [], [*self.other_columns, *self.disclosure_columns]
        while todo:
            column = todo.pop(0)
            found.append(column)
            todo.extend(column.subcolumns)
        return found

    @property
    def hosts(self) -> tuple[str, ...]:
        return (self.host,)

    def respond(self, request: ReplicaRequest) -> ReplicaResponse:
        self.documents.warm_up()
        path, query = request.path, {k: v[0] for k, v in parse_qs(request.query).items()}
        if path == "/robots.txt":
            return ReplicaResponse(200, self.robots_txt.encode(), [("Content-Type", "text/plain")])
        if path in ("/", "/index.html"):
            return self._homepage()
        if path in ("/xxgk/", "/xxgk/index.html"):
            return self._page("empirecms/xxgk.html", title="政府信息公开", columns=self.disclosure_columns)
        if path in (LIST_PATH, LIST_PATH + "index.php") and query.get("classid", "").isdigit():
            return self._list(int(query["classid"]), int(query.get("page") or 0))
        if path == SHOW_PATH:
            entry = self._entries.get(f"{SHOW_PATH}?{urlencode({'classid': query.get('classid'), 'id': query.get('id')})}")
            return self._detail(entry) if entry else ReplicaResponse.not_found()
        if path in self._files:
            entry, suffix = self._files[path]
            body = self.documents(entry.report, suffix)
            return ReplicaResponse(200, body, [("Content-Type", _CONTENT_TYPES[suffix])])
        return ReplicaResponse.not_found()

    def list_href(self, column: Column, page: int = 0) -> str:
        if page == 0:
            return f"{LIST_PATH}?classid={column.classid}"
        return f"{LIST_PATH}index.php?{urlencode({'page': page, 'classid': column.classid, 'totalnum': len(column.entries)})}"

    def _page(self, template: str, **context) -> ReplicaResponse:
        return ReplicaResponse.html(render(template, site_name=self.site_name, list_href=self.list_href, **context))

    def _homepage(self) -> ReplicaResponse:
        menu = [(self.list_href(column), column.name) for column in self.other_columns] + [("/xxgk/", "政府信息公开")]
        news = sorted((e for column in self.other_columns for e in column.entries), key=lambda e: e.published,
                      reverse=True)[:6]
        latest = [(e.path, e.title, f"{e.published:%Y-%m-%d}") for e in news]
        return ReplicaResponse(200, homepage(self.site_name, menu, latest, scripts=["/e/data/js/ajax.js"]),
                               [("Content-Type", "text/html; charset=utf-8")])

    def _list(self, classid: int, page: int) -> ReplicaResponse:
        column = self._columns.get(classid)
        if column is None:
            return ReplicaResponse.not_found()
        entries = sorted(column.entries, key=lambda e: e.published, reverse=True)
        pages = max(math.ceil(len(entries) / self.per_page), 1)
        if not 0 <= page < pages:
            return ReplicaResponse.not_found()
        shown = entries[page * self.per_page : (page + 1) * self.per_page]
        return self._page("empirecms/list.html", column=column, entries=shown, page=page, pages=pages)

    def _detail(self, entry: Entry) -> ReplicaResponse:
        body = entry.body_html
        if entry.report is not None and not entry.files:
            body = self.documents(entry.report, ".html").decode()
        return self._page("empirecms/show.html", entry=entry, body=body,
                          column=self._columns[entry.classid])
