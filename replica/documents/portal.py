"""Reports of a portal's many bodies, made when the replica serves them rather than committed: one generated
series per body, deterministic from the body's code and the year.

Every body's series is derived (series.derive_series) from one real report, seed 001 (张店区科学技术局 2023, a
report of the Hanweb annual-report module), its prose told by the body and its district (prose.renamed).
"""

from __future__ import annotations

import json
from functools import cache

from .facts import ReportFacts, facts_from_expected
from .html import render_html
from .prose import ReportProse, prose_from_seed_text, renamed, shift_years
from .series import derive_series
from .sites import SEEDS_DIR
from .word import ReportSpec

SEED = SEEDS_DIR / "seed-001-zhangdian-kjj-2023"
SEED_AGENCY, SEED_DISTRICT = "张店区科学技术局", "张店区"
# The years a portal body may report on: the national templates' years up to the latest report.
YEARS = range(2019, 2025)


@cache
def _seed() -> tuple[ReportFacts, ReportProse]:
    facts = facts_from_expected(json.loads(SEED.with_suffix(".expected.json").read_text("utf-8")))
    return facts, prose_from_seed_text(SEED.with_suffix(".txt").read_text("utf-8"))


@cache
def _series(code: str) -> dict[int, ReportFacts]:
    """A body's facts for every year of YEARS, consecutive years carrying over."""
    return derive_series(_seed()[0], YEARS, key=code)


def report_spec(agency: str, district: str, code: str, year: int) -> ReportSpec:
    """The report of the body `agency` (of `district`, known by `code`) on `year`."""
    seed_facts, seed_prose = _seed()
    prose = renamed(shift_years(seed_prose, year - seed_facts.year), {SEED_AGENCY: agency, SEED_DISTRICT: district})
    return ReportSpec(agency, year, _series(code)[year], prose)


def report_html(agency: str, district: str, code: str, year: int) -> str:
    """The report as the annual-report module's page shows it: a Word-exported HTML fragment."""
    return render_html(report_spec(agency, district, code, year)).decode()
