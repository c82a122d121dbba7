"""Publishing without downtime (crawler/published.py, crawler.publish.PublishedDatabase): the working database is
copied whole over published.db in one rename, and a running server serves the new file from its next requests, with
no request failing meanwhile; a reader never finds a half-written file at the published path."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import httpx
import pytest
from datasette.utils.sqlite import sqlite3

from crawler.database import ReportDatabase
from crawler.published import publish_database, published_path
from tests.crawling import ROOT
from tests.test_database import document, report

REPORTS = "/reports/reports.json?_shape=array&_col=id&_size=100"


def add_reports(database: Path, numbers: Iterable[int]) -> None:
    """Save one report per number (report i has page …/art/i.html) into the working database at `database`."""
    db = ReportDatabase(database)
    try:
        for number in numbers:
            item = report([document(f"{number}.docx", f"docx {number}".encode(), "docx")])
            item.page_url = f"http://kjj.example.gov.cn/art/{number}.html"
            db.save_report(item)
    finally:
        db.close()


@pytest.fixture
def server(tmp_path):
    """`python -m crawler serve` over the published copy of a working database of two reports; yields its URL."""
    archive = tmp_path / "archive"
    add_reports(archive / "reports.db", range(2))
    publish_database(archive / "reports.db", published_path(archive))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler", "serve", "--archive", str(archive), "--port", str(port)],
            cwd=ROOT, stdout=log_file, stderr=log_file,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(url + REPORTS):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield url, archive
    finally:
        process.kill()
        process.wait()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_published_database_is_served_without_a_restart_and_no_request_fails(server):
    url, archive = server
    answers: list[tuple[float, float, int, frozenset | None]] = []  # (sent, answered, status, report ids)
    stop = threading.Event()

    def visitor():
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                sent = time.monotonic()
                response = client.get(url + REPORTS)
                ids = frozenset(row["id"] for row in response.json()) if response.status_code == 200 else None
                answers.append((sent, time.monotonic(), response.status_code, ids))

    visitors = [threading.Thread(target=visitor) for _ in range(2)]
    for thread in visitors:
        thread.start()
    try:
        time.sleep(1)
        add_reports(archive / "reports.db", range(2, 3))  # the next crawl writes its working copy…
        time.sleep(1)
        published_at = time.monotonic()
        publish_database(archive / "reports.db", published_path(archive))  # …and publishes it
        deadline = published_at + 30
        while not any(ids is not None and len(ids) == 3 for *_, ids in answers[-10:]):
            assert time.monotonic() < deadline, "the server never served the published database"
            time.sleep(0.05)
        time.sleep(1)
    finally:
        stop.set()
        for thread in visitors:
            thread.join()
    assert [status for _, _, status, _ in answers if status != 200] == []
    before = [ids for _, answered, _, ids in answers if answered < published_at]
    assert len(before) > 10 and {len(ids) for ids in before} == {2}  # writing the working copy changed nothing served
    assert {len(ids) for *_, ids in answers} == {2, 3}
    first_new = min(answered for *_, answered, _, ids in answers if len(ids) == 3)
    assert {len(ids) for sent, *_, ids in answers if sent > first_new} == {3}  # once new, never old again
    table = httpx.get(url + "/reports/reports.json").json()
    assert table["filtered_table_rows_count"] == 3  # the new file's row counts, taken when it was picked up
    assert httpx.get(url + "/reports.db").content == published_path(archive).read_bytes()
    print(f"{len(answers)} requests, none failed; the new database answered {first_new - published_at:.2f} s after "
          "it was published")


def _database_of(path: Path, rows: int) -> None:
    """A database of `rows` rows of 100 kB: big enough that copying it takes a while."""
    connection = sqlite3.connect(path)
    connection.execute("create table filler (n integer, bytes blob)")
    connection.executemany("insert into filler values (?, randomblob(100000))", [(n,) for n in range(rows)])
    connection.commit()
    connection.close()


def test_a_reader_never_finds_a_half_written_published_database(tmp_path):
    small, large = tmp_path / "small.db", tmp_path / "large.db"
    _database_of(small, 100)
    _database_of(large, 200)
    published = tmp_path / "published.db"
    publish_database(small, published)
    seen: list[object] = []  # what each opening of the published path found: its row count, or the error
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            connection = sqlite3.connect(f"file:{published}?immutable=1", uri=True)
            try:
                check = connection.execute("pragma quick_check").fetchone()[0]
                seen.append(connection.execute("select count(*) from filler").fetchone()[0] if check == "ok"
                            else check)
            except sqlite3.DatabaseError as error:
                seen.append(str(error))
            finally:
                connection.close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for source in [large, small] * 5:
            publish_database(source, published)
    finally:
        stop.set()
        thread.join()
    assert len(seen) > 20
    assert set(seen) == {100, 200}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["large.db", "published.db", "small.db"]


def test_a_killed_publishs_copy_is_removed_by_the_next_publish(tmp_path):
    add_reports(tmp_path / "reports.db", range(1))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = tmp_path / f".publishing-{dead.stdout.strip()}-0123abcd.db"
    leftover.write_bytes(b"the first pages of a copy")
    publish_database(tmp_path / "reports.db", tmp_path / "published.db")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["published.db", "reports.db"]
