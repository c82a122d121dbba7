"""Crawl benchmark: `make bench` (python -m bench.crawl) crawls the whole replica web — every row of sites.csv, the
multi-agency portals included — into a fresh archive, and writes its section of BENCHMARKS.md ("# Crawl
benchmarks"): reports per minute and requests per report, per site and in all.

Politeness stays per host (robots.txt, CONCURRENT_REQUESTS_PER_DOMAIN); AutoThrottle is off as for `make demo`,
since the replica answers from this machine and its delays would measure nothing. Many hosts crawl at once up to
the global CONCURRENT_REQUESTS.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from bench.publishing import write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION_HEADING = "# Crawl benchmarks"
SETTINGS = {"AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_TIMEOUT": "10", "LOG_LEVEL": "WARNING"}


def crawl_replica(workdir: Path) -> tuple[float, dict[str, dict], list[dict]]:
    """(seconds, the printed summary of each site, every request the replica answered) of one whole crawl."""
    archive, log = workdir / "archive", workdir / "replica-requests.jsonl"
    command = [sys.executable, "-m", "crawler", "crawl", "--replica", "--archive", str(archive), "--replica-log",
               str(log)]
    for name, value in SETTINGS.items():
        command += ["-s", f"{name}={value}"]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    summaries = {s["spider"]: s for s in map(json.loads, (line for line in result.stdout.splitlines()
                                                          if line.startswith('{"spider": ')))}
    if not summaries:
        raise SystemExit(f"the crawl printed no summary (exit {result.returncode}):\n{result.stderr[-3000:]}")
    requests = [json.loads(line) for line in log.open(encoding="utf-8")] if log.exists() else []
    return seconds, summaries, requests


def report_section(seconds: float, summaries: dict[str, dict], requests: list[dict], load: str) -> str:
    by_host = Counter(urlsplit(request["url"]).hostname for request in requests)
    reports = sum(s["reports"] for s in summaries.values())
    settings = ", ".join(f"{name}={value}" for name, value in SETTINGS.items())
    lines = [
        SECTION_HEADING,
        "",
        f"Written by `make bench` (bench/crawl.py) on {datetime.date.today().isoformat()}: the whole replica web, "
        f"every row of sites.csv, crawled once into a fresh archive with {settings} (politeness per host otherwise "
        f"as configured). Load average at the start: {load}. {os.cpu_count()} cores.",
        "",
        "| | value |",
        "|---|---|",
        f"| sites (rows) | {len(summaries)} |",
        f"| reporting bodies | {sum(s.get('bodies', 0) for s in summaries.values())} |",
        f"| reports | {reports} |",
        f"| documents (attachments) | {sum(s['documents'] for s in summaries.values())} |",
        f"| requests the replica answered | {len(requests)} (robots.txt and browser requests included) |",
        f"| hosts | {len(by_host)} |",
        f"| wall time | {seconds:.0f} s |",
        f"| reports per minute | {reports / seconds * 60:.0f} |",
        f"| requests per report | {len(requests) / reports:.2f} |",
        "",
        "| site | bodies | reports | documents | failures |",
        "|---|---|---|---|---|",
    ]
    for name, summary in sorted(summaries.items()):
        failures = ", ".join(f"{kind} {count}" for kind, count in summary["failures"].items()) or "none"
        lines.append(f"| {name} | {summary.get('bodies', '')} | {summary['reports']} | {summary['documents']} | "
                     f"{failures} |")
    lines += ["", "The failures are the ones the replica plays on purpose (see replica/sites/)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    workdir = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    try:
        seconds, summaries, requests = crawl_replica(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    section = report_section(seconds, summaries, requests, load)
    write_section(args.output, section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
