"""One run at a time per archive (crawler/runlock.py): a second crawl, rebuild or publish stops at once, in one line
naming the run that holds the archive, with exit status 75; a killed crawl's lock goes with it, and the lock file it
leaves behind blocks nobody."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from tests.crawling import ROOT, TEST_CRAWL_SETTINGS, printed_summaries, run_crawl
from tests.test_published import add_reports

BUSY = 75
# A second run must not wait for the first: it stops before Scrapy starts (a crawl takes some 10 s here).
AT_ONCE_SECONDS = 5
# The holding crawl waits a minute between requests, so it is still running when the second one comes.
SLOW_CRAWL = {**TEST_CRAWL_SETTINGS, "DOWNLOAD_DELAY": "60"}
# Holds the lock as a crawl does, until killed.
_HOLDER = """
import sys, time
from crawler.runlock import hold_run_lock
hold_run_lock(sys.argv[1], "crawl")
print("held", flush=True)
time.sleep(600)
"""


def start_slow_crawl(archive: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "crawler", "crawl", "zibo_kjj", "--replica", "--archive", str(archive)]
    for name, value in SLOW_CRAWL.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_until_it_holds_the_lock(archive: Path, crawl: subprocess.Popen) -> None:
    lock = archive / "crawl.lock"
    deadline = time.monotonic() + 120
    while not (lock.exists() and f"pid {crawl.pid}," in lock.read_text()):
        assert crawl.poll() is None and time.monotonic() < deadline, "the crawl never took the archive's lock"
        time.sleep(0.1)


def crawl_run_pids(archive: Path) -> set[int]:
    if not (archive / "reports.db").exists():
        return set()
    db = sqlite_utils.Database(archive / "reports.db")
    try:
        return {row["pid"] for row in db["crawl_runs"].rows} if db["crawl_runs"].exists() else set()
    finally:
        db.close()


@pytest.mark.e2e
def test_a_second_crawl_while_one_runs_stops_at_once_naming_it(tmp_path):
    archive = tmp_path / "archive"
    first = start_slow_crawl(archive)
    try:
        deadline = time.monotonic() + 120
        while first.pid not in crawl_run_pids(archive):  # it runs: its spider has started
            assert first.poll() is None and time.monotonic() < deadline, "the first crawl never started"
            time.sleep(0.1)
        started = time.monotonic()
        # As cron would start it, with no replica to start first; were it to crawl, its requests would meet a closed
        # port, not the sites.
        second = subprocess.run([sys.executable, "-m", "crawler", "crawl", "zibo_kjj", "--archive", str(archive),
                                 "--proxy", "http://127.0.0.1:9", "-s", "LOG_LEVEL=WARNING"],
                                cwd=ROOT, capture_output=True, text=True, timeout=600)
        seconds = time.monotonic() - started
        assert first.poll() is None  # the second crawl met a running one
    finally:
        first.kill()
        first.wait()
    assert (second.returncode, second.stdout) == (BUSY, ""), second.stderr[-3000:]
    (line,) = second.stderr.splitlines()
    assert line.startswith(f"error: {archive} is busy: crawl (pid {first.pid}, started "), line
    assert seconds < AT_ONCE_SECONDS
    assert crawl_run_pids(archive) <= {first.pid}  # the second wrote nothing: not even its run


@pytest.mark.e2e
def test_the_lock_file_of_a_killed_crawl_blocks_nobody(tmp_path):
    archive = tmp_path / "archive"
    killed = start_slow_crawl(archive)
    try:
        wait_until_it_holds_the_lock(archive, killed)
    finally:
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait()
    lock = archive / "crawl.lock"
    assert f"pid {killed.pid}," in lock.read_text()  # left behind, naming the killed crawl
    result = run_crawl(archive, "zibo_kjj")
    assert result.returncode == 0, result.stderr[-3000:]
    assert printed_summaries(result)["zibo_kjj"]["reports"] > 0
    assert f"pid {killed.pid}," not in lock.read_text()


@pytest.mark.parametrize("command", ["rebuild", "publish"])
def test_rebuild_and_publish_stop_at_once_while_a_crawl_holds_the_archive(tmp_path, command):
    archive = tmp_path / "archive"
    add_reports(archive / "reports.db", range(1))
    working = (archive / "reports.db").read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(archive)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "crawler", command, "--archive", str(archive)], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        seconds = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert (result.returncode, result.stdout) == (BUSY, ""), result.stderr[-3000:]
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {archive} is busy: crawl (pid {holder.pid}, started "), line
    assert seconds < AT_ONCE_SECONDS
    assert sorted(path.name for path in archive.iterdir()) == ["crawl.lock", "reports.db"]  # nothing published
    assert (archive / "reports.db").read_bytes() == working  # nor rebuilt
