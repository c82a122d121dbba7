"""The published database, ARCHIVE_DIR/published.db: what `serve` shows, a whole copy of the working database.

The crawl writes the working database (reports.db) report by report. Datasette opens what it serves immutable (no
locks, no change expected), so serving the working copy would let a visitor read pages a crawl is halfway through
writing. Instead, at the end of every crawl (and on `python -m crawler publish`), the working database is copied as
one consistent snapshot into a temporary file beside published.db, synced, and renamed over it: whoever opens
published.db gets the previous file or the new one, each whole. The server notices the new file and serves it without
a restart (crawler.publish.PublishedDatabase).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlite_utils.utils import sqlite3  # the SQLite the database is written with

from crawler.processes import remove_orphans

PUBLISHED_NAME = "published.db"
# Copies being written: .publishing-<pid>-<random>.db; the next publish removes those whose writer was killed.
_PUBLISHING = ".publishing-"


def published_path(archive_dir: str | os.PathLike) -> Path:
    return Path(archive_dir) / PUBLISHED_NAME


def publish_database(database: str | os.PathLike, published: str | os.PathLike) -> None:
    """Replace `published` with a copy of the SQLite database at `database`, in one step."""
    database, published = Path(database), Path(published)
    if not database.is_file():  # sqlite3.connect would create it, and an empty database would be published
        raise FileNotFoundError(f"no database at {database}")
    remove_orphans(published.parent, _PUBLISHING)
    copy = published.parent / f"{_PUBLISHING}{os.getpid()}-{secrets.token_hex(4)}.db"
    try:
        source, target = sqlite3.connect(database), sqlite3.connect(copy)
        try:
            # Page by page under one read transaction: a snapshot, even of a database another process is writing.
            source.backup(target)
            # One self-contained file: no write-ahead log beside it to be left behind by the rename.
            target.execute("pragma journal_mode = delete")
        finally:
            target.close()
            source.close()
        _sync(copy)
        os.replace(copy, published)
    except BaseException:  # a partial copy is of no use (Ctrl-C included)
        copy.unlink(missing_ok=True)
        raise
    _sync(published.parent)  # the rename itself, so a power cut does not bring the previous file back


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
