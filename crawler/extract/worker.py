"""Extraction in a worker process under a memory ceiling and a time limit, so that no document, however it is built,
takes down the process that asked for it: the crawl, a rebuild, a batch.

The bounds in limits.py refuse what a document declares; the worker holds what it does not (a reader's blow-up
nobody foresaw, a native library's crash). It is spawned, not forked (a forked child would inherit the parent's
onnxruntime thread pool and LibreOffice pipes, neither of which survives a fork), and kept for document after
document: its OCR engine and its soffice are slow to start.

The ceiling is RLIMIT_DATA, not RLIMIT_AS. The address space also counts what is reserved and never used:
onnxruntime's threads and glibc's per-thread arenas made a worker that OCRed a scan reserve 1.6 GB for 0.7 GB
used, and reserve more on a machine with more cores. RLIMIT_DATA counts the private writable memory a process can
fill: the heap and anonymous mappings, where every parser and array lives. The soffice and pdftoppm the worker
starts inherit the ceiling, so a hostile .doc cannot outgrow it in LibreOffice either.

An allocation refused by the ceiling raises MemoryError (or, in libxml2, an error saying so; see _out_of_memory):
the document is DocumentTooLarge, and the worker (left in whatever state the failed allocation left it) is
replaced. A worker that dies (a native library's crash, an
allocation it could not survive) or overruns the time limit is ended, killed with its process group (pdftoppm) if it
does not exit; its soffice, in a session of its own, is stopped by the UNO bridge when the worker's end of the pipe
closes. The next document gets a fresh worker.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import sys
import threading
from collections.abc import Callable

from lxml import etree

from crawler.extract.blocks import DocumentTooLarge, UnreadableDocument
from crawler.extract.document import extract_document
from crawler.extract.readers import ocr
from crawler.text import first_line

_READY = "ready"  # what the worker says once it has started (imported the readers): the time limit starts then
_OUT_OF_MEMORY = "out of memory"  # what the worker answers after a MemoryError, before it exits
START_TIMEOUT_SECONDS = 60.0  # spawning and importing the readers takes a second or two; many on a busy machine
TERMINATE_GRACE_SECONDS = 5.0  # stopping soffice takes a fraction of a second


class ExtractionError(Exception):
    """Extraction failed in the worker with an error other than UnreadableDocument: a reader's bug on an odd file.
    The message, one line, names the original error's type ("XPathEvalError: unknown error"): the error itself
    may not survive the way back from the worker (lxml's do not pickle)."""


class ExtractionWorker:
    """One worker process extracting documents one at a time, started on first use and replaced after it dies,
    overruns `timeout` seconds on a document, or outgrows `memory_limit_mb`. Callers in several threads take turns.
    `ocr_threads` is its OCR engine's thread count (-1: all cores).

    The crawl's limits are the settings EXTRACT_MEMORY_LIMIT_MB and EXTRACT_TIMEOUT (crawler/settings.py), which
    rebuild and the CLI use too. They are passed in, not imported here: extraction knows nothing of Scrapy, and the
    crawl takes them from its settings, so `-s EXTRACT_TIMEOUT=…` applies."""

    def __init__(self, memory_limit_mb: int, timeout: float, ocr_threads: int = -1):
        self.memory_limit_mb = memory_limit_mb
        self.timeout = timeout
        self.ocr_threads = ocr_threads
        self._lock = threading.Lock()
        self._process: multiprocessing.Process | None = None
        self._connection = None

    def extract(self, data: bytes, filename: str | None = None, hints: dict | None = None) -> dict:
        """extract_document(data, filename, hints), in the worker."""
        return self.run(extract_document, data, filename, hints)

    def run(self, extract: Callable[..., dict], *args) -> dict:
        """`extract(*args)` in the worker (a module-level function: the spawned worker imports it by name).

        Raises what `extract` raises if it is an UnreadableDocument (DocumentTooLarge included); DocumentTooLarge
        when the worker ran out of memory; UnreadableDocument when it overran the time limit or died;
        ExtractionError for any other error.
        """
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            try:
                self._connection.send((extract, args))
            except OSError:  # the worker died since the check: receiving reports it
                pass
            if not self._connection.poll(self.timeout):
                self._stop()
                raise UnreadableDocument(f"extraction did not finish within {self.timeout:g} s; stopped it")
            try:
                outcome, value = self._connection.recv()
            except (EOFError, ConnectionResetError):  # it died: a native library's crash, or out of memory
                cause = _exit_cause(self._stop())
                raise UnreadableDocument(
                    f"extraction killed its worker process ({cause}: a crash in a native library, or out of memory)"
                ) from None
            if outcome == _OUT_OF_MEMORY:
                self._stop(grace=10)  # it exits after answering: the next document starts a fresh one
                raise DocumentTooLarge(f"extraction needed more than its memory ceiling of {self.memory_limit_mb} MB")
        if outcome == "error":
            raise value
        return value

    @property
    def pid(self) -> int | None:
        """The running worker's process id (its soffice's pipe is named after it); None when none runs."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def close(self) -> None:
        """Let the worker finish (it stops its soffice on the way out); a later document starts a new one."""
        with self._lock:
            if self._process is not None and self._process.is_alive():
                try:
                    self._connection.send(None)
                except OSError:  # it is dying already
                    pass
            self._stop(grace=10)

    def _start(self) -> None:
        self._stop()
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, self.memory_limit_mb * 1024 * 1024, self.ocr_threads),
            name="extraction-worker", daemon=True,  # daemon: ended with its parent, however the parent ends
        )
        self._process.start()
        child.close()
        if not self._connection.poll(START_TIMEOUT_SECONDS):
            self._stop()
            raise UnreadableDocument(f"the extraction worker did not start within {START_TIMEOUT_SECONDS:g} s")
        try:
            self._connection.recv()  # _READY
        except (EOFError, ConnectionResetError):
            raise UnreadableDocument(f"the extraction worker did not start ({_exit_cause(self._stop())})") from None

    def _stop(self, grace: float = 0) -> int | None:
        """End the worker and return its exit code: wait up to `grace` seconds for it to exit by itself, then ask it
        to (SIGTERM: it exits through atexit, which stops its soffice), then kill its process group (stuck in native
        code, it cannot even exit)."""
        if self._process is None:
            return None
        self._process.join(grace)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(TERMINATE_GRACE_SECONDS)
        if self._process.is_alive():
            try:
                os.killpg(self._process.pid, signal.SIGKILL)  # the worker leads its own group: see _serve
            except ProcessLookupError:
                pass
        self._process.join()
        exit_code = self._process.exitcode
        self._connection.close()
        self._process = self._connection = None
        return exit_code


_shared: dict[tuple[int, float], ExtractionWorker] = {}
_shared_lock = threading.Lock()


def shared_worker(memory_limit_mb: int, timeout: float) -> ExtractionWorker:
    """This process's worker for these limits, made on first use: the spiders of a crawl process share it, and a
    rebuild's documents. It ends with the process (multiprocessing stops a daemon worker at exit; see _serve)."""
    with _shared_lock:
        return _shared.setdefault((memory_limit_mb, timeout), ExtractionWorker(memory_limit_mb, timeout))


def _exit_cause(exit_code: int | None) -> str:
    if exit_code is not None and exit_code < 0:
        return signal.Signals(-exit_code).name
    return f"exit status {exit_code}"


def _serve(connection, memory_limit_bytes: int, ocr_threads: int) -> None:
    """The worker: answer each (function, args) request with ("result", value) or ("error", exception) until the
    parent sends None or goes away; after a refused allocation answer _OUT_OF_MEMORY and exit."""
    # A group of its own, so that killing it kills what it started (pdftoppm) too; and no terminal's Ctrl-C, which
    # the parent handles by finishing its work.
    os.setsid()
    # multiprocessing ends a daemon worker with SIGTERM when the parent exits without closing it: exit through atexit
    # all the same, which stops its soffice and removes its profile.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    resource.setrlimit(resource.RLIMIT_DATA, (memory_limit_bytes, memory_limit_bytes))
    ocr.use_threads(ocr_threads)
    connection.send(_READY)
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        extract, args = request
        try:
            answer = ("result", extract(*args))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the parent, which decides
            if _out_of_memory(exc):
                connection.send((_OUT_OF_MEMORY, None))
                return
            answer = ("error", _portable(exc))
        connection.send(answer)


def _out_of_memory(exc: BaseException | None) -> bool:
    """Whether `exc` reports a refused allocation, or was raised while handling one: a reader that reports every
    failure of a damaged file as UnreadableDocument reports a refused allocation that way too. Python and numpy
    raise MemoryError; libxml2 (lxml: HTML, Word and Excel XML) a syntax error, "unknown error", whose error log
    says ERR_NO_MEMORY."""
    while exc is not None:
        if isinstance(exc, MemoryError):
            return True
        if isinstance(exc, etree.LxmlError) and any(entry.type == etree.ErrorTypes.ERR_NO_MEMORY
                                                    for entry in exc.error_log):
            return True
        exc = exc.__context__
    return False


def _portable(exc: BaseException) -> Exception:
    """`exc` as it can travel back to the parent: an UnreadableDocument as it is (its message is all it holds),
    anything else as an ExtractionError naming it."""
    if isinstance(exc, UnreadableDocument):
        return type(exc)(str(exc))
    return ExtractionError(f"{type(exc).__name__}: {first_line(exc)}")
