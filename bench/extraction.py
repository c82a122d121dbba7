"""Extraction benchmark: `make bench` (python -m bench.extraction) writes BENCHMARKS.md.

Per format, seconds per document (median and spread) extracting the replica's documents one after another in this
process, after one warm-up document per format (the first .doc starts LibreOffice, the first scan loads the OCR
engine: both reported apart); OCR seconds per page; and documents per minute for a batch of 200 mixed documents
on a pool of one worker process per core (crawler.extract.extract_many).

Formats the replica does not publish are made here from its documents: .doc/.wps and .xls/.xlsx from the .docx
reports, page images from the scanned PDF.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import io
import os
import platform
import random
import resource
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pdfplumber
import xlwt
from PIL import Image

from crawler.extract import extract_many, extract_path, office
from crawler.settings import EXTRACT_MEMORY_LIMIT_MB, EXTRACT_TIMEOUT
from crawler.extract.blocks import Table
from crawler.extract.readers import ocr, read_document

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "replica" / "documents"
SHARED = ROOT.parent / "shared"
SCANNED_PDF = DOCUMENTS / "guyuan_kjj" / "guyuan-kjj-2019.pdf"
TARGETS = {"text pdf": 0.5, "docx": 0.1, "doc": 1.0, "wps": 1.0}  # seconds per document, median, on 2 cores
ROUNDS = 3  # passes over the fast formats' documents, for steadier medians
BATCH_SIZE = 200
# The batch's mix: roughly what the crawl meets (text PDFs and Word files most, a few scans).
BATCH_MIX = {"text pdf": 35, "docx": 20, "html": 15, "doc": 8, "wps": 7, "txt": 5, "xlsx": 3, "xls": 2,
             "scanned pdf": 2, "image": 3}
LIBRARIES = ("pypdfium2", "pdfplumber", "python-docx", "lxml", "openpyxl", "xlrd", "rapidocr", "onnxruntime",
             "numpy", "pillow")


def build_corpus(folder: Path) -> dict[str, list[Path]]:
    """The documents to time, by format; derived formats are written into `folder`."""
    published = sorted(path for path in DOCUMENTS.glob("*/*.*") if path.suffix in (".pdf", ".docx", ".html"))
    corpus = {
        "text pdf": [path for path in published if path.suffix == ".pdf" and path != SCANNED_PDF]
        + [SHARED / "real-reports" / "huaian-2024.pdf"],
        "docx": [path for path in published if path.suffix == ".docx"],
        "html": [path for path in published if path.suffix == ".html"],
        "txt": sorted((SHARED / "seeds").glob("*.txt")),
        "doc": [], "wps": [], "xlsx": [], "xls": [],
        "scanned pdf": [SCANNED_PDF],
        "image": [],
    }
    for docx in corpus["docx"]:
        word_97 = office.convert(docx.read_bytes(), "docx", office.WORD_97)
        for kind in ("doc", "wps"):
            corpus[kind].append(_written(folder / f"{docx.stem}.{kind}", word_97))
        corpus["xlsx"].append(_written(folder / f"{docx.stem}.xlsx", _xlsx(docx)))
        corpus["xls"].append(_written(folder / f"{docx.stem}.xls", _xls(docx)))
    corpus["doc"] += sorted(DOCUMENTS.glob("*/*.doc"))
    corpus["wps"] += sorted(DOCUMENTS.glob("*/*.wps"))
    for number, page in enumerate(ocr.rasterise(SCANNED_PDF.read_bytes(), 2, 4), start=2):
        buffer = io.BytesIO()
        page.save(buffer, "PNG")
        corpus["image"].append(_written(folder / f"{SCANNED_PDF.stem}-page-{number}.png", buffer.getvalue()))
    return corpus


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _sheet_rows(docx: Path) -> tuple[list[tuple[list[str], bool]], int]:
    """The report laid out on a sheet: (cells, merged over the width) per row, a paragraph per row, then its
    tables' grids; and the sheet's width."""
    blocks = read_document(docx.read_bytes(), "docx").blocks
    width = max((len(row) for block in blocks if isinstance(block, Table) for row in block.rows), default=1)
    rows = []
    for block in blocks:
        if isinstance(block, Table):
            rows += [(["" if cell is None else cell for cell in row], False) for row in block.rows]
        else:
            rows.append(([block], width > 1))
    return rows, width


def _xlsx(docx: Path) -> bytes:
    rows, width = _sheet_rows(docx)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for cells, merged in rows:
        sheet.append(cells)
        if merged:
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xls(docx: Path) -> bytes:
    rows, width = _sheet_rows(docx)
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("report")
    for number, (cells, merged) in enumerate(rows):
        if merged:
            sheet.write_merge(number, number, 0, width - 1, cells[0])
        else:
            for column, cell in enumerate(cells):
                sheet.write(number, column, cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def time_formats(corpus: dict[str, list[Path]]) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Seconds per document by format, and the one-off start-up costs (LibreOffice, OCR engine)."""
    startup = {}
    office.office().close()  # started while building the corpus: time a cold start
    started = time.perf_counter()
    office.convert(corpus["docx"][0].read_bytes(), "docx", office.DOCX)
    startup["LibreOffice start and first conversion (first .doc/.wps of a process)"] = time.perf_counter() - started
    with Image.open(corpus["image"][0]) as page:
        corner = page.crop((0, 0, page.width // 2, page.height // 8))
    started = time.perf_counter()
    ocr.read_page(corner)  # RapidOCR loads its models on first use
    startup["OCR engine and models load, first small read (first scan of a process)"] = time.perf_counter() - started
    timings = {}
    for kind, paths in corpus.items():
        rounds = 1 if kind in ("scanned pdf", "image") else ROUNDS
        extract_path(paths[0])  # warm-up: imports, caches
        timings[kind] = []
        for _ in range(rounds):
            for path in paths:
                started = time.perf_counter()
                extract_path(path)
                timings[kind].append(time.perf_counter() - started)
    return timings, startup


@dataclass
class Batch:
    seconds: float  # wall clock
    kinds: Counter  # documents by kind
    errors: int  # unreadable documents
    worker_cpu_seconds: float  # CPU time of the worker processes (and what they waited for), user + system


def time_batch(corpus: dict[str, list[Path]], workers: int) -> Batch:
    """BATCH_SIZE mixed documents on `workers` processes."""
    rng = random.Random(0)
    kinds = rng.choices(list(BATCH_MIX), weights=list(BATCH_MIX.values()), k=BATCH_SIZE)
    paths = [rng.choice(corpus[kind]) for kind in kinds]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    batch = extract_many(paths, workers=workers, memory_limit_mb=EXTRACT_MEMORY_LIMIT_MB, timeout=EXTRACT_TIMEOUT)
    errors = sum(isinstance(result, str) for _, result in batch)
    seconds = time.perf_counter() - started
    # The pool's workers have exited and been waited for when extract_many returns: their CPU time is counted here.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Batch(seconds, Counter(kinds), errors, cpu)


def machine() -> list[tuple[str, str]]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in LIBRARIES)
    soffice = subprocess.run(["soffice", "--version"], capture_output=True, text=True, timeout=60, check=True)
    poppler = subprocess.run(["pdftoppm", "-v"], capture_output=True, text=True, timeout=60, check=True)
    return [("CPU", cpu), ("cores", str(os.cpu_count())), ("Python", platform.python_version()),
            ("libraries", versions), ("LibreOffice", soffice.stdout.strip()), ("poppler", poppler.stderr.splitlines()[0]),
            ("load average before the run", " / ".join(f"{load:.2f}" for load in os.getloadavg()))]


def report(machine_facts, timings, startup, batch: Batch, workers, pages_scanned) -> str:
    seconds, kinds = batch.seconds, batch.kinds
    # What the same mix costs one document after another in one process, from the medians above.
    one_process = sum(statistics.median(timings[kind]) * count for kind, count in kinds.items())
    lines = [
        "# Extraction benchmarks",
        "",
        (f"Written by `make bench` (bench/extraction.py) on {datetime.date.today().isoformat()}. Documents: the "
         "replica's reports and the shared real report; .doc/.wps/.xls/.xlsx made from the replica's .docx, page "
         "images from its scanned PDF. The load average says whether other work shared the machine: timings on a "
         "busy machine are slower than the code."),
        "",
        "## Machine",
        "",
        *(f"- {name}: {value}" for name, value in machine_facts),
        "",
        "## Seconds per document, one process",
        "",
        "| format | documents timed | median | min | max | target (median) |",
        "|---|---|---|---|---|---|",
    ]
    for kind, values in timings.items():
        target = TARGETS.get(kind)
        verdict = f"≤ {target} s: {'met' if statistics.median(values) <= target else 'missed'}" if target else ""
        lines.append(f"| {kind} | {len(values)} | {statistics.median(values):.3f} | {min(values):.3f} | "
                     f"{max(values):.3f} | {verdict} |")
    scan_seconds = statistics.median(timings["scanned pdf"])
    image_seconds = statistics.median(timings["image"])
    lines += [
        "",
        ".doc and .wps are amortised: one soffice serves every file of the process; its start is listed below.",
        "",
        "## One-off costs per process",
        "",
        *(f"- {name}: {value:.2f} s" for name, value in startup.items()),
        "",
        "## OCR",
        "",
        (f"- scanned PDF ({pages_scanned} pages at {ocr.DPI} dpi, rasterised by pdftoppm -tiff): "
         f"{scan_seconds / pages_scanned:.2f} s per page"),
        f"- single page images: {image_seconds:.2f} s per page",
        "",
        f"## Batch: {BATCH_SIZE} mixed documents, {workers} worker processes",
        "",
        f"- mix: {', '.join(f'{count} {kind}' for kind, count in sorted(kinds.items(), key=lambda item: -item[1]))}",
        f"- {seconds:.1f} s wall: **{BATCH_SIZE / seconds * 60:.0f} documents per minute**; {batch.errors} unreadable",
        (f"- cores used: the workers' CPU time was {batch.worker_cpu_seconds:.1f} s, "
         f"{batch.worker_cpu_seconds / seconds:.2f} of the {os.cpu_count()} cores busy on average"),
        (f"- the same mix one after another in one process, from the medians above: {one_process:.1f} s "
         f"(the batch ran {one_process / seconds:.2f}× as fast; single-process OCR already uses every core)"),
        f"- load average after the run: {' / '.join(f'{load:.2f}' for load in os.getloadavg())}",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    machine_facts = machine()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        print("building the corpus …", flush=True)
        corpus = build_corpus(Path(folder))
        print("timing each format …", flush=True)
        timings, startup = time_formats(corpus)
        print(f"timing a batch of {BATCH_SIZE} on {args.workers} workers …", flush=True)
        batch = time_batch(corpus, args.workers)
    with pdfplumber.open(SCANNED_PDF) as scanned:
        pages_scanned = len(scanned.pages)
    text = report(machine_facts, timings, startup, batch, args.workers, pages_scanned)
    args.output.write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
