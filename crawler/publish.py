"""The Datasette instance that publishes the database: one configuration for `python -m crawler serve`, the tests
and the benchmark, and the few Datasette hooks this project needs (registered by `datasette_app`).

- /objects/ab/cd/<sha256>: an archived original, served with the Content-Type and filename it was fetched with, so
  every number links back to the bytes it was read from (documents.archive_path).
- /-/search?q=: one search box for any term: three characters or more go to the trigram index with facets
  (report_text?_search=), shorter ones to the search_characters query (trigrams that begin with the term), and so
  does a term printed in nearly every report, whose hits are too many to count and facet quickly.
- The report page (site/templates/row-reports-reports.html): the report's documents with links to the originals, its
  checks, its applications table in the printed shape and its text.
- Cells holding a SHA-256, an archive path or a report ID link to the original file or the report page.
- URLs from the database are links only when they are http(s) (web_url): a crawled page may link anything.
- Limits on what one query may take: any read-only SQL may be run (journalists do), for 3 s, holding at most
  SQLITE_HEAP_LIMIT of SQLite's memory and returning at most RESULT_SIZE_LIMIT characters and bytes.
- A new database published over the served file (crawler/published.py: a whole copy renamed into place) is served
  from the next requests on, without a restart (PublishedDatabase).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from datasette import hookimpl
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm
from datasette.utils import urlsafe_components
from datasette.utils.asgi import NotFound, Response
from datasette.utils.sqlite import sqlite3  # the SQLite Datasette uses (pysqlite3: trigram search)
from markupsafe import Markup, escape

from crawler.archive import object_relative_path
from crawler.extract.kinds import KINDS
from crawler.schema import VIEWS

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
METADATA_PATH = ROOT / "datasette_metadata.json"
# Laid out as Datasette's configuration directory (templates/, static/); this module is its plugin.
SITE_PATH = ROOT / "site"
PLUGIN_NAME = "gov-report-archive"
DATABASE = "reports"
SHORTEST_TRIGRAM_TERM = 3  # the trigram tokenizer finds nothing shorter
# A term found in more sections than this goes to search_characters, which shows its first 200 hits at once: the
# faceted search counts and facets every hit, about 20 µs each (BENCHMARKS.md: 4,915 hits in 155 ms, 18,861 in
# 438 ms, 433,593 of template wording such as 政府信息公开 in 1.8 s), so beyond some 7,000 it misses 200 ms.
COMMON_TERM_SECTIONS = 7_000
# Columns holding the SHA-256 of an archived original, and what one holds: only that is made into a link (any
# visitor's query can name a column sha256).
_SHA256_COLUMNS = {"sha256", "facts_document", "page_sha256"}
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Documents a browser shows without running anything of theirs; everything else (web pages above all, but also
# whatever a server mislabelled) is served sandboxed: no scripts, no access to this site.
_INERT_CONTENT_TYPES = ("application/pdf", "application/msword", "application/vnd.", "image/png", "image/jpeg",
                        "image/gif", "text/plain")
# The only URLs from the database that become links: a `javascript:` URL made into a link runs its script on this site.
_WEB_URL = re.compile(r"https?://", re.IGNORECASE)
# What one query may take. Anyone may run any read-only SQL (journalists do), stopped after sql_time_limit_ms; within
# that time, before these limits, `select randomblob(1000000000)` took the server from 116 MB to 7.6 GB and stalled
# every visitor for 40 s.
# SQLite's memory, all queries together: an allocation beyond it fails the query that asked. This SQLite keeps sorts
# and temporary tables in memory (TEMP_STORE=3), so the limit holds for huge sorts, DISTINCTs and recursive CTEs as well
# as for huge values. The most a legitimate query was measured to take is 78 MB: sorting all 60,000 sections of a
# 10,000-report archive by length.
SQLITE_HEAP_LIMIT = 256 * 2**20
# Characters of text and bytes of blobs in the rows of one query (max_returned_rows limits how many rows): the
# longest 1,000 sections of that archive hold about 2 million.
RESULT_SIZE_LIMIT = 10_000_000


def datasette_app(db_path: str | Path, archive_dir: str | Path) -> Datasette:
    """Datasette over `db_path`, with the archive's original files served at /objects/… (documents.archive_path).

    The database is opened immutable: the published copy is read-only, Datasette may cache counts, and only an
    immutable database can be downloaded whole. A new file renamed over `db_path` is served from then on.
    """
    if not pm.is_registered(sys.modules[__name__]):
        pm.register(sys.modules[__name__], name=PLUGIN_NAME)
    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    metadata.setdefault("plugins", {})[PLUGIN_NAME] = {"archive_dir": str(Path(archive_dir).resolve())}
    datasette = Datasette(
        metadata=metadata,
        template_dir=str(SITE_PATH / "templates"),
        # At /assets/, where the metadata's extra_css_urls has always linked it (configuration directory mode would
        # mount static/ at /static/).
        static_mounts=[("assets", str(SITE_PATH / "static"))],
        settings={
            "allow_download": True,
            "sql_time_limit_ms": 3000,
            # Datasette's default, stated: RESULT_SIZE_LIMIT is what these rows may hold together.
            "max_returned_rows": 1000,
            # Facet suggestions scan every column of every page view: the configured facets are the useful ones.
            "suggest_facets": False,
            # Sections run to thousands of characters; the table pages show their start, the report page all of it.
            "truncate_cells_html": 160,
        },
    )
    # Named "reports" whatever the file is called (a rebuilt or benchmark copy): URLs and metadata use that name.
    datasette.add_database(PublishedDatabase(datasette, db_path), name=DATABASE)
    # Datasette adds an empty in-memory database when started without files; it has nothing to publish.
    datasette.remove_database("_memory")
    return datasette


# --- the published database -------------------------------------------------------------------------------------


class PublishedDatabase(Database):
    """The published database (immutable), served from whichever whole file is at its path: when a publish renames a
    new file over it (crawler/published.py), the next query notices the new inode, the new file's row counts are
    taken in the background while the old file goes on answering, and from then on every query reads the new one.
    No restart, no request refused or failed: the old file stays open, under its old inode, while queries read it.

    Its queries fail with QueryTooLarge when SQLite runs out of the memory it may take (SQLite's out-of-memory reaches
    Python as MemoryError, which Datasette would answer with an empty server error)."""

    def __init__(self, datasette: Datasette, path: str | Path):
        super().__init__(datasette, path=str(path), is_mutable=False)
        self.served = read_publication(path)
        self._refused: tuple[int, int] | None = None  # a file that could not be read: not tried again
        self._loading = threading.Lock()
        # Datasette keeps one connection per thread and database name, which would read the replaced file for ever:
        # these are per thread and per publication.
        self._connections = threading.local()
        datasette.inspect_data = {DATABASE: self.served.inspect}

    async def execute(self, *args, **kwargs):
        try:
            return await super().execute(*args, **kwargs)
        except MemoryError as error:
            raise QueryTooLarge(
                f"查询所需内存超过上限（{SQLITE_HEAP_LIMIT // 2**20} MB）。请缩小查询范围（加 where 条件或 limit），"
                "或下载整个数据库在本地查询。"
            ) from error

    async def execute_fn(self, fn):
        self._notice_new_file()
        return await asyncio.get_running_loop().run_in_executor(self.ds.executor, lambda: fn(self._connection()))

    def _connection(self):
        """This thread's connection to the file served now. A request under way when the file changes may read its
        first queries from the old file and the rest from the new one: both are whole, and the new one holds every
        report the old one did."""
        served = self.served
        held = getattr(self._connections, "held", None)
        if held is None or held[0] is not served:
            if held is not None:
                held[1].close()
                self._all_file_connections.remove(held[1])
            connection = self.connect()
            self.ds._prepare_connection(connection, self.name)
            held = self._connections.held = (served, connection)
        return held[1]

    def _notice_new_file(self) -> None:
        try:
            identity = file_identity(self.path)
        except FileNotFoundError:  # nothing to switch to: the open connections go on reading the old file
            return
        if identity not in (self.served.identity, self._refused) and self._loading.acquire(blocking=False):
            threading.Thread(target=self._load, name="load-published-database", daemon=True).start()

    def _load(self) -> None:
        """Count the new file's rows (seconds on a big database), then serve it."""
        try:
            publication = read_publication(self.path)
        except (OSError, sqlite3.DatabaseError):
            self._refused = file_identity(self.path)
            logger.exception("%s was replaced by a file that is not a readable database; still serving the old one",
                             self.path)
        else:
            self.ds.inspect_data = {DATABASE: publication.inspect}
            self._cached_table_counts = self.cached_size = None  # Datasette's copies of inspect_data
            self.served = publication
        finally:
            self._loading.release()


@dataclass(frozen=True)
class Publication:
    """One file published at the database's path: which file it is, and its row counts as Datasette's inspect data."""

    identity: tuple[int, int]
    inspect: dict


def file_identity(path: str | Path) -> tuple[int, int]:
    """What tells one file at `path` from the next: renaming a new file over a path gives the path a new inode."""
    status = os.stat(path)
    return status.st_dev, status.st_ino


def read_publication(path: str | Path) -> Publication:
    # Identity first: if the file is replaced while its rows are counted, the next query sees a newer file again.
    identity = file_identity(path)
    return Publication(identity, row_counts(path))


def row_counts(db_path: str | Path) -> dict:
    """What `datasette inspect` tells Datasette of an immutable database, counted once for each file served: each
    table's row count, which an unfiltered table page then shows instead of counting again (fourteen million
    application facts take half a second each time). Virtual tables (the search indexes) are left uncounted, as
    Datasette leaves them. No hash: hashing gigabytes would slow every start, and nothing here uses it."""
    connection = sqlite3.connect(f"file:{quote(str(Path(db_path).resolve()))}?immutable=1", uri=True)
    try:
        tables = connection.execute("select name, sql from sqlite_master where type = 'table'").fetchall()
        counts = {
            name: None if sql.upper().startswith("CREATE VIRTUAL") else
            connection.execute(f"select count(*) from [{name}]").fetchone()[0]
            for name, sql in tables
        }
    finally:
        connection.close()
    return {"hash": None, "size": Path(db_path).stat().st_size, "file": str(db_path),
            "tables": {name: {"count": count} for name, count in counts.items()}}


def web_url(value) -> str | None:
    """`value` if it is an http(s) URL, else None."""
    return value if isinstance(value, str) and _WEB_URL.match(value) else None


def external_link(url: str, text: str) -> Markup:
    """A link reading `text` to `url` when it is a web URL; any other URL is shown after `text` as plain text, so
    what the crawl recorded is still there to read."""
    if web_url(url):
        return Markup('<a href="{}">{}</a>').format(url, text)
    return Markup("{}（{}）").format(text, url)


def object_url(sha256: str) -> str:
    return "/" + object_relative_path(sha256)


def report_url(report_id: str) -> str:
    return f"/{DATABASE}/reports/{quote(report_id)}"


# --- routes ---------------------------------------------------------------------------------------------------


async def archived_original(datasette: Datasette, request) -> Response:
    """The bytes of one archived object, with the Content-Type and original filename recorded when it was fetched.
    Archived web pages are sandboxed, since they are someone else's HTML."""
    sha256 = request.url_vars["sha256"]
    if (request.url_vars["ab"], request.url_vars["cd"]) != (sha256[:2], sha256[2:4]):
        raise NotFound("no such object")
    archive_dir = Path(datasette.plugin_config(PLUGIN_NAME)["archive_dir"])
    path = archive_dir / object_relative_path(sha256)
    if not path.is_file():
        raise NotFound("no such object in the archive")
    rows = (await datasette.get_database(DATABASE).execute(
        "select kind, content_type, filename from documents where sha256 = ? order by filename is null limit 1",
        [sha256],
    )).rows
    kind, content_type, filename = (rows[0]["kind"], rows[0]["content_type"], rows[0]["filename"]) if rows else (
        None, None, None
    )
    content_type = content_type or (KINDS[kind].content_type if kind in KINDS else None) or "application/octet-stream"
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=31536000, immutable"}
    if filename:
        headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    if not content_type.startswith(_INERT_CONTENT_TYPES):
        headers["Content-Security-Policy"] = "sandbox"
    return Response(path.read_bytes(), headers=headers, content_type=content_type)


async def search(datasette: Datasette, request) -> Response:
    """Send a search where it can be answered: the trigram search with facets for terms of three characters or
    more, the search_characters query when any term is shorter or the terms are in nearly every report."""
    query = (request.args.get("q") or "").strip()
    terms = query.split()
    if not terms:
        return Response.redirect(f"/{DATABASE}/report_text")
    db = datasette.get_database(DATABASE)
    quick = min(len(term) for term in terms) < SHORTEST_TRIGRAM_TERM or await found_in_more_sections(
        db, terms, COMMON_TERM_SECTIONS
    )
    if quick:
        return Response.redirect(f"/{DATABASE}/search_characters?" + urlencode({"q": " ".join(terms)}))
    return Response.redirect(f"/{DATABASE}/report_text?" + urlencode({"_search": query}))


async def found_in_more_sections(db: Database, terms: list[str], sections: int) -> bool:
    """Whether more than `sections` sections hold every one of `terms`: reads that many hits of the index, never all
    of them."""
    every_term = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    beyond = await db.execute(
        "select rowid from sections_fts where sections_fts match ? limit 1 offset ?", [every_term, sections]
    )
    return bool(beyond.rows)


@hookimpl
def register_routes():
    return [
        (r"^/objects/(?P<ab>[0-9a-f]{2})/(?P<cd>[0-9a-f]{2})/(?P<sha256>[0-9a-f]{64})$", archived_original),
        (r"^/-/search$", search),
    ]


# --- what one query may take ------------------------------------------------------------------------------------


class QueryTooLarge(sqlite3.OperationalError):
    """A query that needed more memory or returned more than the limits allow. An OperationalError, so Datasette
    shows it as any failed query: a 400 with the reason, the SQL kept in the editor."""


class RowsWithinSizeLimit:
    """Datasette's row factory (sqlite3.Row) that stops a query once its rows hold more than `limit` characters and
    bytes: max_returned_rows bounds how many rows a query returns, this how big they are together."""

    def __init__(self, limit: int):
        self.limit = limit
        # Cursor → size of the rows it has returned: Datasette runs each query on a cursor of its own.
        self.returned = weakref.WeakKeyDictionary()

    def __call__(self, cursor, values: tuple):
        returned = self.returned.get(cursor, 0) + sum(
            len(value) for value in values if isinstance(value, (str, bytes))
        )
        if returned > self.limit:
            raise QueryTooLarge(
                f"查询结果超过上限（{self.limit:,} 个字符或字节）。请少选几列或几行，或下载整个数据库在本地查询。"
            )
        self.returned[cursor] = returned
        return sqlite3.Row(cursor, values)


@hookimpl
def prepare_connection(conn):
    # The heap limit is the process's, shared by every connection (so a query near it can make another one fail for
    # that moment); set with each connection, it is in place before any query runs. The pragma only ever lowers the
    # limit, and Datasette refuses it in visitors' SQL.
    conn.execute(f"pragma hard_heap_limit = {SQLITE_HEAP_LIMIT}")
    conn.row_factory = RowsWithinSizeLimit(RESULT_SIZE_LIMIT)
    # The Atom feed (the new_reports query) links only what this gives.
    conn.create_function("web_url", 1, web_url, deterministic=True)


# --- templates --------------------------------------------------------------------------------------------------


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["external_link"] = external_link


# --- cells ------------------------------------------------------------------------------------------------------


@hookimpl
def render_cell(value, column, table):
    if not isinstance(value, str) or not value:
        return None
    if column in _SHA256_COLUMNS and _SHA256.fullmatch(value):
        return Markup(f'<a href="{object_url(value)}" title="存档的原始文件">{escape(value[:12])}…</a>')
    if column == "archive_path" and value.startswith("objects/"):
        return Markup(f'<a href="/{escape(value)}">存档原件</a>')
    # Tables link report_id by their foreign key; views and queries have none.
    if (column == "report_id" or column.endswith("_report_id")) and (table is None or table in VIEWS):
        return Markup(f'<a href="{report_url(value)}">{escape(value)}</a>')
    return None


# --- the report page --------------------------------------------------------------------------------------------


@hookimpl
def extra_template_vars(template, request, datasette):
    if template != "row-reports-reports.html":
        return None

    async def report_page():
        (report_id,) = urlsafe_components(request.url_vars["pks"])
        return await report_page_context(datasette.get_database(DATABASE), report_id)

    return report_page


async def report_page_context(db, report_id: str) -> dict:
    """What the report page shows besides the row itself: documents, checks, the printed applications table,
    versions and text."""

    async def rows(sql: str) -> list[dict]:
        return [dict(row) for row in (await db.execute(sql, [report_id])).rows]

    documents = await rows(
        "select role, url, link_text, filename, kind, size, http_status, fetched_at, sha256, archive_path,"
        " failure_kind, failure, facts from documents where report_id = ? order by role = 'attachment', url"
    )
    checks = await rows(
        "select c.name, v.label, c.passed, c.detail from checks c"
        " left join vocabulary v on v.dimension = 'check' and v.key = c.name where c.report_id = ? order by c.name"
    )
    applications = await rows("select * from applications_printed where report_id = ? order by position")
    versions = await rows("select version, first_seen from report_versions where report_id = ? order by version")
    sections = await rows("select number, heading, text from sections where report_id = ? order by number")
    printed_columns = [name for name in (applications[0] if applications else {}) if name not in
                       {"report_id", "agency", "year", "position", "row", "label"}]
    return {
        "report_documents": documents,
        "report_checks": checks,
        "report_applications": applications,
        "report_application_columns": printed_columns,
        "report_versions": versions,
        "report_sections": sections,
    }
