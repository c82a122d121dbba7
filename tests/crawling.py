"""Running a real crawl from a test: `python -m crawler crawl SPIDER --replica` in a subprocess.

Twisted's reactor cannot be restarted inside one test process, so every crawl is its own process; it starts
the replica web in-process, on a free port, and crawls it through the proxy with the production spiders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawler.extract.vocabulary import FACT_KEYS as FACT_TABLES

ROOT = Path(__file__).resolve().parent.parent


# The replica plays one server that never answers; a test crawl should not wait a minute to learn that.
TEST_CRAWL_SETTINGS = {"AUTOTHROTTLE_ENABLED": "0", "LOG_LEVEL": "WARNING", "DOWNLOAD_TIMEOUT": "5"}


def site_spider(key: str):
    """The spider class the crawl makes of a site's row in sites.csv."""
    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    return get_spider_loader(get_project_settings()).load(key)


def run_crawl(archive: Path, *spiders: str, settings: dict | None = None) -> subprocess.CompletedProcess:
    """Crawl the replica with `spiders` (all when none) into `archive`, politeness off (the replica is local).
    Every request the replica answered is appended to `archive`/../replica-requests.jsonl."""
    overrides = {**TEST_CRAWL_SETTINGS, **(settings or {})}
    command = [sys.executable, "-m", "crawler", "crawl", *spiders, "--replica", "--archive", str(archive),
               "--replica-log", str(replica_log_path(archive))]
    for name, value in overrides.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)


def printed_summaries(result: subprocess.CompletedProcess) -> dict[str, dict]:
    """The per-spider summaries a crawl printed, by spider name."""
    summaries = [json.loads(line) for line in result.stdout.splitlines() if line.startswith('{"spider": ')]
    return {summary["spider"]: summary for summary in summaries}


def provenance_records(archive: Path) -> list[dict]:
    return [json.loads(line) for log in sorted((archive / "records").glob("*.jsonl")) for line in log.open()]


def open_database(archive: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(archive / "reports.db")


def stored_facts(db: sqlite_utils.Database, report_id: str) -> dict[str, dict[tuple, object]]:
    """A report's facts in the database: {table: {canonical keys: value}}."""
    return {
        table: {tuple(r[k] for k in keys): r["value"] for r in db[table].rows_where("report_id = ?", [report_id])}
        for table, keys in FACT_TABLES.items()
    }


def ground_truth_facts(expected: dict) -> dict[str, dict[tuple, object]]:
    """The facts of a replica document's *.expected.json, in the shape of stored_facts."""
    return {
        table: {tuple(f[k] for k in keys): f["value"] for f in expected[table]} for table, keys in FACT_TABLES.items()
    }


def replica_log_path(archive: Path) -> Path:
    return archive.parent / "replica-requests.jsonl"


def replica_requests(archive: Path) -> list[dict]:
    """Every request the replica answered during the crawls into `archive`."""
    return [json.loads(line) for line in replica_log_path(archive).open()]


@dataclass
class CrawledReplica:
    """The replica crawled twice by every spider into one archive (see tests/conftest.py)."""

    archive: Path
    first: subprocess.CompletedProcess
    second: subprocess.CompletedProcess
    after_first: dict  # {"objects": sorted object names, "reports": {id: row}} between the two crawls
