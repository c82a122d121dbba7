"""Writing the database (its schema: crawler/schema.py). ReportDatabase saves each report — its agency, its page and
documents, its text, facts and checks — and each crawl's run.

A report's ID is derived from its spider and page URL, a document's from its report and URL (crawler/reports.py),
so a re-crawl or a rebuild yields the same IDs. A report whose documents change gets a new `version`; the earlier
bytes stay in the archive, and `report_versions` records when each version was first seen. Saving a report brings
the carryover_continuity checks of its agency's reports up to date.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from crawler.archive import object_relative_path
from crawler.extract.checks import carryover_check
from crawler.extract.vocabulary import CARRYOVER_CHECK, FACT_KEYS
from crawler.items import Document, ReportItem
from crawler.labels import applications_printed_select
from crawler.processes import process_alive
from crawler.reports import (
    agency_id,
    agency_name,
    fact_count,
    facts_source,
    headline_numbers,
    report_content_hash,
    report_status,
    site_of,
    stable_id,
)
from crawler.schema import APPLICATIONS_PRINTED, TABLES, ensure_schema, table_columns


def database_path(settings) -> str:
    """The database a crawl with these Scrapy settings writes: DATABASE_PATH, else reports.db in ARCHIVE_DIR."""
    return settings.get("DATABASE_PATH") or str(Path(settings.get("ARCHIVE_DIR") or "archive") / "reports.db")


# Writing rows: plain SQL over the schema's own column lists. sqlite-utils' insert and upsert look the table up on
# every call, which costs more than the writing itself at some 300 rows per report; a key the schema does not
# have is ignored rather than added.


def insert_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    columns = table_columns(table)
    db.conn.executemany(
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' * len(columns))})",
        ([row.get(column) for column in columns] for row in rows),
    )


def upsert(db: sqlite_utils.Database, table: str, row: dict) -> None:
    """Insert `row`, or update the row with its primary key to the values `row` gives."""
    pk = TABLES[table][1]
    columns = [column for column in table_columns(table) if column in row]
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk)
    db.conn.execute(
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' * len(columns))})"
        f" on conflict ([{pk}]) do update set {updates}",
        [row[column] for column in columns],
    )


def update_carryover_checks(db: sqlite_utils.Database, agency: str | None = None) -> None:
    """Write the `carryover_continuity` check of every report of the agency whose id is `agency` (of every agency
    when None) and refresh
    their `check_status`, in the caller's transaction.

    The check belongs to the later of two consecutive years of one agency: each applicant column's 二、上年结转 must
    equal the 四、结转下年度 printed by the previous year's report (blank cells count as 0, as in the report's own
    checks). A break is a finding about the reports and is never repaired. When an agency has several reports for
    the previous year, the one published last is compared.
    """
    scope, params = ("where r.agency_id = ?", [agency]) if agency is not None else ("", [])
    cells = defaultdict(dict)  # report id → {(row, applicant): value}
    reports, published = {}, {}  # report id → (agency, year); report id → publication date
    for row in db.query(
        f"""select r.id, r.agency_id, r.year, r.published, a.row, a.applicant, a.value
            from reports r join applications a
              on a.report_id = r.id and a.row in ('carried_over', 'carried_forward')
            {scope}""",
        params,
    ):
        reports[row["id"]] = (row["agency_id"], row["year"])
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
            from reports r where r.id = f.report_id {"and r.agency_id = ?" if agency is not None else ""}""",
        params,
    )


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
            agency = agency_id(item.agency, item.region, item.unit_code)
            upsert(self.db, "agencies", {"id": agency, "name": agency_name(item.agency), "unit_code": item.unit_code,
                                         "region": item.region, "level": item.level, "site": site_of(item.page_url),
                                         "spider": item.spider})
            upsert(
                self.db,
                "reports",
                {
                    "id": report_id,
                    "agency_id": agency,
                    "agency": agency_name(item.agency),
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
            update_carryover_checks(self.db, agency=agency)
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
            f"insert into {APPLICATIONS_PRINTED} {applications_printed_select('where a.report_id = ?')}", [report_id]
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
