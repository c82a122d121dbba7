"""The sites whose report documents the replica serves: one short declaration per site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import SHARED_DIR
from .facts import TITLE_WORDING, PrintStyle

SEEDS_DIR = SHARED_DIR / "seeds"

# The files a report can be published as, and their names' endings (<file_stem>-<year><ending>).
FORMAT_SUFFIXES = {
    "docx": ".docx",
    "pdf": ".pdf",  # LibreOffice's PDF of the Word report: a text layer
    "scanned-pdf": ".pdf",  # that PDF printed and scanned: page images only, no text layer
    "html": ".html",  # the report body as the site's page shows it (a fragment)
    "doc": ".doc",  # Word 97 binary
    "wps": ".wps",  # Kingsoft WPS Writer: the same OLE2 / Word 97 binary layout
    "infographic": "-tujie.png",  # the （图解） poster beside the report; no expected facts
}


@dataclass(frozen=True)
class SiteReports:
    """One agency's annual reports in the replica.

    `seed` names a real report of the agency: <seed>.txt gives the prose of every year, <seed>.expected.json the
    exact numbers (and cell texts) of its year; the other years' numbers are derived from it. `years` are the
    reports on the national templates; `pre_template_year` adds one free-form report from before them.
    """

    spider: str  # the spider's name; also the folder the documents are written to
    agency: str
    file_stem: str  # documents are <file_stem>-<year>.docx / .pdf / … / .expected.json
    years: range
    seed: Path
    formats: tuple[str, ...] = ("docx", "pdf")  # how a year's report is published (keys of FORMAT_SUFFIXES)
    formats_in: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (year, formats) for years published otherwise
    pre_template_year: int | None = None
    wording: str = TITLE_WORDING  # the title after the year
    style: PrintStyle = PrintStyle()  # how the derived years print their numbers
    # The one year whose 上年结转 deliberately differs from the previous report's 结转下年度, and the sentence
    # (above the applications table) by which the report explains it: {previous} year, {handed_over} applications.
    carryover_break: int | None = None
    carryover_break_note: str = ""

    @property
    def all_years(self) -> list[int]:
        return ([self.pre_template_year] if self.pre_template_year else []) + list(self.years)

    def formats_of(self, year: int) -> tuple[str, ...]:
        return dict(self.formats_in).get(year, self.formats)

    def path(self, year: int, format: str) -> Path:
        """Where the year's report in `format` is written (relative to replica/documents/)."""
        return Path(self.spider) / f"{self.file_stem}-{year}{FORMAT_SUFFIXES[format]}"

    def word_source(self, year: int) -> Path | None:
        """The Word report the year's other files are made from: the published .docx, else a copy kept in
        source/ (so a rebuild can tell what changed); None for a report published as HTML only."""
        formats = self.formats_of(year)
        if "docx" in formats:
            return self.path(year, "docx")
        if {"pdf", "scanned-pdf", "doc", "wps"} & set(formats):
            return Path(self.spider) / "source" / f"{self.file_stem}-{year}.docx"
        return None


SITES = (
    SiteReports(
        spider="zibo_kjj",
        agency="淄博市科学技术局",
        file_stem="zibo-kjj",
        years=range(2019, 2024),
        seed=SEEDS_DIR / "seed-000-zibo-kjj-2020",
        pre_template_year=2018,
    ),
    # A Hanweb 信息公开 annual-report module: the report is the page's HTML, no attachment. The clerk left the
    # zeros of the 办理结果 rows blank in two years.
    SiteReports(
        spider="zhangdian_kjj",
        agency="张店区科学技术局",
        file_stem="zhangdian-kjj",
        years=range(2019, 2024),
        seed=SEEDS_DIR / "seed-001-zhangdian-kjj-2023",
        formats=("html",),
        pre_template_year=2018,
        style=PrintStyle(blank_zero_years=(2020, 2022)),
    ),
    # PDF attachments only; the 2019 report was printed, stamped and scanned.
    SiteReports(
        spider="guyuan_kjj",
        agency="固原市科学技术局",
        file_stem="guyuan-kjj",
        years=range(2019, 2023),
        seed=SEEDS_DIR / "seed-002-guyuan-kjj-2020",
        formats=("pdf",),
        formats_in=((2019, ("scanned-pdf",)),),
        pre_template_year=2017,
    ),
    # Word and PDF of every report; the 2021 report also as a （图解） poster.
    SiteReports(
        spider="yanzhou_kjj",
        agency="济宁市兖州区科学技术局",
        file_stem="yanzhou-kjj",
        years=range(2020, 2024),
        seed=SEEDS_DIR / "seed-003-yanzhou-kjj-2021",
        formats_in=((2021, ("docx", "pdf", "infographic")),),
        pre_template_year=2018,
    ),
    # Old binary Word files, .doc and .wps in turn; signed 本年增/减 and 万元 amounts as in its real 2020 report.
    # The 2020 year-end reorganisation (told in the seed) handed pending applications over: the 2021 report's
    # 上年结转 is not the 2020 report's 结转下年度.
    SiteReports(
        spider="zibo_gxq",
        agency="淄博高新技术产业开发区",
        file_stem="zibo-gxq",
        years=range(2019, 2023),
        seed=SEEDS_DIR / "seed-004-zibo-gxq-2020",
        formats=("doc",),
        formats_in=((2019, ("wps",)), (2021, ("wps",))),
        pre_template_year=2018,
        wording="政府信息公开年度报告",
        style=PrintStyle(signed_changes=True, amount_unit="万元"),
        carryover_break=2021,
        carryover_break_note=(
            "{previous}年底高新区机构改革后，原有关部门尚未办结的政府信息公开申请{handed_over}件移交管委会办公室继续办理，"
            "计入本年度“上年结转政府信息公开申请数量”，因此该项数据与{previous}年度报告“结转下年度继续办理”数据不一致。"
        ),
    ),
)
