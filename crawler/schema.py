"""The schema of the SQLite database that Datasette publishes, created with sqlite-utils: tables with their keys and
foreign keys, indexes, views and search indexes.

One row per publishing agency in `agencies` (with its region and administrative level), one per report page in
`reports`, one per attachment link in `documents` (failed fetches included, with their reason), the report's text
in `sections`, and the three statistical tables as facts keyed by the vocabulary's canonical keys in
`active_disclosure`, `applications` and `review_litigation`, each with its Chinese label. `vocabulary` holds every
key's Chinese label and printed position; `applications_printed` holds each report's applications table in its
printed shape (a row per printed row, a column per applicant). `checks` holds the consistency checks — each
report's own, and `carryover_continuity` between consecutive years of one agency — `report_versions` when each
version of a report was first seen, and `crawl_runs` each crawl's summary.

Full-text search: `sections_fts` and `reports_fts` use SQLite's trigram tokenizer, which finds any Chinese
substring of three or more characters. A one- or two-character term (复议, 诉) has no trigram of its own, but it
begins trigrams: `sections_fts_terms` lists the index's trigrams, so a query can look up every trigram that starts
with the term and search for any of them (the search_characters query in datasette_metadata.json).

The fact tables are WITHOUT ROWID tables keyed by (report_id, canonical keys), and their Chinese `label` is a
generated column computed from the keys: the labels of twenty million facts take no space.

The schema is only ever created, never migrated: a database of another schema is refused (OutdatedDatabase), and
`python -m crawler rebuild` recreates it from the archive, with today's schema and extraction.
"""

from __future__ import annotations

import re
from functools import cache

import sqlite_utils

from crawler.extract.vocabulary import APPLICANTS, FACT_KEYS
from crawler.labels import fact_label_sql, printed_column, vocabulary_rows

APPLICATIONS_PRINTED = "applications_printed"

# The values of a fact besides its keys. INTEGER affinity keeps 3 as 3 and 96171.6 as 96171.6 (REAL would print 3.0).
FACT_VALUES = ("value", "raw", "unit")

TABLES = {
    # One row per reporting body: `id` is crawler.reports.agency_id (the platform's unit code, else region/name).
    "agencies": (
        {"id": str, "name": str, "unit_code": str, "region": str, "level": str, "site": str, "spider": str},
        "id",
        [],
    ),
    "reports": (
        {
            "id": str, "agency_id": str, "agency": str, "region": str, "level": str, "year": int, "title": str,
            "page_url": str,
            "published": str, "template": str, "status": str, "check_status": str, "facts_document": str,
            "spider": str, "page_sha256": str, "content_hash": str, "version": int, "first_seen": str,
            "last_seen": str, "requests_received": int, "requests_handled": int, "granted": int,
            "partially_granted": int, "denied": int, "unavailable": int, "not_processed": int, "other_outcomes": int,
            "reviews": int, "lawsuits": int,
        },
        "id",
        [("agency_id", "agencies", "id")],
    ),
    "report_versions": (
        {"report_id": str, "version": int, "content_hash": str, "first_seen": str},
        ("report_id", "version"),
        [("report_id", "reports", "id")],
    ),
    "documents": (
        {
            "id": str, "report_id": str, "role": str, "url": str, "link_text": str, "filename": str, "sha256": str,
            "kind": str, "size": int, "http_status": int, "content_type": str, "fetched_at": str,
            "archive_path": str, "failure_kind": str, "failure": str, "template": str, "facts": int,
            "warnings": str,
        },
        "id",
        [("report_id", "reports", "id")],
    ),
    "sections": (
        {"report_id": str, "number": int, "heading": str, "text": str},
        ("report_id", "number"),
        [("report_id", "reports", "id")],
    ),
    "checks": (
        {"report_id": str, "name": str, "passed": bool, "detail": str, "compared_report_id": str},
        ("report_id", "name"),
        [("report_id", "reports", "id"), ("compared_report_id", "reports", "id")],
    ),
    "vocabulary": ({"dimension": str, "key": str, "label": str, "position": int}, ("dimension", "key"), []),
    # For each section (section_id = its rowid), the facets of its report: see the report_text view.
    "report_text_facets": (
        {"section_id": int, "report_id": str, "agency": str, "region": str, "level": str, "year": int,
         "template": str, "check_status": str},
        "section_id",
        [("report_id", "reports", "id")],
    ),
    # One row per printed row of a report's 三、收到和处理政府信息公开申请情况 table, its seven columns as printed. A
    # table written with the facts, not a view: pivoting sixteen million facts for every page of it takes minutes.
    # Keyed by the printed position, so Datasette lists each report's rows in the printed order.
    APPLICATIONS_PRINTED: (
        {"report_id": str, "agency": str, "year": int, "position": int, "row": str, "label": str,
         **{printed_column(applicant): int for applicant in APPLICANTS}},
        ("report_id", "position"),
        [("report_id", "reports", "id")],
    ),
    "crawl_runs": (
        {"id": int, "spider": str, "started_at": str, "finished_at": str, "finish_reason": str,
         "reports": int, "bodies": int, "documents": int, "documents_failed": int, "failures": str, "failed_pages": str, "pid": int},
        "id",
        [],
    ),
}


VIEWS = {
    # Sections with the facets of their report, searchable through sections_fts (datasette_metadata.json). The
    # facets come from report_text_facets and the rest from subqueries, which SQLite evaluates only for the columns a
    # query uses: counting and faceting search hits reads one small row per hit, not each section's text.
    "report_text": """select f.section_id, f.report_id,
  (select title from reports where id = f.report_id) as title,
  f.agency, f.region, f.level, f.year, f.template, f.check_status,
  (select number from sections where rowid = f.section_id) as number,
  (select heading from sections where rowid = f.section_id) as heading,
  (select text from sections where rowid = f.section_id) as text
from report_text_facets f""",
}


# An index for every facet and every canned query's filter (datasette_metadata.json).
_INDEXES = {
    # The two wide ones cover the canned queries that add up numbers by agency or by year without reading rows.
    "reports": [
        ["agency_id", "year", "requests_received", "requests_handled", "denied"],
        ["year", "requests_received", "requests_handled", "granted", "partially_granted", "denied", "unavailable",
         "not_processed", "other_outcomes"],
        ["agency"], ["region"], ["level"], ["template"], ["status"], ["check_status"], ["spider"], ["version"],
        ["first_seen"],
    ],
    "documents": [["report_id"], ["sha256"], ["kind"], ["failure_kind"], ["role"]],
    "checks": [["passed"], ["name", "passed"]],
    "sections": [["number"]],
    "report_text_facets": [["report_id"], ["year"], ["region"], ["level"], ["template"], ["check_status"]],
    APPLICATIONS_PRINTED: [["year"], ["agency"], ["row"]],
    "agencies": [["region"], ["level"]],
}


def table_columns(table: str) -> tuple[str, ...]:
    """The columns of `table` that rows are written to."""
    if table in FACT_KEYS:
        return ("report_id", *FACT_KEYS[table], *FACT_VALUES)
    return tuple(TABLES[table][0])


def _create_fact_table(db: sqlite_utils.Database, table: str, keys: tuple[str, ...]) -> None:
    """A fact table keyed by (report_id, keys), WITHOUT ROWID (the key is the table: no second copy of it in an
    index), its label generated from the keys."""
    key_columns = "".join(f"  [{key}] TEXT NOT NULL,\n" for key in keys)
    db.execute(
        f"""create table [{table}] (
  [report_id] TEXT NOT NULL REFERENCES [reports]([id]),
{key_columns}  [value] INTEGER,
  [raw] TEXT,
  [unit] TEXT,
  [label] TEXT GENERATED ALWAYS AS ({fact_label_sql(table)}) VIRTUAL,
  PRIMARY KEY ([report_id], {', '.join(f'[{key}]' for key in keys)})
) WITHOUT ROWID"""
    )


def _create_schema(db: sqlite_utils.Database) -> None:
    """Every table with its keys, foreign keys and indexes, the views and the search indexes, in an empty database."""
    for table, keys in FACT_KEYS.items():
        _create_fact_table(db, table, keys)
    for table, (columns, pk, foreign_keys) in TABLES.items():
        db[table].create(columns, pk=pk, foreign_keys=foreign_keys)
    for table, indexes in _INDEXES.items():
        for index_columns in indexes:
            db[table].create_index(index_columns)
    for name, sql in VIEWS.items():
        db.create_view(name, sql)
    db["sections"].enable_fts(["heading", "text"], tokenize="trigram", create_triggers=True)
    db["reports"].enable_fts(["title", "agency", "region"], tokenize="trigram", create_triggers=True)
    # Every trigram of sections_fts with its document count: how one- and two-character terms are found.
    db.execute("create virtual table sections_fts_terms using fts5vocab(sections_fts, 'row')")


def _schema_of(db: sqlite_utils.Database) -> dict[str, str]:
    """What a database holds, 'type name' → its SQL (identifier quoting and spacing aside), without what SQLite makes
    by itself (internal tables, automatic indexes, the search indexes' shadow tables)."""
    shadow = {row[1] for row in db.execute("pragma table_list") if row[2] == "shadow"}
    return {
        f"{kind} {name}": " ".join(re.sub(r'[\[\]"`]', "", sql).split())
        for kind, name, sql in db.execute("select type, name, sql from sqlite_master where sql is not null")
        if not name.startswith("sqlite_") and name not in shadow
    }


@cache
def _this_version_schema() -> dict[str, str]:
    db = sqlite_utils.Database(memory=True)
    _create_schema(db)
    return _schema_of(db)


class OutdatedDatabase(Exception):
    """The database has another schema than this version writes (another version wrote it): rebuild it."""


def _first_difference(existing: dict[str, str], expected: dict[str, str]) -> str:
    """What differs first between two schemas (_schema_of), tables before views, indexes and triggers."""
    kinds = ("table", "view", "index", "trigger")
    name = min(
        (name for name in existing.keys() | expected.keys() if existing.get(name) != expected.get(name)),
        key=lambda name: (kinds.index(name.split()[0]), name),
    )
    return f"{name}: {'missing' if name not in existing else 'unknown' if name not in expected else 'different'}"


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the schema in a new database, or check that an existing one has exactly this version's schema (raises
    OutdatedDatabase otherwise: `python -m crawler rebuild` recreates any database from the archive); then write the
    vocabulary's labels into `vocabulary`."""
    existing, expected = _schema_of(db), _this_version_schema()
    if not existing:
        _create_schema(db)
    elif existing != expected:
        path = db.conn.execute("pragma database_list").fetchone()[2]
        raise OutdatedDatabase(
            f"{path} has another schema than this version writes ({_first_difference(existing, expected)}); rebuild"
            " it from the archive: python -m crawler rebuild"
        )
    db["vocabulary"].upsert_all(vocabulary_rows(), pk=("dimension", "key"))
