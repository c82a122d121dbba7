"""Rebuild the database from the archive alone: replay records/*.jsonl in order, read every original from objects/,
extract it again with today's extraction code and write it with the pipeline's own ReportDatabase.save_report.

Each `report` record names the report page and its attachments; the `fetch` records of the same sighting (the same
`sighting` id, however other crawls' lines fell between them) carry each response's status, headers, time, SHA-256
and the failure the crawl recorded; the report record says who published it (agency, region, level, unit code).
Replaying them in order reproduces what the crawl saw, sighting by sighting, so IDs, first_seen/last_seen, versions
and facts come out as the crawl wrote them, and extraction improvements reach every report ever archived — whatever
became of the site's row in sites.csv since.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from crawler.archive import Archive
from crawler.database import ReportDatabase
from crawler.extract import shared_worker
from crawler.extract.crawled import extract_report
from crawler.items import AttachmentLink, Capture, Document, Failure, ReportItem
from crawler.settings import EXTRACT_MEMORY_LIMIT_MB, EXTRACT_TIMEOUT


@dataclass
class RebuildSummary:
    reports: int = 0  # report records replayed (a report seen by two crawls counts twice)
    documents: int = 0  # documents read back from objects/
    damaged_lines: int = 0  # record lines that were not whole records (cut short by a crash), skipped


class IncompleteArchive(Exception):
    """A record names an object that objects/ does not hold, or there is no record at all: the archive is damaged,
    or not an archive, and cannot be replayed."""


def rebuild_database(archive_dir: str | Path, db_path: str | Path) -> RebuildSummary:
    """Write a new database at `db_path` from the archive at `archive_dir`. The new database is built beside the
    old one and replaces it only when complete, so a served database is never half-built."""
    db_path = Path(db_path)
    building = db_path.with_name(db_path.name + ".rebuilding")
    _remove_database(building)
    archive = Archive(archive_dir)
    summary = RebuildSummary()
    # Every crawl sees every report again: extract each original once (extraction depends only on these inputs).
    extracted: dict[tuple, tuple] = {}
    try:
        database = ReportDatabase(building)
        try:
            for record, fetches in archive.report_sightings():
                item = report_item(archive, record, fetches, extracted)
                database.save_report(item)
                summary.reports += 1
                summary.documents += sum(document.capture is not None for document in item.documents)
        finally:
            database.close()
        if summary.reports == 0:  # a wrong --archive must not replace a database with an empty one
            raise IncompleteArchive(f"{archive.records_dir} holds no report record: nothing to rebuild from")
    except BaseException:  # a half-built database is of no use to anyone (Ctrl-C included)
        _remove_database(building)
        raise
    summary.damaged_lines = archive.damaged_lines
    os.replace(building, db_path)
    return summary


def _remove_database(path: Path) -> None:
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        file.unlink(missing_ok=True)


def report_item(archive: Archive, record: dict, fetches: list[dict], extracted: dict[tuple, tuple]) -> ReportItem:
    """The ReportItem the crawl's pipelines held when they wrote `record`, its documents re-read and re-extracted
    (`extracted` remembers the result for each document bytes, filename and hints already extracted)."""
    page_fetch = next((fetch for fetch in fetches if fetch["role"] == "page"), None)
    if page_fetch is None:
        raise IncompleteArchive(f"report {record['page_url']} (recorded {record['at']}): no record of its page's fetch")
    attachment_fetches = {
        fetch.get("request_url") or fetch["url"]: fetch for fetch in fetches if fetch["role"] == "attachment"
    }
    page = _capture(archive, page_fetch)
    item = ReportItem(
        spider=record["spider"], agency=record["agency"], title=record["title"], year=record["year"],
        page_url=record["page_url"], published=record["published"], page=page, region=record["region"],
        level=record["level"], unit_code=record["unit_code"],
    )
    item.page_document.sha256 = page_fetch["sha256"]
    for attachment in record["attachments"]:
        fetch = attachment_fetches.get(attachment["url"], {})
        item.documents.append(
            Document(
                link=AttachmentLink(attachment["url"], attachment["link_text"]),
                capture=_capture(archive, fetch) if fetch.get("sha256") else None,
                filename=attachment["filename"],
                sha256=attachment["sha256"],
                failure=Failure(**fetch["failure"]) if fetch.get("failure") else None,
            )
        )
    extract_report(item, shared_worker(EXTRACT_MEMORY_LIMIT_MB, EXTRACT_TIMEOUT), extracted)
    return item


def _capture(archive: Archive, fetch: dict) -> Capture:
    """The response a fetch record describes, its body read back from objects/."""
    try:
        body = archive.read(fetch["sha256"])
    except FileNotFoundError:
        missing = f"{fetch['url']} (fetched {fetch['at']}): object {fetch['sha256']} is missing"
        raise IncompleteArchive(missing) from None
    return Capture(
        url=fetch["url"], request_url=fetch["request_url"], status=fetch["status"], headers=fetch["headers"],
        body=body, fetched_at=fetch["at"],
    )
