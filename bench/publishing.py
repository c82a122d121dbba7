"""Publishing at scale: build a synthetic database of many reports from the replica's fixture documents, then time
a Chinese full-text search and every canned query through Datasette's JSON API.

    .venv/bin/python -m bench.publishing [--reports 100000] [--db build/bench/publishing.db] [--runs 15]

The fixtures (zibo_kjj's .docx and zhangdian_kjj's HTML reports, 2018–2023) are extracted once with the production
extractor. Each synthetic report takes the fixture of its year and template, gets its own agency (a generated name,
region and level), its own topic sentences in the text, and its own numbers: applications tables that balance, carry
over from the previous year, and fail a check or break the carryover at realistic rates. Every report is written
with ReportDatabase.save_report, the crawl's own code path, so the build time is the real cost of writing that many
reports (extraction aside) and the database has every index, view and search index the crawl's has.

Writes its section of BENCHMARKS.md ("# Publishing benchmarks"), keeping the other benchmarks' sections.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import hashlib
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from datasette.utils.sqlite import sqlite3  # the SQLite Datasette and sqlite-utils use (pysqlite3)
from datasette.version import __version__ as datasette_version

from crawler.database import ReportDatabase
from crawler.extract import extract_path
from crawler.extract.checks import run_checks
from crawler.extract.vocabulary import APPLICANTS, FACT_KEYS, application_rows
from crawler.items import AttachmentLink, Capture, Document, ReportItem
from crawler.publish import COMMON_TERM_SECTIONS, METADATA_PATH, datasette_app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = [ROOT / f"replica/documents/zibo_kjj/zibo-kjj-{year}.docx" for year in range(2018, 2024)] + [
    ROOT / f"replica/documents/zhangdian_kjj/zhangdian-kjj-{year}.html" for year in range(2018, 2024)
]
YEARS = range(2018, 2024)
PROVINCES = ["山东省", "江苏省", "浙江省", "广东省", "河南省", "四川省", "湖北省", "湖南省", "河北省", "福建省",
             "安徽省", "江西省", "辽宁省", "陕西省", "山西省", "云南省", "贵州省", "甘肃省", "吉林省", "黑龙江省"]
CITY_SYLLABLES = ["安", "宁", "昌", "阳", "平", "兴", "德", "州", "山", "江", "临", "泉", "南", "东", "丰", "华",
                  "庆", "源", "通", "定", "远", "清", "新", "林"]
BUREAUS = ["人民政府", "人民政府办公室", "发展和改革局", "教育局", "科学技术局", "公安局", "民政局", "司法局",
           "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局",
           "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局",
           "统计局", "医疗保障局", "城市管理局", "行政审批服务局"]
# Topics the fixtures never mention, so that a search for one finds only the reports given it.
TOPICS = ["网络安全", "乡村振兴", "疫情防控", "安全生产", "生态环境保护", "住房公积金", "减税降费", "义务教育",
          "医疗保障", "养老服务", "住房保障", "食品药品安全", "重大建设项目", "财政预决算", "公共资源交易",
          "征地拆迁", "扶贫资金", "就业创业", "城市更新", "防汛抗旱", "农村人居环境", "知识产权保护",
          "政务服务", "信用体系建设", "人才引进", "河湖长制", "大气污染防治", "老旧小区改造", "数字政府",
          "招商引资", "文物保护", "校外培训治理", "燃气安全", "集体土地征收", "社会救助", "退役军人服务",
          "双随机一公开", "行政执法公示", "规范性文件清理", "电梯安全"]
# How an agency's requests were answered, row by row (denied and unavailable spread over their sub-rows).
OUTCOME_WEIGHTS = {"granted": 45, "partially_granted": 10, "denied": 8, "unavailable": 17, "not_processed": 8,
                   "other": 7}
CHECK_FAILURE_RATE = 0.04  # reports whose printed totals do not add up
CARRYOVER_BREAK_RATE = 0.03  # reports whose 上年结转 is not the previous report's 结转下年度
CHANGED_RATE = 0.01  # reports whose attachment is replaced after first publication
# A topic in just fewer sections than the search box's cut-off (crawler.publish.COMMON_TERM_SECTIONS): the most hits
# a search from the search box still counts and facets, so the slowest search it sends to the faceted page.
POPULAR_TOPIC = "一网通办"
POPULAR_TOPIC_SECTIONS = int(COMMON_TERM_SECTIONS * 0.95)


@dataclass
class SyntheticAgency:
    name: str
    region: str
    level: str
    size: float  # how many requests it typically receives
    carried_forward: dict = field(default_factory=dict)  # last report's 结转下年度 by applicant


def fixture_extractions() -> dict[int, list[dict]]:
    """The fixtures' contract JSON by report year."""
    by_year: dict[int, list[dict]] = {}
    for path in FIXTURES:
        extraction = extract_path(path)
        by_year.setdefault(extraction["year"], []).append(extraction)
    return by_year


def synthetic_agencies(count: int, rng: random.Random) -> list[SyntheticAgency]:
    """`count` distinct agencies: county-level bureaus mostly, city and province ones too."""
    agencies, names = [], set()
    while len(agencies) < count:
        province = rng.choice(PROVINCES)
        city = "".join(rng.sample(CITY_SYLLABLES, 2)) + "市"
        district = "".join(rng.sample(CITY_SYLLABLES, 2)) + rng.choice(["区", "县"])
        bureau = rng.choice(BUREAUS)
        level = rng.choices(["区县级", "市级", "省级"], weights=[80, 17, 3])[0]
        if level == "区县级":
            name, region = f"{city}{district}{bureau}", f"{province}{city}{district}"
        elif level == "市级":
            name, region = f"{city}{bureau}", f"{province}{city}"
        else:
            name, region = f"{province}{bureau.replace('局', '厅')}", province
        if name in names:
            continue
        names.add(name)
        agencies.append(SyntheticAgency(name, region, level, size=rng.lognormvariate(2.0, 1.2)))
    return agencies


def _split(total: int, weights: dict[str, float], rng: random.Random) -> dict[str, int]:
    """`total` spread at random over the keys of `weights`, in proportion to them."""
    keys = list(weights)
    counts = dict.fromkeys(keys, 0)
    for key in rng.choices(keys, weights=[weights[k] for k in keys], k=total):
        counts[key] += 1
    return counts


def synthetic_applications(template: str, agency: SyntheticAgency, rng: random.Random) -> list[dict]:
    """A balanced applications table for `agency` in `template`, continuing its previous 结转下年度 (or not, at the
    break rate), with printed totals that fail a check at the failure rate."""
    rows = application_rows(single_other=template == "2019")
    outcome_rows = rows[rows.index("granted"): rows.index("total")]
    weights = {row: OUTCOME_WEIGHTS[row.split(".")[0]] / sum(r.split(".")[0] == row.split(".")[0]
                                                             for r in outcome_rows) for row in outcome_rows}
    columns = {applicant: {} for applicant in APPLICANTS[:-1]}
    applicant_shares = {"natural_person": 80, "commercial": 10, "research": 1, "social_welfare": 1,
                        "legal_service": 3, "other_org": 5}
    received = _split(int(agency.size * rng.uniform(0.5, 1.5)), applicant_shares, rng)
    for applicant, cells in columns.items():
        carried_over = agency.carried_forward.get(applicant, 0)
        if rng.random() < CARRYOVER_BREAK_RATE:
            carried_over += rng.randint(1, 3)
        open_requests = received[applicant] + carried_over
        carried_forward = rng.randint(0, open_requests // 10)
        cells.update(_split(open_requests - carried_forward, weights, rng))
        cells.update(new_received=received[applicant], carried_over=carried_over, carried_forward=carried_forward,
                     total=open_requests - carried_forward)
    agency.carried_forward = {applicant: cells["carried_forward"] for applicant, cells in columns.items()}
    columns["total"] = {row: sum(cells[row] for cells in columns.values()) for row in rows}
    if rng.random() < CHECK_FAILURE_RATE:
        columns["total"]["total"] += rng.choice([-2, -1, 1, 3])
    return [{"row": row, "applicant": applicant, "value": cells[row], "raw": str(cells[row])}
            for row in rows for applicant, cells in columns.items()]


def synthetic_review_litigation(rng: random.Random) -> list[dict]:
    facts = []
    for proceeding in ("review", "litigation_direct", "litigation_after_review"):
        outcomes = {outcome: rng.choice([0, 0, 0, 0, 1, 2]) for outcome in ("upheld", "corrected", "other", "pending")}
        outcomes["total"] = sum(outcomes.values())
        facts += [{"proceeding": proceeding, "outcome": outcome, "value": value, "raw": str(value)}
                  for outcome, value in outcomes.items()]
    return facts


def synthetic_extraction(base: dict, agency: SyntheticAgency, year: int, rng: random.Random,
                         popular_rate: float = 0.0) -> dict:
    """The fixture `base` rewritten as `agency`'s `year` report: its name in the text, its own topics and numbers;
    POPULAR_TOPIC among them at `popular_rate`."""
    topics = "、".join(rng.sample(TOPICS, 2) + ([POPULAR_TOPIC] if rng.random() < popular_rate else []))
    sections = []
    for section in base["sections"]:
        text = section["text"].replace(base["agency"], agency.name)
        if section["number"] == 1:
            text += f"\n本年度重点公开了{topics}等方面的政府信息。"
        sections.append({**section, "text": text})
    extraction = {**base, "agency": agency.name, "title": f"{agency.name}{year}年政府信息公开工作年度报告",
                  "year": year, "sections": sections, "warnings": []}
    if base["template"]:
        extraction["active_disclosure"] = [
            {**fact, "value": (value := rng.randint(0, 40)), "raw": str(value)} for fact in base["active_disclosure"]
        ]
        extraction["applications"] = synthetic_applications(base["template"], agency, rng)
        extraction["review_litigation"] = synthetic_review_litigation(rng)
        extraction["checks"], _ = run_checks(extraction["applications"], extraction["review_litigation"])
    return extraction


def synthetic_report(agency: SyntheticAgency, year: int, extraction: dict, number: int, version: int = 1) -> ReportItem:
    published = f"{year + 1}-{1 + number % 3:02d}-{1 + number % 28:02d}"
    fetched_at = f"{published}T08:00:00+00:00"
    page_url = f"http://www.example.gov.cn/{number // 1000}/art_{number}.html"
    page = Capture(page_url, page_url, 200, {"Content-Type": ["text/html"]}, b"<html></html>", fetched_at)
    attachment_sha = hashlib.sha256(f"{number}/{version}".encode()).hexdigest()
    attachment = Document(
        link=AttachmentLink(page_url.replace(".html", ".docx"), extraction["title"]),
        capture=Capture(page_url, page_url, 200, {}, b"PK", fetched_at),
        filename=extraction["title"] + ".docx",
        sha256=attachment_sha,
        kind="docx",
        extraction=extraction,
    )
    item = ReportItem(
        spider="bench", agency=agency.name, title=extraction["title"], year=year, page_url=page_url,
        published=published, page=page, documents=[attachment], region=agency.region, level=agency.level,
    )
    item.page_document.sha256 = hashlib.sha256(page_url.encode()).hexdigest()
    return item


def build(db_path: Path, report_count: int, seed: int = 5) -> dict:
    """Write `report_count` synthetic reports (six years per agency) into a new database; return build stats."""
    rng = random.Random(seed)
    bases = fixture_extractions()
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        path.unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    agencies = synthetic_agencies(-(-report_count // len(YEARS)), rng)
    started = time.perf_counter()
    database = ReportDatabase(db_path)
    written = 0
    for year in YEARS:
        for agency in agencies:
            if written == report_count:
                break
            extraction = synthetic_extraction(rng.choice(bases[year]), agency, year, rng,
                                              popular_rate=min(1.0, POPULAR_TOPIC_SECTIONS / report_count))
            database.save_report(synthetic_report(agency, year, extraction, written))
            if rng.random() < CHANGED_RATE:
                database.save_report(synthetic_report(agency, year, extraction, written, version=2),
                                     seen_at=f"{year + 1}-06-30T08:00:00+00:00")
            written += 1
    counts = {
        "facts": sum(database.db[table].count for table in FACT_KEYS),
        "sections": database.db["sections"].count,
    }
    database.close()
    seconds = time.perf_counter() - started
    return {"reports": written, "agencies": len(agencies), "seconds": seconds, "bytes": db_path.stat().st_size,
            **counts}


def benchmark_requests(topic: str) -> dict[str, str]:
    """What is timed, by name: the searches and every canned query, as JSON API paths."""
    search = "/reports/report_text.json?_search="
    return {
        f"全文检索：主题词“{topic}”（约 5% 的报告）": search + topic,
        "全文检索：机关名称片段“人力资源”": search + "人力资源",
        "全文检索：几乎每份报告都有的“政府信息公开”": search + "政府信息公开",
        "全文检索：“政府信息公开”，筛选 2022 年度、区县级": search + "政府信息公开&year=2022&level=区县级",
        "检索框：几乎每份报告都有的“政府信息公开”（转到快速检索）": "/-/search?q=政府信息公开",
        "检索框：两个几乎每份报告都有的词“政府信息公开 主动公开”（转到快速检索）": "/-/search?q=政府信息公开 主动公开",
        "检索框：一两个字的词“复议 纠正”（转到快速检索）": "/-/search?q=复议 纠正",
        f"检索框：主题词“{topic}”（转到全文检索，含分面）": f"/-/search?q={topic}",
        f"检索框：约 {POPULAR_TOPIC_SECTIONS:,} 节都有的“{POPULAR_TOPIC}”（快速检索门槛以下最多的命中，转到全文检索）":
            f"/-/search?q={POPULAR_TOPIC}",
        "search_characters：一个字“诉”": "/reports/search_characters.json?q=诉",
        "search_characters：两个字“复议”": "/reports/search_characters.json?q=复议",
        "checks_failed": "/reports/checks_failed.json",
        "top_agencies（全部年度）": "/reports/top_agencies.json?year=",
        "top_agencies（year=2022）": "/reports/top_agencies.json?year=2022",
        "rates_by_year": "/reports/rates_by_year.json",
        "outcomes_by_year": "/reports/outcomes_by_year.json",
        "carryover_breaks": "/reports/carryover_breaks.json",
        "changed_reports": "/reports/changed_reports.json",
        "new_reports": "/reports/new_reports.json",
        "new_reports.atom": "/reports/new_reports.atom",
        "failed_documents": "/reports/failed_documents.json",
        "报告表：筛选 2022 年度、区县级、核验未通过": "/reports/reports.json?year=2022&level=区县级&check_status=failed",
        "核验表：未通过的": "/reports/checks.json?passed=0",
        # Every page the home page links to, as a reader first opens it: its first rows, count and facets.
        **{f"表：{table}（{spec['title']}）": f"/reports/{table}.json" for table, spec in published_tables().items()},
    }


def published_tables() -> dict[str, dict]:
    """The tables and views the home page lists (datasette_metadata.json), by name."""
    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    return {name: spec for name, spec in metadata["databases"]["reports"]["tables"].items() if not spec.get("hidden")}


@dataclass
class Timing:
    median_ms: float
    rows: int | None  # search hits (all of them, not one page) or rows returned


def time_requests(db_path: Path, requests: dict[str, str], runs: int) -> dict[str, Timing]:
    """The median milliseconds of each request through Datasette's ASGI app (after one warm-up request each)."""
    datasette = datasette_app(db_path, db_path.parent)

    async def fetch(path: str):
        response = await datasette.client.get(path)
        if response.status_code == 302:  # the search box: its redirect, then the JSON of the page it sends to
            target = urlsplit(response.headers["location"])
            response = await datasette.client.get(f"{target.path}.json?{target.query}")
        return response

    async def run() -> dict[str, Timing]:
        timings = {}
        for name, path in requests.items():
            response = await fetch(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
            rows = None
            if response.headers["content-type"].startswith("application/json"):
                data = response.json()
                rows = data.get("filtered_table_rows_count", len(data["rows"]))
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                await fetch(path)
                times.append((time.perf_counter() - started) * 1000)
            timings[name] = Timing(statistics.median(times), rows)
        return timings

    return asyncio.run(run())


def report_section(stats: dict, timings: dict[str, Timing], runs: int, target_ms: float, load: str) -> str:
    """The Publishing section of BENCHMARKS.md."""
    per_report = stats["seconds"] / stats["reports"] * 1000
    lines = [
        SECTION_HEADING,
        "",
        f"Written by `python -m bench.publishing` (`make bench`) on {datetime.date.today()}: a synthetic database "
        "built from the replica's fixture reports (see the module's docstring), then every request below through "
        f"Datasette's JSON API (in-process ASGI client, {runs} timed runs after one warm-up, median). "
        f"Target: ≤ {target_ms:.0f} ms.",
        "",
        f"- machine: {os.cpu_count()} cores, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Datasette {datasette_version}; load average before the run: {load}",
        f"- database: {stats['reports']:,} reports of {stats['agencies']:,} agencies (2018–2023), "
        f"{stats['facts']:,} table facts, {stats['sections']:,} sections; {stats['bytes'] / 2**30:.2f} GiB",
        f"- build: {stats['seconds'] / 60:.1f} min, {per_report:.1f} ms per report through ReportDatabase.save_report "
        "(the crawl's own write path, with every index, trigger, search index and the carryover check; extraction "
        "not included)",
        "",
        "| request | hits / rows | median ms | target |",
        "|---|---:|---:|---|",
    ]
    for name, timing in timings.items():
        verdict = "met" if timing.median_ms <= target_ms else "**over**"
        rows = f"{timing.rows:,}" if timing.rows is not None else ""
        lines.append(f"| {name} | {rows} | {timing.median_ms:.1f} | {verdict} |")
    lines += ["", SECTION_NOTES]
    return "\n".join(lines) + "\n"


SECTION_HEADING = "# Publishing benchmarks"
SECTION_NOTES = """A full-text search answers with its first page of hits, their total count and five facets (year,
region, level, template, check status) over all of them, so its time grows with the number of hits, by some 20 µs
a hit. A term that narrows the archive (a topic, an agency, a place: a few thousand hits) is answered within the
target; a term printed in nearly every report (template wording such as 政府信息公开: hundreds of thousands of hits)
takes seconds, and filtering by a facet does not make it faster, because SQLite collects every hit from the index
before it filters; facets that exceed Datasette's 200 ms facet limit are left out of such a page. search_characters
stops at 200 hits and needs no count, so it is fast for any term, and it is how one- and two-character terms are
found. The search box on the home page (/-/search; timed as its redirect, then the JSON of the page it sends to)
sends words found together in more than crawler.publish.COMMON_TERM_SECTIONS sections (7,000: the most hits the
faceted search answers within the target), and any word shorter than three characters, to search_characters, and
everything else to the faceted search, so what a reader types there is answered within the target; the
“快速检索门槛以下” row times the faceted search at just under that cut-off.

The table pages are timed as a reader first opens them from the home page. Unfiltered tables show the row counts
taken once when the server starts (the database is immutable); their facets are counted on every request, which is
what the report_text page (five facets over 600,000 sections) and a filtered reports page spend their time on."""


def write_section(path: Path, section: str) -> None:
    """Put `section` into the Markdown file at `path`, replacing this benchmark's earlier section and keeping the
    other benchmarks' sections (every section starts with a top-level heading)."""
    heading = section.splitlines()[0]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find(heading)
    if start < 0:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    else:
        following = text.find("\n# ", start + len(heading))
        text = text[:start] + section + ("\n" + text[following + 1:] if following >= 0 else "")
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=ROOT / "build/bench/publishing.db")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per request (default: %(default)s)")
    parser.add_argument("--target-ms", type=float, default=200.0)
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--reuse", action="store_true",
                        help="time the database an earlier run built at --db (its build figures are kept beside it)")
    args = parser.parse_args(argv)

    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    stats_path = args.db.with_suffix(".build.json")
    if args.reuse:
        stats = json.loads(stats_path.read_text(encoding="utf-8"))
    else:
        print(f"building {args.reports:,} synthetic reports into {args.db} …", flush=True)
        stats = build(args.db, args.reports)
        stats_path.write_text(json.dumps(stats), encoding="utf-8")
    timings = time_requests(args.db, benchmark_requests(topic=TOPICS[0]), args.runs)
    section = report_section(stats, timings, args.runs, args.target_ms, load)
    write_section(args.output, section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
