"""`python -m crawler rebuild` on the archive of the replica crawl (tests/conftest.py: every spider, twice) gives the
database the crawl wrote: the same reports, IDs, sightings, versions, documents, texts, facts and checks."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlite_utils

from tests.crawling import ROOT

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
    files_before = sorted((p.name, p.stat().st_size) for p in archive.rglob("*") if "reports.db" not in p.name)
    db_path = tmp_path_factory.mktemp("rebuild") / "rebuilt.db"
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "rebuild", "--archive", str(archive), "--db", str(db_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    files_after = sorted((p.name, p.stat().st_size) for p in archive.rglob("*") if "reports.db" not in p.name)
    assert files_after == files_before  # the archive is read, never written
    db = sqlite_utils.Database(db_path)
    yield db, result
    db.close()


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
