"""Publishing (crawler/published.py): the working database is copied whole over published.db in one rename; a reader
never finds a half-written file at the published path."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

from datasette.utils.sqlite import sqlite3

from crawler.database import ReportDatabase
from crawler.published import publish_database
from tests.test_database import document, report


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
