"""Many documents at once, on several extraction workers (worker.py): `make bench`'s batch, and any bulk
re-extraction.

Each worker keeps what is slow to start for the whole batch, its soffice and its OCR engine, and extracts under the
same memory ceiling and time limit as the crawl. A file that kills its worker, outgrows the ceiling or overruns the
limit costs that file alone: its worker is replaced and the batch goes on.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crawler.extract.blocks import UnreadableDocument
from crawler.extract.document import extract_path
from crawler.extract.worker import ExtractionError, ExtractionWorker

Extract = Callable[[Path], dict]


def extract_many(
    paths: Iterable[Path], *, memory_limit_mb: int, timeout: float, workers: int | None = None,
    extract: Extract = extract_path,
) -> Iterator[tuple[Path, dict | str]]:
    """(path, contract object) for each file, or (path, one-line error) for one that cannot be read, in the
    order given, on `workers` worker processes (default: one per core) with these limits (see ExtractionWorker). A
    failing file never stops the batch, not even one that kills its worker process. `extract` (a module-level
    function, for the spawned workers to import) reads one file."""
    paths = [Path(path) for path in paths]
    workers = workers or os.cpu_count() or 1
    # The cores are shared out: each worker's OCR runs on its share instead of all of them fighting.
    ocr_threads = max(1, (os.cpu_count() or 1) // workers)
    pool = [ExtractionWorker(memory_limit_mb, timeout, ocr_threads) for _ in range(workers)]
    idle: queue.SimpleQueue[ExtractionWorker] = queue.SimpleQueue()
    for worker in pool:
        idle.put(worker)

    def extract_on_an_idle_worker(path: Path) -> dict | str:
        worker = idle.get()
        try:
            return _result_or_error(worker, extract, path)
        finally:
            idle.put(worker)

    threads = ThreadPoolExecutor(workers)
    try:
        yield from zip(paths, threads.map(extract_on_an_idle_worker, paths))
    finally:
        threads.shutdown(cancel_futures=True)  # a batch left early does not extract the rest
        for worker in pool:
            worker.close()


def _result_or_error(worker: ExtractionWorker, extract: Extract, path: Path) -> dict | str:
    try:
        return worker.run(extract, path)
    except UnreadableDocument as exc:
        return str(exc)
    except ExtractionError as exc:  # an extractor bug is reported for its file; the batch goes on
        return f"extraction error: {exc}"
