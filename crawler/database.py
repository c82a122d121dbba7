"""The SQLite database that Datasette publishes, written with sqlite-utils.

One row per report page in `reports`, one per attachment link in `documents` (failed fetches included, with
their reason), the report's text in `sections`, and the three statistical tables as facts keyed by the
vocabulary's canonical keys in `active_disclosure`, `applications` and `review_litigation`, each with its
Chinese label. `checks` holds the consistency checks, `crawl_runs` each crawl's summary.

IDs are derived from what identifies a thing (spider + page URL; report + attachment URL), so a re-crawl or a
rebuild yields the same IDs. A report whose documents change gets a new `version`; the earlier bytes stay in
the archive, and `report_versions` records when each version was first seen.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlite_utils

from crawler.archive import object_relative_path
from crawler.items import Document, ReportItem, utc_now
from crawler.extract.vocabulary import label_for

FACT_TABLES = {
    "active_disclosure": ("clause", "item", "metric"),
    "applications": ("row", "applicant"),
    "review_litigation": ("proceeding", "outcome"),
}
# When a report offers the same text in several formats, facts come from the most faithful one.
_KIND_PREFERENCE = {"docx": 0, "xlsx": 1, "xls": 1, "doc": 2, "wps": 2, "html": 3, "pdf": 4, "txt": 5, "image": 6}


def stable_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def fact_count(extraction: dict) -> int:
    return sum(len(extraction.get(table, [])) for table in FACT_TABLES)


def facts_source(documents: list[Document]) -> Document | None:
    """The document whose extraction the report's facts are taken from: most facts, then passing checks,
    then the most faithful format."""
    readable = [d for d in documents if d.extraction is not None]
    if not readable:
        return None

    def rank(document: Document):
        extraction = document.extraction
        failed_checks = sum(not check["passed"] for check in extraction.get("checks", []))
        return (-fact_count(extraction), failed_checks, _KIND_PREFERENCE.get(document.kind or "", 9))

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


class ReportDatabase:
    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(path)
        self.db.enable_wal()
        ensure_schema(self.db)

    def close(self) -> None:
        # Fold the write-ahead log back into the file, so a copy of reports.db alone is complete.
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    def save_report(self, item: ReportItem) -> str:
        """Insert or update everything known about one report page; return the report's ID."""
        now = utc_now()
        report_id = stable_id(item.spider, item.page_url)
        source = facts_source(item.documents)
        content_hash = report_content_hash(item)
        with self.db.conn:
            version, first_seen = self._version(report_id, content_hash, now)
            self.db["agencies"].upsert({"name": item.agency, "spider": item.spider}, pk="name")
            extraction = source.extraction if source else {}
            self.db["reports"].upsert(
                {
                    "id": report_id,
                    "agency": item.agency,
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
                    "last_seen": now,
                },
                pk="id",
            )
            self._save_documents(report_id, item.documents)
            self._replace_facts(report_id, extraction)
        return report_id

    def _version(self, report_id: str, content_hash: str, now: str) -> tuple[int, str]:
        """The report's version number for this content (a new one if the content is new) and its first sighting."""
        existing = list(self.db.query("select version, content_hash, first_seen from reports where id = ?", [report_id]))
        if existing and existing[0]["content_hash"] == content_hash:
            return existing[0]["version"], existing[0]["first_seen"]
        version = existing[0]["version"] + 1 if existing else 1
        self.db["report_versions"].insert(
            {"report_id": report_id, "version": version, "content_hash": content_hash, "first_seen": now},
            pk=("report_id", "version"),
        )
        return version, existing[0]["first_seen"] if existing else now

    def _save_documents(self, report_id: str, documents: list[Document]) -> None:
        for document in documents:
            capture, extraction, failure = document.capture, document.extraction or {}, document.failure
            self.db["documents"].upsert(
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
                    "fetched_at": capture.fetched_at if capture else utc_now(),
                    "archive_path": object_relative_path(document.sha256) if document.sha256 else None,
                    "failure_kind": failure.kind if failure else None,
                    "failure": failure.message if failure else None,
                    "template": extraction.get("template"),
                    "facts": fact_count(extraction) if extraction else None,
                    "warnings": json.dumps(extraction.get("warnings", []), ensure_ascii=False) if extraction else None,
                },
                pk="id",
            )

    def _replace_facts(self, report_id: str, extraction: dict) -> None:
        for table in ("sections", "checks", *FACT_TABLES):
            self.db[table].delete_where("report_id = ?", [report_id])
        self.db["sections"].insert_all(
            ({"report_id": report_id, **section} for section in extraction.get("sections", [])),
            pk=("report_id", "number"),
        )
        self.db["checks"].insert_all(
            ({"report_id": report_id, **check} for check in extraction.get("checks", [])), pk=("report_id", "name")
        )
        for table, keys in FACT_TABLES.items():
            self.db[table].insert_all(
                (
                    {"report_id": report_id, **fact, "label": label_for(table, fact)}
                    for fact in extraction.get(table, [])
                ),
                pk=("report_id", *keys),
                alter=True,
            )

    def record_crawl_run(self, summary: dict) -> None:
        self.db["crawl_runs"].insert(
            {**summary, "failures": json.dumps(summary.get("failures", {}), ensure_ascii=False)}, alter=True
        )


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create every table with its keys, foreign keys and indexes (a no-op on an existing database)."""
    db["agencies"].create({"name": str, "spider": str}, pk="name", if_not_exists=True)
    db["reports"].create(
        {
            "id": str, "agency": str, "year": int, "title": str, "page_url": str, "published": str,
            "template": str, "status": str, "facts_document": str, "spider": str, "page_sha256": str,
            "content_hash": str, "version": int, "first_seen": str, "last_seen": str,
        },
        pk="id",
        foreign_keys=[("agency", "agencies", "name")],
        if_not_exists=True,
    )
    db["report_versions"].create(
        {"report_id": str, "version": int, "content_hash": str, "first_seen": str},
        pk=("report_id", "version"),
        foreign_keys=[("report_id", "reports", "id")],
        if_not_exists=True,
    )
    db["documents"].create(
        {
            "id": str, "report_id": str, "role": str, "url": str, "link_text": str, "filename": str, "sha256": str,
            "kind": str, "size": int, "http_status": int, "content_type": str, "fetched_at": str,
            "archive_path": str, "failure_kind": str, "failure": str, "template": str, "facts": int,
            "warnings": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
        if_not_exists=True,
    )
    db["sections"].create(
        {"report_id": str, "number": int, "heading": str, "text": str},
        pk=("report_id", "number"), foreign_keys=[("report_id", "reports", "id")], if_not_exists=True,
    )
    db["checks"].create(
        {"report_id": str, "name": str, "passed": bool, "detail": str},
        pk=("report_id", "name"), foreign_keys=[("report_id", "reports", "id")], if_not_exists=True,
    )
    # INTEGER affinity keeps 3 as 3 and 96171.6 as 96171.6 (REAL would print 3.0).
    fact_columns = {"value": int, "raw": str, "unit": str, "label": str}
    for table, keys in FACT_TABLES.items():
        db[table].create(
            {"report_id": str, **{key: str for key in keys}, **fact_columns},
            pk=("report_id", *keys),
            foreign_keys=[("report_id", "reports", "id")],
            if_not_exists=True,
        )
    db["crawl_runs"].create(
        {"id": int, "spider": str, "started_at": str, "finished_at": str, "finish_reason": str,
         "reports": int, "documents": int, "documents_failed": int, "failures": str},
        pk="id", if_not_exists=True,
    )
    for table, columns in {
        "reports": [["agency"], ["year"], ["template"], ["status"], ["spider"]],
        "documents": [["report_id"], ["sha256"], ["kind"], ["failure_kind"], ["role"]],
        "checks": [["passed"], ["name"]],
    }.items():
        for index_columns in columns:
            db[table].create_index(index_columns, if_not_exists=True)
