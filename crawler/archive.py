"""The archive: every original byte, stored once by SHA-256, and an append-only log of where it came from.

Layout under the archive directory (see archive/README.md):

    objects/ab/cd/abcd…ef      the bytes of one response body, named by their SHA-256; written once, never changed
    records/YYYY-MM-DD.jsonl   one JSON object per line: every fetch (URL, time, status, headers, sha256, …) and
                               every report a spider found; appended, never rewritten
    reports.db                 the SQLite database, derived from the two above and rebuildable from them

Nothing here ever overwrites or deletes: a changed document is a new object and new records.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path


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
        self._append_lock = threading.Lock()

    def object_path(self, sha256: str) -> Path:
        return self.root / object_relative_path(sha256)

    def store(self, data: bytes) -> str:
        """Keep `data`; return its SHA-256. Storing the same bytes again costs nothing and changes nothing."""
        digest = sha256_hex(data)
        path = self.object_path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside and rename, so a crash never leaves a truncated object under a valid name.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".incoming-") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, path)
        return digest

    def read(self, sha256: str) -> bytes:
        return self.object_path(sha256).read_bytes()

    def append_record(self, record: dict) -> None:
        """Add one provenance record to today's log (`record` must carry an ISO timestamp in 'at')."""
        self.records_dir.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        with self._append_lock, open(self.records_dir / f"{record['at'][:10]}.jsonl", "a", encoding="utf-8") as log:
            log.write(line)
            log.flush()

    def records(self) -> Iterator[dict]:
        """Every record ever appended, oldest day first, in the order written."""
        if not self.records_dir.exists():
            return
        for log in sorted(self.records_dir.glob("*.jsonl")):
            with open(log, encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        yield json.loads(line)
