"""Many documents at once, on a pool of processes: `make bench`'s batch, and any bulk re-extraction.

Each worker process keeps what is slow to start for the whole batch: its soffice (crawler.extract.office) and its
OCR engine (readers.ocr). Workers are spawned, not forked: a forked child would inherit the parent's onnxruntime
thread pool and LibreOffice pipes, neither of which survives a fork.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crawler.extract.blocks import UnreadableDocument
from crawler.extract.document import extract_path
from crawler.extract.readers import ocr


def extract_many(paths: Iterable[Path], workers: int | None = None) -> Iterator[tuple[Path, dict | str]]:
    """(path, contract object) for each file, or (path, one-line error) for one that cannot be read, in the
    order given, on `workers` processes (default: one per core). A failing file never stops the batch."""
    paths = [Path(path) for path in paths]
    workers = workers or os.cpu_count() or 1
    # The cores are shared out: each worker's OCR runs on its share instead of all of them fighting.
    threads = max(1, (os.cpu_count() or 1) // workers)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=ocr.use_threads, initargs=(threads,)) as pool:
        yield from zip(paths, pool.map(_extract_or_error, paths))


def _extract_or_error(path: Path) -> dict | str:
    try:
        return extract_path(path)
    except UnreadableDocument as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - an extractor bug is reported for its file; the batch goes on
        return f"extraction error: {type(exc).__name__}: {exc}"
