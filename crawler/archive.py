"""The archive: every original byte, stored once by SHA-256, and an append-only log of where it came from.

Layout under the archive directory (see archive/README.md):

    objects/ab/cd/abcd…ef      the bytes of one response body, named by their SHA-256; written once, never changed
    records/YYYY-MM-DD.jsonl   one JSON object per line: every fetch (URL, time, status, headers, sha256, …) and
                               every report a spider found; appended, never rewritten. The records of one report
                               sighting (its page, its attachments, the report) share a `sighting` id, so a log
                               that two crawls wrote at once still reads back report by report
    tmp/                       objects being written (moved into objects/ when whole)
    reports.db                 the SQLite database, derived from the two above and rebuildable from them

Nothing here ever overwrites or deletes: a changed document is a new object and new records.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from crawler.items import Capture, ReportItem, utc_now
from crawler.processes import remove_orphans

logger = logging.getLogger(__name__)
_INCOMING = ".incoming-"  # temporary object files: .incoming-<pid>-<random>


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def object_relative_path(sha256: str) -> str:
    """Where the object with this SHA-256 lives, relative to the archive directory."""
    return f"objects/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class Archive:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.records_dir = self.root / "records"
        self.incoming = self.root / "tmp"
        self.damaged_lines = 0  # record lines records() could not read (a line cut short by a crash)

    def object_path(self, sha256: str) -> Path:
        return self.root / object_relative_path(sha256)

    def store(self, data: bytes) -> str:
        """Keep `data`; return its SHA-256. Storing the same bytes again costs nothing and changes nothing."""
        digest = sha256_hex(data)
        path = self.object_path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        self.incoming.mkdir(parents=True, exist_ok=True)
        # Write aside and rename, so a crash never leaves a truncated object under a valid name. The writer's pid
        # in the name lets remove_leftovers() tell a dead writer's file from one being written.
        with tempfile.NamedTemporaryFile(dir=self.incoming, delete=False, prefix=f"{_INCOMING}{os.getpid()}-") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        # Readable by whoever may read the archive (a server running as another user), as a plain open() would
        # make it: NamedTemporaryFile creates 0600.
        os.chmod(tmp.name, 0o666 & ~_umask())
        os.replace(tmp.name, path)
        return digest

    def remove_leftovers(self) -> int:
        """Remove the temporary files of writers that died before they finished (kill -9 mid-write); return how
        many. Files of a writer still running are left alone."""
        return len(remove_orphans(self.incoming, _INCOMING))

    def read(self, sha256: str) -> bytes:
        return self.object_path(sha256).read_bytes()

    def append_record(self, record: dict) -> None:
        """Add one provenance record to today's log (`record` must carry an ISO timestamp in 'at').

        One write() of the whole line to a file opened for appending: lines that several threads or processes
        append at once never mix inside a line."""
        self.records_dir.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        log = os.open(self.records_dir / f"{record['at'][:10]}.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            os.write(log, line)
        finally:
            os.close(log)

    def records(self) -> Iterator[dict]:
        """Every record ever appended, oldest day first, in the order written. A line that is not a whole record
        (cut short by a crash) is skipped, logged and counted in `damaged_lines`."""
        if not self.records_dir.exists():
            return
        for log in sorted(self.records_dir.glob("*.jsonl")):
            with open(log, encoding="utf-8", errors="replace") as lines:
                for number, line in enumerate(lines, 1):
                    if not line.strip():
                        continue
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError:
                        self.damaged_lines += 1
                        logger.warning("%s line %d is not a whole record; skipped", log, number)

    def report_sightings(self) -> Iterator[tuple[dict, list[dict]]]:
        """Each report record with the fetch records of its sighting (the page and attachments fetched for it), in
        the order the reports were written. Fetches whose report record never came (a crawl killed in between)
        are left out."""
        fetches: dict[str, list[dict]] = defaultdict(list)
        for record in self.records():
            if record["type"] == "fetch":
                fetches[record["sighting"]].append(record)
            elif record["type"] == "report":
                yield record, fetches.pop(record["sighting"], [])


def record_report(archive: Archive, item: ReportItem) -> None:
    """Store the page and every attachment body of `item`, and append their provenance records, then the report's:
    one sighting of the report."""
    sighting = uuid.uuid4().hex
    for document in item.documents:
        failure = vars(document.failure) if document.failure else None
        context = {"role": document.role, "spider": item.spider, "report_url": item.page_url, "failure": failure,
                   "sighting": sighting}
        if document.capture is None:
            archive.append_record({"type": "fetch", "at": utc_now(), "url": document.link.url, **context})
            continue
        document.sha256 = archive.store(document.capture.body)
        archive.append_record(
            _capture_record(
                document.capture, document.sha256, link_text=document.link.text, filename=document.filename, **context
            )
        )
    archive.append_record(
        {
            "type": "report",
            "at": utc_now(),
            "sighting": sighting,
            "spider": item.spider,
            "agency": item.agency,
            "region": item.region,
            "level": item.level,
            "unit_code": item.unit_code,
            "title": item.title,
            "year": item.year,
            "page_url": item.page_url,
            "published": item.published,
            "page_sha256": item.page_document.sha256,
            "attachments": [
                {"url": d.link.url, "link_text": d.link.text, "sha256": d.sha256, "filename": d.filename}
                for d in item.documents
                if d.role == "attachment"
            ],
        }
    )


def _capture_record(capture: Capture, sha256: str, **extra) -> dict:
    return {
        "type": "fetch",
        "at": capture.fetched_at,
        "url": capture.url,
        "request_url": capture.request_url,
        "status": capture.status,
        "headers": capture.headers,
        "content_type": capture.header("Content-Type"),
        "sha256": sha256,
        "size": len(capture.body),
        **extra,
    }


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
