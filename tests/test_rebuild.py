"""`python -m crawler rebuild` on the archive of the replica crawl (tests/conftest.py: every spider, twice) gives the
database the crawl wrote: the same reports, IDs, sightings, versions, documents, texts, facts and checks."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest
import sqlite_utils

from crawler.archive import Archive
from crawler.runlock import LOCK_NAME
from tests.crawling import ROOT, printed_summaries

pytestmark = pytest.mark.e2e
# Every table the archive determines, with the order that makes two copies comparable row by row.
# (crawl_runs is the crawls' own log, not archived: a rebuilt database has none.)
TABLES = {
    "agencies": "name",
    "reports": "id",
    "report_versions": "report_id, version",
    "documents": "id",
    "sections": "report_id, number",
    "checks": "report_id, name",
    "active_disclosure": "report_id, clause, item, metric",
    "applications": "report_id, row, applicant",
    "applications_printed": "report_id, position",
    "review_litigation": "report_id, proceeding, outcome",
}


@pytest.fixture(scope="module")
def rebuilt(crawled_replica, tmp_path_factory):
    archive = crawled_replica.archive
    files_before = files_a_rebuild_reads(archive)
    db_path = tmp_path_factory.mktemp("rebuild") / "rebuilt.db"
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "rebuild", "--archive", str(archive), "--db", str(db_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert files_a_rebuild_reads(archive) == files_before  # the archive is read, never written
    db = sqlite_utils.Database(db_path)
    yield db, result
    db.close()


def files_a_rebuild_reads(archive) -> list[tuple[str, int]]:
    """Names and sizes of the archive's files, but for the database and the lock (which names the rebuild holding
    it: crawler/runlock.py)."""
    return sorted((p.name, p.stat().st_size) for p in archive.rglob("*") if "reports.db" not in p.name
                  and p.name != LOCK_NAME)


def test_rebuild_reports_what_it_replayed(rebuilt, replica_db):
    _db, result = rebuilt
    sightings = replica_db.execute("select sum(reports) from crawl_runs").fetchone()[0]
    assert f"{sightings} report sightings" in result.stdout


@pytest.mark.parametrize("table", TABLES)
def test_rebuild_gives_the_crawled_database(rebuilt, replica_db, table):
    db, _result = rebuilt
    crawled = list(replica_db.query(f"select * from [{table}] order by {TABLES[table]}"))
    rebuilt_rows = list(db.query(f"select * from [{table}] order by {TABLES[table]}"))
    assert len(rebuilt_rows) == len(crawled) > 0
    for crawled_row, rebuilt_row in zip(crawled, rebuilt_rows):
        assert rebuilt_row == crawled_row


def test_rebuilt_database_has_the_search_indexes(rebuilt):
    db, _result = rebuilt
    hits = db.execute("select count(*) from sections_fts where sections_fts match '\"政府信息公开\"'").fetchone()[0]
    assert hits == db.execute("select count(*) from sections where text like '%政府信息公开%' "
                              "or heading like '%政府信息公开%'").fetchone()[0] > 0


def test_rebuild_from_a_folder_without_records_leaves_the_database_alone(tmp_path):
    database = tmp_path / "reports.db"
    database.write_bytes(b"the published database")
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "rebuild", "--archive", str(tmp_path / "not-an-archive"), "--db",
         str(database)], cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"error: the archive is incomplete: {tmp_path / 'not-an-archive' / 'records'} holds no "
                             "report record: nothing to rebuild from\n")
    assert database.read_bytes() == b"the published database"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["reports.db"]


def test_a_rebuild_that_fails_leaves_nothing_behind(tmp_path):
    archive = Archive(tmp_path / "archive")
    page = {"type": "fetch", "at": "2026-01-01T10:00:00+00:00", "sighting": "s1", "role": "page", "spider": "zibo_kjj",
            "url": "http://kjj.zibo.gov.cn/art/1.html", "request_url": "http://kjj.zibo.gov.cn/art/1.html",
            "report_url": "http://kjj.zibo.gov.cn/art/1.html", "status": 200, "headers": {}, "sha256": "ab" * 32}
    archive.append_record(page)
    archive.append_record({"type": "report", "at": page["at"], "sighting": "s1", "spider": "zibo_kjj",
                           "agency": "淄博市科学技术局", "title": "年报", "year": 2022, "page_url": page["url"],
                           "published": None, "page_sha256": "ab" * 32, "attachments": []})
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "rebuild", "--archive", str(archive.root), "--db", str(tmp_path / "r.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: the archive is incomplete: http://kjj.zibo.gov.cn/art/1.html")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["archive"]


@pytest.fixture(scope="module")
def rebuilt_from_interleaved_crawls(crawled_replica, tmp_path_factory):
    """The replica archive's two crawls rewritten as if they had run at once: each report's records from the first
    crawl interleaved line by line with the same report's records from the second."""
    original = Archive(crawled_replica.archive)
    sightings = [[*fetches, report] for report, fetches in original.report_sightings()]
    first_crawl = sum(summary["reports"] for summary in printed_summaries(crawled_replica.first).values())
    assert first_crawl * 2 == len(sightings)
    interleaved = Archive(tmp_path_factory.mktemp("interleaved") / "archive")
    interleaved.root.mkdir()
    (interleaved.root / "objects").symlink_to(original.objects.resolve())
    second_crawl = {(s[-1]["spider"], s[-1]["page_url"]): s for s in sightings[first_crawl:]}
    for first in sightings[:first_crawl]:
        second = second_crawl.pop((first[-1]["spider"], first[-1]["page_url"]))
        for pair in itertools.zip_longest(first, second):
            for record in pair:
                if record is not None:
                    interleaved.append_record(record)
    db_path = interleaved.root / "reports.db"
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "rebuild", "--archive", str(interleaved.root), "--db", str(db_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    db = sqlite_utils.Database(db_path)
    yield db
    db.close()


@pytest.mark.parametrize("table", ["reports", "report_versions", "documents", "checks", "applications"])
def test_rebuild_reads_the_logs_of_crawls_that_ran_at_once(rebuilt_from_interleaved_crawls, replica_db, table):
    order = TABLES[table]
    crawled = list(replica_db.query(f"select * from [{table}] order by {order}"))
    assert list(rebuilt_from_interleaved_crawls.query(f"select * from [{table}] order by {order}")) == crawled
