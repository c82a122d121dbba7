"""The SQLite database that Datasette publishes: its schema (created with sqlite-utils) and how reports are written.

One row per publishing agency in `agencies` (with its region and administrative level), one per report page in
`reports`, one per attachment link in `documents` (failed fetches included, with their reason), the report's text
in `sections`, and the three statistical tables as facts keyed by the vocabulary's canonical keys in
`active_disclosure`, `applications` and `review_litigation`, each with its Chinese label. `vocabulary` holds every
key's Chinese label and printed position; `applications_printed` holds each report's applications table in its
printed shape (a row per printed row, a column per applicant). `checks` holds the consistency checks — each
report's own, and `carryover_continuity` between consecutive years of one agency — and `crawl_runs` each crawl's
summary.

IDs are derived from what identifies a thing (spider + page URL; report + attachment URL), so a re-crawl or a
rebuild yields the same IDs. A report whose documents change gets a new `version`; the earlier bytes stay in
the archive, and `report_versions` records when each version was first seen.

Full-text search: `sections_fts` and `reports_fts` use SQLite's trigram tokenizer, which finds any Chinese
substring of three or more characters. A one- or two-character term (复议, 诉) has no trigram of its own, but it
begins trigrams: `sections_fts_terms` lists the index's trigrams, so a query can look up every trigram that starts
with the term and search for any of them (the search_characters query in datasette_metadata.json).

The fact tables are WITHOUT ROWID tables keyed by (report_id, canonical keys), and their Chinese `label` is a
generated column computed from the keys: the labels of twenty million facts take no space.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

from crawler.archive import object_relative_path
from crawler.extract.checks import carryover_check
from crawler.processes import process_alive
from crawler.extract.vocabulary import (
    APPLICANTS,
    CARRYOVER_CHECK,
    CHECK_LABELS,
    CLAUSES,
    FACT_KEYS,
    LABEL_SEPARATORS,
    clause_key_labels,
    key_labels,
    printed_label,
)
from crawler.items import Document, ReportItem

# When a report offers the same text in several formats, facts come from the most faithful one.
_KIND_PREFERENCE = {"docx": 0, "xlsx": 1, "xls": 1, "doc": 2, "wps": 2, "html": 3, "pdf": 4, "txt": 5, "image": 6}


def database_path(settings) -> str:
    """The database a crawl with these Scrapy settings writes: DATABASE_PATH, else reports.db in ARCHIVE_DIR."""
    return settings.get("DATABASE_PATH") or str(Path(settings.get("ARCHIVE_DIR") or "archive") / "reports.db")


def stable_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def site_of(url: str) -> str:
    """The website a page belongs to: http://kjj.zibo.gov.cn for any page of it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def fact_count(extraction: dict) -> int:
    return sum(len(extraction.get(table, [])) for table in FACT_KEYS)


def facts_source(documents: list[Document]) -> Document | None:
    """The document whose extraction the report's facts are taken from: most facts, then passing checks,
    then an attachment over the page around it (the page often repeats the report as a lossy copy), then the most
    faithful format."""
    readable = [d for d in documents if d.extraction is not None]
    if not readable:
        return None

    def rank(document: Document):
        extraction = document.extraction
        failed_checks = sum(not check["passed"] for check in extraction.get("checks", []))
        return (
            -fact_count(extraction),
            failed_checks,
            document.role == "page",
            _KIND_PREFERENCE.get(document.kind or "", 9),
        )

    return min(readable, key=rank)


def report_status(source: Document | None) -> str:
    if source is None:
        return "unreadable"
    if fact_count(source.extraction) == 0:
        return "no_tables"
    if any(not check["passed"] for check in source.extraction.get("checks", [])):
        return "check_failed"
    return "ok"


def report_content_hash(item: ReportItem) -> str:
    """What a report's version is judged by: its attachments' bytes, or, for a report that is only a page,
    the page's bytes (a page around attachments changes with every view counter, the attachments do not)."""
    attachments = sorted(d.sha256 for d in item.documents if d.role == "attachment" and d.sha256)
    return hashlib.sha256("\n".join(attachments or [item.page_document.sha256 or ""]).encode()).hexdigest()


def _sum_present(values: Iterable[int | float | None]) -> int | float | None:
    """The sum of the values that were printed; None when none was (a blank table is not a zero)."""
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def headline_numbers(extraction: dict) -> dict:
    """The numbers a reader looks for first, from the 总计 column and rows of the report's tables, as columns of
    `reports` (so that ranking agencies or years needs no scan of the facts)."""
    totals = defaultdict(list)
    for fact in extraction.get("applications", []):
        if fact["applicant"] == "total":
            totals[fact["row"].split(".")[0]].append(fact["value"])
    for fact in extraction.get("review_litigation", []):
        if fact["outcome"] == "total":
            totals["reviews" if fact["proceeding"] == "review" else "lawsuits"].append(fact["value"])
    columns = {
        "requests_received": "new_received",
        "requests_handled": "total",
        "granted": "granted",
        "partially_granted": "partially_granted",
        "denied": "denied",
        "unavailable": "unavailable",
        "not_processed": "not_processed",
        "other_outcomes": "other",
        "reviews": "reviews",
        "lawsuits": "lawsuits",
    }
    return {column: _sum_present(totals.get(key, [])) for column, key in columns.items()}


class ReportDatabase:
    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(path)
        self.db.enable_wal()
        # In WAL mode, NORMAL syncs at checkpoints rather than at every report: a power cut may lose the last
        # reports written, never corrupt the file, and the archive can always rebuild them.
        self.db.execute("PRAGMA synchronous = NORMAL")
        ensure_schema(self.db)

    def close(self) -> None:
        # Fold the write-ahead log back into the file, so a copy of reports.db alone is complete.
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    def save_report(self, item: ReportItem, seen_at: str | None = None) -> str:
        """Insert or update everything known about one report page; return the report's ID.

        `seen_at` is when this sighting of the report happened; by default when its page was fetched, a time the
        archive records too, so a rebuild from the archive gives the same first_seen, last_seen and versions.
        """
        seen_at = seen_at or item.page.fetched_at
        report_id = stable_id(item.spider, item.page_url)
        source = facts_source(item.documents)
        content_hash = report_content_hash(item)
        extraction = source.extraction if source else {}
        with self.db.conn:
            version, first_seen = self._version(report_id, content_hash, seen_at)
            upsert(self.db, "agencies", {"name": item.agency, "region": item.region, "level": item.level,
                                         "site": site_of(item.page_url), "spider": item.spider})
            upsert(
                self.db,
                "reports",
                {
                    "id": report_id,
                    "agency": item.agency,
                    "region": item.region,
                    "level": item.level,
                    "year": extraction.get("year") or item.year,
                    "title": item.title,
                    "page_url": item.page_url,
                    "published": item.published,
                    "template": extraction.get("template"),
                    "status": report_status(source),
                    "facts_document": source.sha256 if source else None,
                    "spider": item.spider,
                    "page_sha256": item.page_document.sha256,
                    "content_hash": content_hash,
                    "version": version,
                    "first_seen": first_seen,
                    "last_seen": seen_at,
                    **headline_numbers(extraction),
                },
            )
            self._save_documents(report_id, item.documents, seen_at)
            self._replace_facts(report_id, extraction)
            update_carryover_checks(self.db, agency=item.agency)
        return report_id

    def _version(self, report_id: str, content_hash: str, seen_at: str) -> tuple[int, str]:
        """The report's version number for this content (a new one if the content is new) and its first sighting."""
        existing = list(self.db.query("select version, content_hash, first_seen from reports where id = ?", [report_id]))
        if existing and existing[0]["content_hash"] == content_hash:
            return existing[0]["version"], existing[0]["first_seen"]
        version = existing[0]["version"] + 1 if existing else 1
        insert_rows(
            self.db,
            "report_versions",
            [{"report_id": report_id, "version": version, "content_hash": content_hash, "first_seen": seen_at}],
        )
        return version, existing[0]["first_seen"] if existing else seen_at

    def _save_documents(self, report_id: str, documents: list[Document], seen_at: str) -> None:
        for document in documents:
            capture, extraction, failure = document.capture, document.extraction or {}, document.failure
            upsert(
                self.db,
                "documents",
                {
                    "id": stable_id(report_id, document.link.url),
                    "report_id": report_id,
                    "role": document.role,
                    "url": document.link.url,
                    "link_text": document.link.text,
                    "filename": document.filename,
                    "sha256": document.sha256,
                    "kind": document.kind,
                    "size": len(capture.body) if capture else None,
                    "http_status": capture.status if capture else None,
                    "content_type": capture.header("Content-Type") if capture else None,
                    # A download that never answered has no time of its own: it was tried at this sighting.
                    "fetched_at": capture.fetched_at if capture else seen_at,
                    "archive_path": object_relative_path(document.sha256) if document.sha256 else None,
                    "failure_kind": failure.kind if failure else None,
                    "failure": failure.message if failure else None,
                    "template": extraction.get("template"),
                    "facts": fact_count(extraction) if extraction else None,
                    "warnings": json.dumps(extraction.get("warnings", []), ensure_ascii=False) if extraction else None,
                },
            )

    def _replace_facts(self, report_id: str, extraction: dict) -> None:
        for table in ("report_text_facets", "sections", "checks", APPLICATIONS_PRINTED, *FACT_KEYS):
            self.db.execute(f"delete from {table} where report_id = ?", [report_id])
        insert_rows(self.db, "sections", ({"report_id": report_id, **s} for s in extraction.get("sections", [])))
        self.db.execute(
            """insert into report_text_facets (section_id, report_id, agency, region, level, year, template)
               select s.rowid, s.report_id, r.agency, r.region, r.level, r.year, r.template
               from sections s join reports r on r.id = s.report_id where s.report_id = ?""",
            [report_id],
        )
        insert_rows(self.db, "checks", ({"report_id": report_id, **c} for c in extraction.get("checks", [])))
        for table in FACT_KEYS:
            insert_rows(self.db, table, ({"report_id": report_id, **fact} for fact in extraction.get(table, [])))
        self.db.execute(
            f"insert into {APPLICATIONS_PRINTED} {_applications_printed_select('where a.report_id = ?')}", [report_id]
        )

    def start_crawl_run(self, spider: str, started_at: str, pid: int) -> int:
        """Record that a spider's run began (so a run that is killed still shows, as unfinished); return its id.
        Earlier runs left unfinished by a process that no longer runs are marked `killed` now."""
        for run in self.db.query("select id, pid from crawl_runs where finished_at is null and pid is not null"):
            if not process_alive(run["pid"]):
                self.db["crawl_runs"].update(run["id"], {"finish_reason": "killed"})
        return self.db["crawl_runs"].insert(
            {"spider": spider, "started_at": started_at, "pid": pid, "finish_reason": "running"}
        ).last_pk

    def finish_crawl_run(self, run_id: int, summary: dict) -> None:
        self.db["crawl_runs"].update(
            run_id,
            {
                **summary,
                "failures": json.dumps(summary.get("failures", {}), ensure_ascii=False),
                "failed_pages": json.dumps(summary.get("failed_pages", []), ensure_ascii=False),
            },
        )


# Writing rows: plain SQL over the schema's own column lists. sqlite-utils' insert and upsert look the table up on
# every call, which costs more than the writing itself at some 300 rows per report; a key the schema does not
# have is ignored rather than added.


def _columns(table: str) -> tuple[str, ...]:
    if table in FACT_KEYS:
        return ("report_id", *FACT_KEYS[table], *_FACT_VALUES)
    return tuple(_TABLES[table][0])


def insert_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    columns = _columns(table)
    db.conn.executemany(
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' * len(columns))})",
        ([row.get(column) for column in columns] for row in rows),
    )


def upsert(db: sqlite_utils.Database, table: str, row: dict) -> None:
    """Insert `row`, or update the row with its primary key to the values `row` gives."""
    pk = _TABLES[table][1]
    columns = [column for column in _columns(table) if column in row]
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk)
    db.conn.execute(
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' * len(columns))})"
        f" on conflict ([{pk}]) do update set {updates}",
        [row[column] for column in columns],
    )


def update_carryover_checks(db: sqlite_utils.Database, agency: str | None = None) -> None:
    """Write the `carryover_continuity` check of every report of `agency` (of every agency when None) and refresh
    their `check_status`, in the caller's transaction.

    The check belongs to the later of two consecutive years of one agency: each applicant column's 二、上年结转 must
    equal the 四、结转下年度 printed by the previous year's report (blank cells count as 0, as in the report's own
    checks). A break is a finding about the reports and is never repaired. When an agency has several reports for
    the previous year, the one published last is compared.
    """
    scope, params = ("where r.agency = ?", [agency]) if agency is not None else ("", [])
    cells = defaultdict(dict)  # report id → {(row, applicant): value}
    reports, published = {}, {}  # report id → (agency, year); report id → publication date
    for row in db.query(
        f"""select r.id, r.agency, r.year, r.published, a.row, a.applicant, a.value
            from reports r join applications a
              on a.report_id = r.id and a.row in ('carried_over', 'carried_forward')
            {scope}""",
        params,
    ):
        reports[row["id"]] = (row["agency"], row["year"])
        published[row["id"]] = row["published"] or ""
        cells[row["id"]][(row["row"], row["applicant"])] = row["value"] or 0
    previous_year = {}  # (agency, year) → the report whose carried_forward the next year continues
    # The last published wins (ties: the greatest id); the check names it (compared_report_id).
    for report_id in sorted(reports, key=lambda report_id: (published[report_id], report_id)):
        if reports[report_id][1] is not None and any(row == "carried_forward" for row, _ in cells[report_id]):
            previous_year[reports[report_id]] = report_id
    checks = []
    for report_id, (agency_name, year) in reports.items():
        earlier = previous_year.get((agency_name, year - 1)) if year is not None else None
        if earlier is not None and any(row == "carried_over" for row, _ in cells[report_id]):
            check = carryover_check(cells[report_id], cells[earlier], year - 1)
            checks.append({"report_id": report_id, **check, "compared_report_id": earlier})
    db.execute(
        f"""delete from checks where name = ? and report_id in (select r.id from reports r {scope})""",
        [CARRYOVER_CHECK, *params],
    )
    insert_rows(db, "checks", checks)
    db.execute(
        f"""update reports as r set check_status = case
              when exists (select 1 from checks c where c.report_id = r.id and not c.passed) then 'failed'
              when exists (select 1 from checks c where c.report_id = r.id) then 'passed'
              else 'unchecked' end
            {scope}""",
        params,
    )
    db.execute(
        f"""update report_text_facets as f set check_status = r.check_status
            from reports r where r.id = f.report_id {"and r.agency = ?" if agency is not None else ""}""",
        params,
    )


def vocabulary_rows() -> list[dict]:
    """Every canonical key with its Chinese label and its position in the printed table."""
    applications = key_labels("applications")
    dimensions = {
        **key_labels("active_disclosure"),
        "application_row": applications["row"],
        "applicant": applications["applicant"],
        **key_labels("review_litigation"),
        "check": {name: printed_label(label) for name, label in CHECK_LABELS.items()},
    }
    return [
        {"dimension": dimension, "key": key, "label": label, "position": position}
        for dimension, labels in dimensions.items()
        for position, (key, label) in enumerate(labels.items(), 1)
    ]


def _printed_column(applicant: str) -> str:
    """The heading the applications table prints over an applicant column: 自然人, 商业企业, … 其他, 总计."""
    return key_labels("applications")["applicant"][applicant].split()[-1]


APPLICATIONS_PRINTED = "applications_printed"


def _applications_printed_select(where: str = "") -> str:
    """The rows of `applications_printed` made from the applications facts (of the reports `where` selects)."""
    columns = ",\n  ".join(
        f"max(case a.applicant when '{applicant}' then a.value end) as \"{_printed_column(applicant)}\""
        for applicant in APPLICANTS
    )
    return f"""select a.report_id, r.agency, r.year, v.position, a.row, v.label,
  {columns}
from applications a
join reports r on r.id = a.report_id
join vocabulary v on v.dimension = 'application_row' and v.key = a.row
{where}
group by a.report_id, a.row"""


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

_TABLES = {
    "agencies": ({"name": str, "region": str, "level": str, "site": str, "spider": str}, "name", []),
    "reports": (
        {
            "id": str, "agency": str, "region": str, "level": str, "year": int, "title": str, "page_url": str,
            "published": str, "template": str, "status": str, "check_status": str, "facts_document": str,
            "spider": str, "page_sha256": str, "content_hash": str, "version": int, "first_seen": str,
            "last_seen": str, "requests_received": int, "requests_handled": int, "granted": int,
            "partially_granted": int, "denied": int, "unavailable": int, "not_processed": int, "other_outcomes": int,
            "reviews": int, "lawsuits": int,
        },
        "id",
        [("agency", "agencies", "name")],
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
         **{_printed_column(applicant): int for applicant in APPLICANTS}},
        ("report_id", "position"),
        [("report_id", "reports", "id")],
    ),
    "crawl_runs": (
        {"id": int, "spider": str, "started_at": str, "finished_at": str, "finish_reason": str,
         "reports": int, "documents": int, "documents_failed": int, "failures": str, "failed_pages": str, "pid": int},
        "id",
        [],
    ),
}
# The values of a fact besides its keys. INTEGER affinity keeps 3 as 3 and 96171.6 as 96171.6 (REAL would print 3.0).
_FACT_VALUES = ("value", "raw", "unit")


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _case(column: str, labels: dict[str, str]) -> str:
    """SQL for the label of `column`'s key, or the key itself when the vocabulary does not know it."""
    whens = " ".join(f"when {_sql_string(key)} then {_sql_string(label)}" for key, label in labels.items())
    return f"case {column} {whens} else {column} end"


def fact_label_sql(table: str) -> str:
    """The SQL expression of a fact's Chinese label, e.g. '第二十条第（一）项 规章 本年制发件数' or
    '一、本年新收政府信息公开申请数量 | 自然人': its keys' labels joined as the vocabulary says (LABEL_SEPARATORS)."""
    separator = _sql_string(LABEL_SEPARATORS[table])

    def joined(labels: dict[str, dict[str, str]]) -> str:
        return f" || {separator} || ".join(f"({_case(field, names)})" for field, names in labels.items())

    if table != "active_disclosure":
        return joined(key_labels(table))
    # Items and metrics are labelled within their clause: one branch per clause, which begins with its label.
    whens = []
    for clause in CLAUSES:
        labels = clause_key_labels(clause)
        clause_label = labels.pop("clause")[clause]
        label = _sql_string(clause_label + LABEL_SEPARATORS[table])
        whens.append(f"when {_sql_string(clause)} then {label} || {joined(labels)}")
    return f"case clause {' '.join(whens)} else {f' || {separator} || '.join(FACT_KEYS[table])} end"


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


class OutdatedDatabase(Exception):
    """The database was written by an older version of this module, with a schema it cannot extend."""


# An index for every facet and every canned query's filter (datasette_metadata.json).
_INDEXES = {
    # The two wide ones cover the canned queries that add up numbers by agency or by year without reading rows.
    "reports": [
        ["agency", "year", "requests_received", "requests_handled", "denied"],
        ["year", "requests_received", "requests_handled", "granted", "partially_granted", "denied", "unavailable",
         "not_processed", "other_outcomes"],
        ["region"], ["level"], ["template"], ["status"], ["check_status"], ["spider"], ["version"], ["first_seen"],
    ],
    "documents": [["report_id"], ["sha256"], ["kind"], ["failure_kind"], ["role"]],
    "checks": [["passed"], ["name", "passed"]],
    "sections": [["number"]],
    "report_text_facets": [["report_id"], ["year"], ["region"], ["level"], ["template"], ["check_status"]],
    APPLICATIONS_PRINTED: [["year"], ["agency"], ["row"]],
    "agencies": [["region"], ["level"]],
}


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create every table with its keys, foreign keys and indexes, the views and the search indexes. On an
    existing database this adds only what is missing (columns of a newer schema included)."""
    for table, keys in FACT_KEYS.items():
        if not db[table].exists():
            _create_fact_table(db, table, keys)
        elif "GENERATED ALWAYS" not in db[table].schema:
            raise OutdatedDatabase(
                f"{db.conn.execute('pragma database_list').fetchone()[2]}: the fact tables predate generated labels;"
                " rebuild the database from the archive: python -m crawler rebuild"
            )
    # Databases written before applications_printed was a table have it as a view: made a table from their facts.
    was_view = APPLICATIONS_PRINTED in db.view_names()
    if was_view:
        db.view(APPLICATIONS_PRINTED).drop()
    for table, (columns, pk, foreign_keys) in _TABLES.items():
        if db[table].exists():
            missing = {name: kind for name, kind in columns.items() if name not in db[table].columns_dict}
            for name, kind in missing.items():
                db[table].add_column(name, kind)
        else:
            db[table].create(columns, pk=pk, foreign_keys=foreign_keys)
    for table, indexes in _INDEXES.items():
        for index_columns in indexes:
            db[table].create_index(index_columns, if_not_exists=True)
    db["vocabulary"].upsert_all(vocabulary_rows(), pk=("dimension", "key"))
    if was_view:
        db.execute(f"insert into {APPLICATIONS_PRINTED} {_applications_printed_select()}")
    for name, sql in VIEWS.items():
        db.create_view(name, sql, replace=True)
    db["sections"].enable_fts(["heading", "text"], tokenize="trigram", create_triggers=True, replace=True)
    db["reports"].enable_fts(["title", "agency", "region"], tokenize="trigram", create_triggers=True, replace=True)
    # Every trigram of sections_fts with its document count: how one- and two-character terms are found.
    db.execute("create virtual table if not exists sections_fts_terms using fts5vocab(sections_fts, 'row')")
