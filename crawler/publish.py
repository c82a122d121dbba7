"""The Datasette instance that publishes the database: one configuration for `python -m crawler serve` and tests."""

from __future__ import annotations

import json
from pathlib import Path

from datasette.app import Datasette

METADATA_PATH = Path(__file__).resolve().parent.parent / "datasette_metadata.json"


def datasette_app(db_path: str | Path, archive_dir: str | Path) -> Datasette:
    """Datasette over `db_path`, with the archive's original files served at /objects/… (documents.archive_path).

    The database is opened immutable: the published copy is read-only, Datasette may cache counts, and only an
    immutable database can be downloaded whole. A new crawl is published by restarting the server.
    """
    return Datasette(
        immutables=[str(db_path)],
        metadata=json.loads(METADATA_PATH.read_text(encoding="utf-8")),
        static_mounts=[("objects", str(Path(archive_dir) / "objects"))],
        settings={"allow_download": True, "sql_time_limit_ms": 3000},
    )
