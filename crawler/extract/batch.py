"""Many documents at once, on a pool of processes: `make bench`'s batch, and any bulk re-extraction.

Each worker process keeps what is slow to start for the whole batch: its soffice (crawler.extract.office) and its
OCR engine (readers.ocr). Workers are spawned, not forked: a forked child would inherit the parent's onnxruntime
thread pool and LibreOffice pipes, neither of which survives a fork.

A worker that dies (a native library's fault on a hostile file, the kernel's out-of-memory killer) breaks the whole
pool, and the pool cannot say which file killed it. The batch then extracts the first unfinished file alone in a
fresh process, so a file that kills it again is reported as such, and goes on with the others in a new pool.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from crawler.extract.blocks import UnreadableDocument
from crawler.extract.document import extract_path
from crawler.extract.readers import ocr

Extract = Callable[[Path], dict]


def extract_many(
    paths: Iterable[Path], workers: int | None = None, extract: Extract = extract_path
) -> Iterator[tuple[Path, dict | str]]:
    """(path, contract object) for each file, or (path, one-line error) for one that cannot be read, in the
    order given, on `workers` processes (default: one per core). A failing file never stops the batch, not even
    one that kills its worker process. `extract` (a module-level function, for the spawned workers to import)
    reads one file."""
    paths = [Path(path) for path in paths]
    workers = workers or os.cpu_count() or 1
    # The cores are shared out: each worker's OCR runs on its share instead of all of them fighting.
    threads = max(1, (os.cpu_count() or 1) // workers)
    done = 0
    while done < len(paths):
        with _pool(workers, threads) as pool:
            futures = [pool.submit(_extract_or_error, extract, path) for path in paths[done:]]
            try:
                for future in futures:
                    yield paths[done], future.result()
                    done += 1
            except BrokenProcessPool:
                for future in futures:
                    future.cancel()
        if done < len(paths):  # the pool broke while paths[done] or a file after it was being read
            yield paths[done], _extract_alone(extract, paths[done], threads)
            done += 1


def _pool(workers: int, threads: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=ocr.use_threads, initargs=(threads,))


def _extract_alone(extract: Extract, path: Path, threads: int) -> dict | str:
    with _pool(1, threads) as pool:
        try:
            return pool.submit(_extract_or_error, extract, path).result()
        except BrokenProcessPool:
            return "extraction killed its worker process (a crash in a native library, or out of memory)"


def _extract_or_error(extract: Extract, path: Path) -> dict | str:
    try:
        return extract(path)
    except UnreadableDocument as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - an extractor bug is reported for its file; the batch goes on
        return f"extraction error: {type(exc).__name__}: {exc}"
