"""LibreOffice conversions (Word 97 .doc / WPS .wps → .docx, and .docx → PDF or .doc for tests) through one
long-lived soffice per process.

Starting LibreOffice takes seconds; converting a short report takes a fraction of one. So the first conversion
starts a headless soffice listening on a private pipe, with a private profile (a user's running LibreOffice
neither takes the job nor locks the profile), plus a small bridge process that drives it through UNO
(uno_bridge.py, run by the system python3 that has python3-uno). Every later conversion in the process reuses
both. Conversions are serialised by a lock (the crawl calls in from several threads; one office converts one
file at a time), bounded in time (a file that makes LibreOffice hang gets soffice killed, a one-line
UnreadableDocument, and a fresh soffice for the next file), and the office is shut down at interpreter exit.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from crawler.extract.blocks import UnreadableDocument
from crawler.processes import remove_orphans

SOFFICE = "soffice"
UNO_PYTHON = "/usr/bin/python3"  # Debian's python3-uno serves the system interpreter only
BRIDGE = Path(__file__).with_name("uno_bridge.py")
CONVERT_TIMEOUT_SECONDS = 30.0  # a short report converts in well under a second; a big one in a few
START_TIMEOUT_SECONDS = 60.0  # the first start creates the profile: several seconds on a busy machine

# LibreOffice filter names (import and export), and the extension of the files the export filters write.
DOCX = "MS Word 2007 XML"
WORD_97 = "MS Word 97"
RTF = "Rich Text Format"
PDF = "writer_pdf_Export"
_EXTENSIONS = {DOCX: "docx", WORD_97: "doc", PDF: "pdf"}

_pipe_numbers = itertools.count()
# Each office's folder (profile, files being converted), named after the process that owns it, so that a later
# process can tell a killed one's folder from a live one's and remove it.
WORKDIR_PREFIX = "extract-office-"
SOFFICE_PID_FILE = "soffice.pid"


class Office:
    """One soffice and its UNO bridge, started on first use and restarted after a hang or crash."""

    def __init__(self, convert_timeout: float = CONVERT_TIMEOUT_SECONDS, start_timeout: float = START_TIMEOUT_SECONDS):
        self.convert_timeout = convert_timeout
        self.start_timeout = start_timeout
        self._lock = threading.Lock()
        self._soffice: subprocess.Popen | None = None
        self._bridge: subprocess.Popen | None = None
        self._workdir: Path | None = None
        self._files = itertools.count()

    def convert(self, data: bytes, suffix: str, target_filter: str, import_filter: str | None = None) -> bytes:
        """`data` (a file that would be named *.`suffix`) read with `import_filter` (None: LibreOffice's type
        detection) and written with the export filter `target_filter`."""
        with self._lock:
            self._start_if_needed()
            number = next(self._files)
            source = self._workdir / f"in-{number}.{suffix}"
            target = self._workdir / f"out-{number}.{_EXTENSIONS[target_filter]}"
            source.write_bytes(data)
            try:
                answer = self._ask({"source": str(source), "target": str(target), "filter": target_filter,
                                    "import_filter": import_filter})
                if "error" in answer:
                    raise UnreadableDocument(f"LibreOffice could not convert the {suffix} file: {answer['error']}")
                return target.read_bytes()
            finally:
                source.unlink(missing_ok=True)
                target.unlink(missing_ok=True)

    @property
    def soffice_pid(self) -> int | None:
        """The running soffice's process id, which is also its process group's (the launcher and soffice.bin;
        tests stop the group to play a hang); None when none runs."""
        return self._soffice.pid if self._soffice and self._soffice.poll() is None else None

    def close(self) -> None:
        """Stop soffice and the bridge and remove the profile; a later conversion starts them again."""
        with self._lock:
            self._stop()

    def _start_if_needed(self) -> None:
        running = self._soffice and self._soffice.poll() is None and self._bridge and self._bridge.poll() is None
        if running:
            return
        self._stop()
        remove_orphans(Path(tempfile.gettempdir()), WORKDIR_PREFIX, before_removal=_stop_orphaned_soffice)
        self._workdir = Path(tempfile.mkdtemp(prefix=f"{WORKDIR_PREFIX}{os.getpid()}-"))
        pipe_name = f"extract_office_{os.getpid()}_{next(_pipe_numbers)}"
        try:
            # Its own session, so a hang is ended by killing the whole group (the soffice script, oosplash,
            # soffice.bin).
            self._soffice = subprocess.Popen(
                [SOFFICE, f"-env:UserInstallation={(self._workdir / 'profile').as_uri()}", "--headless",
                 "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
                 f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )
            (self._workdir / SOFFICE_PID_FILE).write_text(str(self._soffice.pid))
            self._bridge = subprocess.Popen(
                [UNO_PYTHON, str(BRIDGE), pipe_name, str(self.start_timeout)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0,
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            self._stop()
            raise UnreadableDocument(f"LibreOffice is not installed here ({exc.filename} missing)") from None
        answer = self._read_answer(self.start_timeout + 5, "start")
        if not answer.get("ready"):
            self._stop()
            raise UnreadableDocument(f"LibreOffice did not start: {answer}")

    def _ask(self, request: dict) -> dict:
        try:
            self._bridge.stdin.write((json.dumps(request) + "\n").encode())
        except BrokenPipeError:  # the bridge died since the liveness check: this file fails, the next restarts
            self._stop()
            raise UnreadableDocument("LibreOffice failed to convert the file: its UNO bridge exited") from None
        return self._read_answer(self.convert_timeout, "convert the file")

    def _read_answer(self, timeout: float, doing: str) -> dict:
        """The bridge's next answer line; on a timeout or a dead bridge the office is stopped (the next
        conversion starts a fresh one) and UnreadableDocument raised."""
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            readable = remaining > 0 and select.select([self._bridge.stdout], [], [], remaining)[0]
            if not readable:
                self._stop()
                raise UnreadableDocument(f"LibreOffice did not {doing} within {timeout:.0f} s; stopped it")
            chunk = os.read(self._bridge.stdout.fileno(), 65536)
            if not chunk:
                stderr = self._bridge.stderr.read().decode(errors="replace").strip().splitlines()
                self._stop()
                raise UnreadableDocument(f"LibreOffice failed to {doing}: {stderr[-1] if stderr else 'it exited'}")
            line += chunk
        return json.loads(line)

    def _stop(self) -> None:
        for process in (self._bridge, self._soffice):
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)  # its own group: started with start_new_session
                except ProcessLookupError:
                    pass
            if process is not None:
                process.wait()
                for stream in (process.stdin, process.stdout, process.stderr):
                    if stream:
                        stream.close()
        self._soffice = self._bridge = None
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None


def _stop_orphaned_soffice(workdir: Path) -> None:
    """Stop the soffice of an office whose process was killed before it could (kill -9 of a crawl): it runs on in
    its own session otherwise. The pid is checked against the soffice's command line, which names its profile in
    `workdir`, so a recycled pid is never hit."""
    try:
        pid = int((workdir / SOFFICE_PID_FILE).read_text())
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if str(workdir).encode() in command_line:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


_office: Office | None = None
_office_pid: int | None = None
_office_lock = threading.Lock()


def office() -> Office:
    """This process's Office. A forked worker gets its own: the parent's soffice belongs to the parent."""
    global _office, _office_pid
    with _office_lock:
        if _office is None or _office_pid != os.getpid():
            _office, _office_pid = Office(), os.getpid()
            atexit.register(_office.close)
        return _office


def convert(data: bytes, suffix: str, target_filter: str, import_filter: str | None = None) -> bytes:
    """`data` converted by this process's office (see Office.convert)."""
    return office().convert(data, suffix, target_filter, import_filter)
