"""Guangdong's 省统一政府信息公开目录 (gkmlpt) as the replica serves it (field guide §4): one district's directory,
every body of it in one JSON API.

What a crawler meets on such a site:
- `/gkmlpt/index`: a script shell; `window._CONFIG` holds `SID` and the column `TREE` ({id, name, children,
  post_count, jump_url}); the annual reports sit under 政府信息公开年报, divided by level;
- `/gkmlpt/api/all/<catId>?page=N&sid=<SID>`: `{total, articles: [{id, title, url, publisher, identifier,
  created_at, …}], classify: {post_count}}`, newest first, `page_size` items a page. One column (the 镇街 one) puts
  every item on page 1 while its `total` still counts two withdrawn items, and answers 404 for page 2 — a guess at
  how the real sites come to 404 past page 1;
- `/gkmlpt/content/<a>/<b>/post_<id>.html`: `window._CONFIG.DETAIL` (the list's record again) and the body in
  `div.article-content`: the report as HTML, or a line pointing to its attachments
  `/attachment/0/<a>/<file id>/<post id>.<ext>` (docx, PDF);
- titles stored as JavaScript escape() output (%uXXXX) now and then, a record without its publisher, a report
  wrapped in a 关于印发…的通知, a report filed in two columns, a 年报汇总 that is no body's report, bodies without
  any report and years missing.

`district_directory()` makes such a site from a seed: the same seed gives the same bodies, reports, ids and bytes.
Documents are rendered when first asked for and kept in memory; PDFs (LibreOffice from the Word report, ~0.3 s
each) are made in one batch when the site is built, and kept on disk by what they render, so only a machine's
first build pays for them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from replica.documents import facts as facts_module
from replica.documents import word as word_module
from replica.documents.facts import facts_from_expected, report_title
from replica.documents.html import render_html
from replica.documents.pdf import convert_to_pdf
from replica.documents.prose import prose_from_seed_text, shift_years
from replica.documents.series import derive_series
from replica.documents.sites import SEEDS_DIR
from replica.documents.word import ReportSpec, render_docx
from replica.rendering import render
from replica.server import ReplicaRequest, ReplicaResponse

YEARS = range(2019, 2025)
_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_PDF_CACHE = Path(tempfile.gettempdir()) / "replica-gkmlpt-pdf"
# A PDF on disk stands for the report spec and the renderer that made it: a change to either makes a new one.
_RENDERER_VERSION = hashlib.sha256(
    Path(word_module.__file__).read_bytes() + Path(facts_module.__file__).read_bytes()
).hexdigest()
_CONTENT_PATH = re.compile(r"/gkmlpt/content/\d+/\d+/post_(\d+)\.html")
_API_PATH = re.compile(r"/gkmlpt/api/all/(\d+)")
# How a report is published: (report page body, attachments), with how often each occurs.
PUBLICATION_FORMS = {"html": 55, "html+docx": 25, "docx+pdf": 12, "pdf": 8}


@dataclass(frozen=True)
class Body:
    """A body of the district that reports: its name and its 统一社会信用代码 (the directory's org id)."""

    name: str
    org_id: str


@dataclass(frozen=True)
class Attachment:
    file_id: int
    name: str  # the uploaded file's name, the link text
    suffix: str  # .docx or .pdf


@dataclass
class Post:
    """An article of the directory."""

    id: int
    title: str  # as the platform stores it (sometimes %u-escaped)
    publisher: str  # '' for a record that lost its publisher
    identifier: str  # 索引号: <org id>/<year>-<number>
    created_at: datetime.datetime
    columns: tuple[int, ...]
    spec: ReportSpec | None = None  # the report it publishes; None: a page of its own text
    text_html: str = ""  # the page's text when it publishes no report
    html_report: bool = False  # the report is the page's HTML
    attachments: list[Attachment] = field(default_factory=list)
    wrapper_notice: str = ""  # a 关于印发 notice's own paragraph above the report

    @property
    def path(self) -> str:
        return f"/gkmlpt/content/{self.id // 1_000_000}/{self.id // 1000}/post_{self.id}.html"

    def attachment_path(self, attachment: Attachment) -> str:
        return f"/attachment/0/{attachment.file_id // 1000}/{attachment.file_id}/{self.id}{attachment.suffix}"


@dataclass(frozen=True)
class GroundTruthReport:
    """A report the directory publishes, as a crawl should find it."""

    agency: str
    unit_code: str
    year: int
    url: str  # the report page
    documents: tuple[str, ...]  # the URLs of its attachments


@dataclass(frozen=True)
class Column:
    id: int
    name: str
    children: tuple["Column", ...] = ()
    jump_url: str = ""
    all_on_first_page: bool = False  # lists everything on page 1 and answers 404 past it
    withdrawn: int = 0  # withdrawn items its `total` still counts

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class ReportDocuments:
    """A report's HTML, Word and PDF renderings, each made once and kept."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str, int], bytes] = {}
        self._lock = threading.Lock()

    def html(self, spec: ReportSpec) -> str:
        return self._get("html", spec, lambda: render_html(spec)).decode()

    def docx(self, spec: ReportSpec) -> bytes:
        return self._get("docx", spec, lambda: render_docx(spec))

    def pdf(self, spec: ReportSpec) -> bytes:
        return self._get("pdf", spec, lambda: _pdf_path(spec).read_bytes())

    def prepare_pdfs(self, specs: list[ReportSpec]) -> None:
        """Make the PDFs of `specs` that are not on disk yet, with one LibreOffice run."""
        missing = [spec for spec in specs if not _pdf_path(spec).exists()]
        if not missing:
            return
        _PDF_CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="gkmlpt-docx-") as scratch:
            sources = []
            for spec in missing:
                source = Path(scratch) / f"{_pdf_path(spec).stem}.docx"
                source.write_bytes(self.docx(spec))
                sources.append(source)
            for spec, made in zip(missing, convert_to_pdf(sources, Path(scratch))):
                made.replace(_pdf_path(spec))

    def _get(self, kind: str, spec: ReportSpec, make) -> bytes:
        key = (kind, spec.agency, spec.year)
        with self._lock:
            if key not in self._made:
                self._made[key] = make()
            return self._made[key]


def _pdf_path(spec: ReportSpec) -> Path:
    key = hashlib.sha256(f"{_RENDERER_VERSION}{spec!r}".encode()).hexdigest()[:32]
    return _PDF_CACHE / f"{key}.pdf"


@dataclass
class GkmlptSite:
    """One site's gkmlpt directory."""

    host: str
    sid: str
    site_name: str
    area_id: int
    tree: tuple[Column, ...]
    posts: list[Post]
    page_size: int = 20
    documents: ReportDocuments = field(default_factory=ReportDocuments)

    def __post_init__(self) -> None:
        self.posts.sort(key=lambda post: post.created_at, reverse=True)
        self._posts_by_path = {post.path: post for post in self.posts}
        self._attachments_by_path = {post.attachment_path(a): (post, a) for post in self.posts for a in post.attachments}
        self._columns = {column.id: column for root in self.tree for column in root.walk()}
        self.documents.prepare_pdfs([post.spec for post in self.posts
                                     if any(a.suffix == ".pdf" for a in post.attachments)])

    @property
    def hosts(self) -> tuple[str, ...]:
        return (self.host,)

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def ground_truth(self) -> list[GroundTruthReport]:
        return [
            GroundTruthReport(post.spec.agency, post.identifier.partition("/")[0], post.spec.year, self.url(post.path),
                              tuple(self.url(post.attachment_path(a)) for a in post.attachments))
            for post in self.posts if post.spec is not None
        ]

    def respond(self, request: ReplicaRequest) -> ReplicaResponse:
        path = request.path
        if path == "/robots.txt":
            return ReplicaResponse(200, b"User-agent: *\nDisallow: /gkmlpt/admin/\n", [("Content-Type", "text/plain")])
        if path == "/gkmlpt/index":
            return ReplicaResponse.html(render("gkmlpt/index.html", sid=self.sid, site_name=self.site_name,
                                               area_id=self.area_id, tree_json=_script_json(self._tree_json())))
        api = _API_PATH.fullmatch(path)
        if api:
            return self._list(int(api.group(1)), parse_qs(request.query))
        if _CONTENT_PATH.fullmatch(path) and path in self._posts_by_path:
            return self._content(self._posts_by_path[path])
        if path in self._attachments_by_path:
            post, attachment = self._attachments_by_path[path]
            body = self.documents.pdf(post.spec) if attachment.suffix == ".pdf" else self.documents.docx(post.spec)
            return ReplicaResponse(200, body, [("Content-Type", _CONTENT_TYPES[attachment.suffix])])
        return ReplicaResponse.not_found()

    def _tree_json(self) -> list[dict]:
        def node(column: Column, parent: int) -> dict:
            return {"id": column.id, "name": column.name, "parent": parent, "post_count": self._post_count(column),
                    "jump_url": column.jump_url, "children": [node(child, column.id) for child in column.children]}

        return [node(column, 0) for column in self.tree]

    def _post_count(self, column: Column) -> int:
        ids = {c.id for c in column.walk()}
        return sum(1 for post in self.posts if ids & set(post.columns)) + column.withdrawn

    def _list(self, column_id: int, query: dict[str, list[str]]) -> ReplicaResponse:
        column = self._columns.get(column_id)
        if column is None or query.get("sid") != [self.sid]:
            return ReplicaResponse.not_found()
        page = int((query.get("page") or ["1"])[0] or 1)
        ids = {c.id for c in column.walk()}
        listed = [post for post in self.posts if ids & set(post.columns)]
        if column.all_on_first_page:
            if page > 1:
                return ReplicaResponse.not_found()
            items = listed
        else:
            items = listed[(page - 1) * self.page_size : page * self.page_size]
        total = len(listed) + column.withdrawn
        payload = {"total": total, "page": page, "classify": {"id": column.id, "name": column.name,
                                                               "post_count": total},
                   "articles": [self._record(post) for post in items]}
        body = json.dumps(payload, ensure_ascii=False).encode()
        return ReplicaResponse(200, body, [("Content-Type", "application/json; charset=utf-8")])

    def _record(self, post: Post) -> dict:
        return {
            "id": post.id,
            "title": post.title,
            "publisher": post.publisher,
            "identifier": post.identifier,
            "document_number": "",
            "created_at": f"{post.created_at:%Y-%m-%d %H:%M:%S}",
            "create_time": int(post.created_at.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
                               .timestamp()),
            "url": self.url(post.path),
            "post_url": self.url(post.path),
            "classify_main": post.columns[0],
            "attachment": [{"name": a.name, "url": self.url(post.attachment_path(a))} for a in post.attachments],
        }

    def _content(self, post: Post) -> ReplicaResponse:
        if post.spec is None:
            body_html = post.text_html
        elif post.html_report:
            body_html = self.documents.html(post.spec)
        else:
            body_html = f"<p>{post.spec.title}全文见附件。</p>"
        if post.wrapper_notice:
            body_html = f"<p>{post.wrapper_notice}</p>\n{body_html}"
        record = self._record(post)
        return ReplicaResponse.html(render(
            "gkmlpt/content.html", sid=self.sid, area_id=self.area_id, detail_json=_script_json(record),
            title=_unescaped(post.title), identifier=post.identifier, publisher=post.publisher,
            created_at=f"{post.created_at:%Y-%m-%d}", body_html=body_html,
            attachments=[{"path": post.attachment_path(a), "name": a.name} for a in post.attachments],
        ))


def _script_json(value) -> str:
    """`value` as JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _escaped(text: str) -> str:
    """JavaScript escape() of the non-ASCII characters: how some sites store titles."""
    return "".join(f"%u{ord(ch):04X}" if ord(ch) > 0x7F else ch for ch in text)


def _unescaped(text: str) -> str:
    return re.sub(r"%u([0-9A-Fa-f]{4})", lambda match: chr(int(match.group(1), 16)), text)


@dataclass(frozen=True)
class DistrictBodies:
    """Who reports in a district: its government, its departments, its towns and streets (full names)."""

    government: str
    government_office: str
    departments: tuple[str, ...]
    towns: tuple[str, ...]
    streets: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return (self.government, self.government_office, *self.departments, *self.towns, *self.streets)


def _seeds() -> list[tuple[object, object]]:
    """(facts, prose) of every seed report."""
    seeds = []
    for expected in sorted(SEEDS_DIR.glob("seed-*.expected.json")):
        text = expected.with_name(expected.name.replace(".expected.json", ".txt")).read_text("utf-8")
        seeds.append((facts_from_expected(json.loads(expected.read_text("utf-8"))), prose_from_seed_text(text)))
    return seeds


def _credit_code(rng: random.Random, region_code: str) -> str:
    """A 统一社会信用代码-shaped id: 11 (机关) + the region's code + 9 characters + a check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "11" + region_code + "".join(rng.choice(alphabet) for _ in range(10))


def district_directory(seed: str, host: str, sid: str, area_id: int, site_name: str, region_code: str,
                       bodies: DistrictBodies) -> GkmlptSite:
    """A district's gkmlpt directory, the same for the same seed: every body with 0–6 years of reports."""
    rng = random.Random(seed)
    seeds = _seeds()
    government_column, departments_column, townships_column = 2791, 2792, 2793
    tree = (
        Column(1, "机构职能"),
        Column(2, "政策文件", (Column(21, "规范性文件"), Column(22, "其他文件"))),
        Column(3, "规划信息"),
        Column(2790, "政府信息公开年报", (
            Column(government_column, "区人民政府"),
            Column(departments_column, "区政府工作部门"),
            Column(townships_column, "镇街", all_on_first_page=True, withdrawn=2),
        )),
        Column(5, "政府信息公开指南", jump_url=f"http://{host}/zwgk/zfxxgkzn/"),
    )
    townships = set(bodies.towns) | set(bodies.streets)
    codes = {name: _credit_code(rng, region_code) for name in bodies.all}
    # One street has never published a report in the directory.
    silent = rng.choice(bodies.streets)
    posts: list[Post] = []
    next_number: dict[str, int] = {}
    for name in bodies.all:
        if name == silent:
            continue
        count = rng.choices(range(7), weights=(1, 2, 3, 4, 4, 3, 3))[0]
        if name == bodies.government:
            count = max(count, 1)  # its report is the one filed twice below
        seed_facts, seed_prose = rng.choice(seeds)
        series = derive_series(seed_facts, YEARS, key=f"{seed}-{name}")
        column = (government_column if name in (bodies.government, bodies.government_office)
                  else townships_column if name in townships else departments_column)
        for year in sorted(rng.sample(list(YEARS), count)):
            spec = ReportSpec(name, year, series[year], shift_years(seed_prose, year - seed_facts.year))
            posts.append(_report_post(rng, spec, codes[name], column, next_number))
    # The district government's latest report is filed under 区政府工作部门 too: one article, two columns.
    latest = max((p for p in posts if p.spec.agency == bodies.government), key=lambda p: p.spec.year)
    latest.columns = (government_column, departments_column)
    posts.append(_summary_post(bodies.government_office, codes[bodies.government_office], government_column,
                               max(YEARS), bodies.all, next_number))
    _number_posts(rng, posts)
    return GkmlptSite(host=host, sid=sid, site_name=site_name, area_id=area_id, tree=tree, posts=posts)


def _report_post(rng: random.Random, spec: ReportSpec, org_id: str, column: int,
                 next_number: dict[str, int]) -> Post:
    published = datetime.datetime(spec.year + 1, rng.randint(1, 3), rng.randint(1, 28), rng.randint(8, 17),
                                  rng.randint(0, 59))
    title = spec.title
    wrapper = ""
    variant = rng.random()
    if variant < 0.06:  # the report reaches the directory inside the notice that issues it
        title = f"关于印发{spec.title}的通知"
        wrapper = f"现将《{spec.title}》印发给你们，请认真贯彻执行。"
    elif variant < 0.12:
        title = _escaped(title)
    form = rng.choices(list(PUBLICATION_FORMS), weights=list(PUBLICATION_FORMS.values()))[0]
    attachments = [Attachment(0, f"{spec.title}{suffix}", suffix)
                   for suffix in {"html": [], "html+docx": [".docx"], "docx+pdf": [".docx", ".pdf"],
                                  "pdf": [".pdf"]}[form]]
    return Post(
        id=0,
        title=title,
        publisher="" if rng.random() < 0.05 else spec.agency,
        identifier=_identifier(org_id, published.year, next_number),
        created_at=published,
        columns=(column,),
        spec=spec,
        html_report=form.startswith("html"),
        attachments=attachments,
        wrapper_notice=wrapper,
    )


def _summary_post(office: str, org_id: str, column: int, year: int, names: tuple[str, ...],
                  next_number: dict[str, int]) -> Post:
    """The 年报汇总: a page linking the year's reports of every body, no body's report itself."""
    title = report_title(office.removesuffix("办公室").removesuffix("人民政府") + "各单位", year) + "汇总"
    items = "".join(f"<li>{name}</li>" for name in names)
    return Post(id=0, title=title, publisher=office, identifier=_identifier(org_id, year + 1, next_number),
                created_at=datetime.datetime(year + 1, 3, 31, 17, 0), columns=(column,),
                text_html=f"<p>{year}年度本区各单位政府信息公开工作年度报告已全部发布：</p><ul>{items}</ul>")


def _identifier(org_id: str, year: int, next_number: dict[str, int]) -> str:
    key = f"{org_id}/{year}"
    next_number[key] = next_number.get(key, 0) + 1
    return f"{key}-{next_number[key]:05d}"


def _number_posts(rng: random.Random, posts: list[Post]) -> None:
    """Post ids and attachment file ids grow with publication time, as the platform assigns them."""
    post_id, file_id = 3_804_117, 2_316_402
    for post in sorted(posts, key=lambda p: p.created_at):
        post_id += rng.randint(3, 900)
        post.id = post_id
        numbered = []
        for attachment in post.attachments:
            file_id += rng.randint(1, 40)
            numbered.append(Attachment(file_id, attachment.name, attachment.suffix))
        post.attachments = numbered
