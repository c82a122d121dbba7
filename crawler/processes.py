"""Leftovers of processes that were killed: files and folders named after the process that made them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (possibly another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_pid(path: Path, prefix: str) -> int | None:
    """The process id in a name `<prefix><pid>-…`, or None when the name has none."""
    pid = path.name.removeprefix(prefix).split("-", 1)[0]
    return int(pid) if path.name.startswith(prefix) and pid.isdigit() else None


def remove_orphans(
    directory: Path, prefix: str, before_removal: Callable[[Path], None] | None = None
) -> list[Path]:
    """Remove the files and folders in `directory` named `<prefix><pid>-…` whose process no longer runs (calling
    `before_removal` on each first); return what was removed. A name without a pid is left alone: it is not ours to
    judge."""
    removed = []
    for path in directory.glob(f"{prefix}*") if directory.is_dir() else ():
        pid = owner_pid(path, prefix)
        if pid is None or process_alive(pid):
            continue
        if before_removal is not None:
            before_removal(path)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed
