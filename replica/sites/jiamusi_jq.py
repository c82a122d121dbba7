"""佳木斯市郊区 — a district portal on EmpireCMS (帝国CMS), a CMS no platform base knows: the generic crawl's site.

Generated from a seed: 33 publishing bodies (the district, its offices and bureaus, its towns), each with 0–6
annual reports for 2019–2024 on the national templates, published as the page's HTML, as .docx, or as .pdf (with
or without the .docx); their numbers are a consistent series per body, derived from a real report (seed 000).
The district's own reports are 关于印发…的通知 of its government office. Beside them: the bodies' notices and
政务公开工作要点, each year's 汇总 page linking that year's reports, the notice asking for the reports, and a few
reports filed only in their body's 部门信息公开 column (which the 年报 column does not list).

`ground_truth()` is every report: (agency, year, page URL).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import random
import threading
from pathlib import Path

from replica.documents.build import DOCUMENTS_DIR
from replica.documents.facts import facts_from_expected
from replica.documents.html import render_html
from replica.documents.pdf import PDF, convert
from replica.documents.prose import prose_from_seed_text, shift_years
from replica.documents.series import derive_series
from replica.documents.sites import SEEDS_DIR
from replica.documents.word import ReportSpec, render_docx
from replica.platforms.empirecms import Column, EmpireCmsSite, Entry

HOST = "www.jmsjq.gov.cn"
DISTRICT = "佳木斯市郊区"
SEED = "jiamusi-jq-1"  # everything random below comes from this
YEARS = range(2019, 2025)
REPORT_SEED = SEEDS_DIR / "seed-000-zibo-kjj-2020"
# Documents LibreOffice makes are cached here by the Word file's hash (git-ignored; made on first request).
PDF_CACHE = DOCUMENTS_DIR / ".cache" / "jiamusi_jq"

_OFFICES = ["人民政府办公室", "发展和改革局", "教育局", "科学技术和工业信息化局", "公安分局", "民政局", "司法局", "财政局",
            "人力资源和社会保障局", "自然资源局", "生态环境分局", "住房和城乡建设局", "交通运输局", "农业农村局", "水务局",
            "商务局", "文化广电和旅游局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局",
            "统计局", "医疗保障局"]
_TOWNS = ["长发镇", "敖其镇", "大来镇", "望江镇", "莲江口镇", "西格木乡", "沿江乡", "群胜乡"]
BODIES = [DISTRICT] + [DISTRICT + office for office in _OFFICES] + [f"{DISTRICT}{town}人民政府" for town in _TOWNS]
# How a report is published: the page's HTML, or attachments.
_FORMATS = {(): 8, (".docx",): 8, (".docx", ".pdf"): 1, (".pdf",): 1}
_FILED_IN_ITS_COLUMN_ONLY = 0.05  # share of reports the 年报 column does not list


def report_title(body: str, year: int) -> str:
    title = f"{body}{year}年政府信息公开工作年度报告"
    if body == DISTRICT:  # the district's report is published by its government office, as a notice
        return f"{DISTRICT}人民政府办公室关于印发{title}的通知"
    return title


class Documents:
    """The reports' bytes, made when first asked for: HTML and Word in memory, PDF through LibreOffice, all the
    site's PDFs in one run, cached on disk."""

    def __init__(self, pdf_reports: list[tuple[str, int]]):
        self.pdf_reports = pdf_reports
        self._warming, self._making = threading.Lock(), threading.Lock()
        self._warmed = False
        seed = json.loads(REPORT_SEED.with_suffix(".expected.json").read_text("utf-8"))
        self.seed_facts = facts_from_expected(seed)
        self.seed_prose = prose_from_seed_text(REPORT_SEED.with_suffix(".txt").read_text("utf-8"))

    @functools.cache
    def series(self, body: str):
        return derive_series(self.seed_facts, YEARS, key=f"{SEED}-{body}")

    def spec(self, body: str, year: int) -> ReportSpec:
        return ReportSpec(body, year, self.series(body)[year], shift_years(self.seed_prose, year - self.seed_facts.year))

    @functools.cache
    def word(self, body: str, year: int) -> bytes:
        return render_docx(self.spec(body, year))

    def __call__(self, report: tuple[str, int], suffix: str) -> bytes:
        if suffix == ".html":
            return render_html(self.spec(*report))
        if suffix == ".docx":
            return self.word(*report)
        self.make_pdfs()
        return self._pdf_path(report).read_bytes()

    def warm_up(self) -> None:
        """Start making the PDFs in the background (the first crawl's lists come before its files): a LibreOffice
        run takes longer than a crawl waits for one download."""
        with self._warming:
            if self._warmed:
                return
            self._warmed = True
        threading.Thread(target=self.make_pdfs, name="jiamusi-pdfs", daemon=True).start()

    def _pdf_path(self, report: tuple[str, int]) -> Path:
        return PDF_CACHE / f"{hashlib.sha256(self.word(*report)).hexdigest()[:32]}.pdf"

    def make_pdfs(self) -> None:
        """Every PDF of the site, made once (one LibreOffice run for those not cached yet)."""
        with self._making:
            self._make_missing_pdfs()

    def _make_missing_pdfs(self) -> None:
        sources = PDF_CACHE / "source"
        sources.mkdir(parents=True, exist_ok=True)
        missing = [report for report in self.pdf_reports if not self._pdf_path(report).exists()]
        if not missing:
            return
        for report in missing:
            (sources / self._pdf_path(report).with_suffix(".docx").name).write_bytes(self.word(*report))
        convert([sources / self._pdf_path(report).with_suffix(".docx").name for report in missing], PDF_CACHE, PDF)


def _published(rng: random.Random, year: int) -> datetime.datetime:
    return datetime.datetime(year, rng.randint(1, 3), rng.randint(1, 28), rng.randint(8, 17), rng.randint(0, 59))


def _notice_titles(body: str, year: int) -> list[str]:
    return [f"{body}{year}年政务公开工作要点", f"{body}关于开展{year}年度安全生产大检查的通知"]


def site() -> EmpireCmsSite:
    rng = random.Random(SEED)
    ids = iter(range(1201, 100000))
    year_columns = {year: Column(20 + year - YEARS.start + 1, f"{year}年度年报") for year in YEARS}
    body_columns = {body: Column(31 + i, body.removeprefix(DISTRICT) or "区政府") for i, body in enumerate(BODIES)}
    reports, pdf_reports = [], []
    for body in BODIES:
        years = sorted(rng.sample(YEARS, rng.choice([0, 1, 2, 3, 4, 5, 6, 6])))
        for year in years:
            files = rng.choices(list(_FORMATS), weights=list(_FORMATS.values()))[0]
            only_in_its_column = rng.random() < _FILED_IN_ITS_COLUMN_ONLY
            column = body_columns[body] if only_in_its_column else year_columns[year]
            entry = Entry(next(ids), column.classid, report_title(body, year), _published(rng, year + 1), body,
                          body_html="" if not files else f"<p>现将{report_title(body, year)}予以公开，全文见附件。</p>",
                          files=files, report=(body, year))
            column.entries.append(entry)
            if column is not body_columns[body]:
                body_columns[body].entries.append(entry)
            reports.append(entry)
            if ".pdf" in files:
                pdf_reports.append((body, year))
        for year in rng.sample(YEARS, 2):
            for title in _notice_titles(body, year):
                body_columns[body].entries.append(Entry(next(ids), body_columns[body].classid, title,
                                                        _published(rng, year), body, f"<p>{title}，详见正文。</p>"))
    for year, column in year_columns.items():
        listed = list(column.entries)
        column.entries.append(Entry(next(ids), column.classid, f"{DISTRICT}{year}年度政府信息公开工作年度报告汇总",
                                    _published(rng, year + 1), f"{DISTRICT}人民政府办公室",
                                    "<p>本区各单位年度报告如下：</p>", links=listed))
        column.entries.append(Entry(next(ids), column.classid,
                                    f"关于做好{year}年度政府信息公开工作年度报告编制发布工作的通知",
                                    datetime.datetime(year, 12, 20, 9, 0), f"{DISTRICT}人民政府办公室",
                                    "<p>各单位：请于次年1月31日前发布本单位政府信息公开工作年度报告。</p>"))
    news = Column(2, "新闻动态", [Entry(next(ids), 2, title, datetime.datetime(2024, 3, day, 9, 0), DISTRICT,
                                       f"<p>{title}。</p>")
                                 for day, title in enumerate(["郊区召开2024年安全生产工作会议", "郊区开展春季植树活动",
                                                              "郊区举办招商引资推介会"], start=4)])
    guide = Column(10, "政府信息公开指南", [Entry(next(ids), 10, f"{DISTRICT}政府信息公开指南",
                                                 datetime.datetime(2022, 5, 6, 9, 0), DISTRICT, "<p>指南正文。</p>")])
    annual = Column(20, "政府信息公开年报", subcolumns=list(year_columns.values()))
    departments = Column(30, "部门信息公开", subcolumns=list(body_columns.values()))
    return EmpireCmsSite(HOST, f"{DISTRICT}人民政府", [guide, annual, departments],
                         [Column(1, "走进郊区"), news], Documents(pdf_reports))


def ground_truth() -> list[tuple[str, int, str]]:
    """Every report of the site: (agency, year, page URL)."""
    entries = {entry.path: entry for column in site().columns() for entry in column.entries if entry.report}
    return sorted((*entry.report, f"http://{HOST}{path}") for path, entry in entries.items())
