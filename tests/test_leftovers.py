"""What a killed process leaves behind is found and cleared by the next one: LibreOffice's profile folder and the
soffice still running in it, and the crawl run that never finished (tests/test_archive.py covers object files)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlite_utils

from crawler.database import ReportDatabase
from crawler.extract.office import DOCX, WORKDIR_PREFIX, Office
from crawler.processes import owner_pid, process_alive
from tests.crawling import ROOT, TEST_CRAWL_SETTINGS
from tests.test_extract_bad_input import ZIBO_GXQ_DOC

# Converts one file, prints its office's folder and soffice pid, and dies as kill -9 would: no atexit, no cleanup.
_KILLED_CONVERSION = f"""
import os
from crawler.extract.office import DOCX, office
converter = office()
converter.convert(open({str(ZIBO_GXQ_DOC)!r}, "rb").read(), "doc", DOCX)
print(converter._workdir, converter.soffice_pid, flush=True)
os._exit(1)
"""


def test_a_killed_processs_office_is_stopped_and_its_folder_removed():
    killed = subprocess.run([sys.executable, "-c", _KILLED_CONVERSION], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    workdir, soffice_pid = killed.stdout.split()
    workdir, soffice_pid = Path(workdir), int(soffice_pid)
    assert workdir.name.startswith(WORKDIR_PREFIX) and workdir.exists() and process_alive(soffice_pid)
    converter = Office()
    try:
        assert converter.convert(ZIBO_GXQ_DOC.read_bytes(), "doc", DOCX).startswith(b"PK")
        assert not workdir.exists()
        deadline = time.monotonic() + 10
        while _running(soffice_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(soffice_pid)
        owners = [owner_pid(path, WORKDIR_PREFIX) for path in Path(tempfile.gettempdir()).glob(f"{WORKDIR_PREFIX}*")]
        assert os.getpid() in owners and all(process_alive(pid) for pid in owners if pid is not None)
    finally:
        converter.close()


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed soffice whose parent is gone is reaped by init, but not at once)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.e2e
def test_a_killed_crawl_shows_as_running_then_killed(tmp_path):
    archive = tmp_path / "archive"
    database = archive / "reports.db"
    command = [sys.executable, "-m", "crawler", "crawl", "zibo_kjj", "--replica", "--archive", str(archive)]
    for name, value in TEST_CRAWL_SETTINGS.items():
        command += ["-s", f"{name}={value}"]
    crawl = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not _runs(database) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait()
    (run,) = _runs(database)
    assert (run["spider"], run["finish_reason"], run["finished_at"], run["pid"]) == (
        "zibo_kjj", "running", None, crawl.pid)
    db = ReportDatabase(database)
    try:
        db.start_crawl_run("zibo_kjj", "2026-12-04T00:00:00+00:00", os.getpid())
    finally:
        db.close()
    assert [(r["finish_reason"], r["pid"]) for r in _runs(database)] == [("killed", crawl.pid),
                                                                         ("running", os.getpid())]


def _runs(database: Path) -> list[dict]:
    if not database.exists():
        return []
    db = sqlite_utils.Database(database)
    try:
        return list(db["crawl_runs"].rows) if db["crawl_runs"].exists() else []
    finally:
        db.close()
