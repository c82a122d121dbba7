"""One run at a time per archive: `crawl`, `rebuild` and `publish` each hold ARCHIVE_DIR/crawl.lock while they run.

Two crawls at once would each publish a database the other is still writing; a publish during a crawl would publish
it half done; a rebuild replaces reports.db under a running crawl, whose writes then go to the replaced file and are
lost. A run that finds the lock held stops at once with one line naming the holder and exit status
BUSY_EXIT_STATUS, so cron or systemd tell "busy" from "broken".

The lock is the kernel's (flock), not the file's existence: it belongs to the open file, so the kernel releases it
when the holder ends, however it ends (kill -9 included), and the file a killed run leaves behind blocks nobody. The
file is never removed, since a process that opened it just before the removal would then lock a file no one else
sees. What it holds (the holder's pid, command and start time) is only read to name the holder in the message.
"""

from __future__ import annotations

import datetime
import fcntl
import os
from pathlib import Path

LOCK_NAME = "crawl.lock"
# EX_TEMPFAIL of sysexits.h: "try again later". Not 1 (a crawl that failed) nor 2 (a wrong command line).
BUSY_EXIT_STATUS = 75


class ArchiveBusy(Exception):
    """Another run holds the archive's lock; the message names it."""


def hold_run_lock(archive_dir: str | os.PathLike, command: str) -> None:
    """Take the lock of the archive at `archive_dir` (created if missing) for `command`, until this process exits,
    or raise ArchiveBusy at once if another process holds it."""
    path = Path(archive_dir) / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_NOFOLLOW: a crawl run as root must not truncate whatever a planted symlink points to.
    lock = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(lock, 200).decode("utf-8", "replace").strip() or "a run that is starting"
        os.close(lock)
        raise ArchiveBusy(f"{archive_dir} is busy: {holder} holds {path}; try again when it ends") from None
    os.ftruncate(lock, 0)
    started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")  # local time: for the operator
    os.write(lock, f"{command} (pid {os.getpid()}, started {started})\n".encode())
    # The descriptor stays open, and the lock held, for the rest of the process: never closed on purpose.
