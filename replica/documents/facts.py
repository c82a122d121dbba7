"""The numbers of a report's three tables, keyed as in ../shared/report-format/vocabulary.json.

The layouts below list every fact of each national template in the order the template prints it, so the
expected.json files, the Word tables and the tests all walk the facts in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

Number = int | float

# (clause, items, metrics) in printed order. The 2019 template prints 上一年项目数量/本年增/减 for the
# 第二十条 items and a （九）项 政府集中采购 block; the 2021 template prints only this year's counts.
ACTIVE_DISCLOSURE_LAYOUT: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]] = {
    "2019": (
        ("20.1", ("rules", "normative_documents"), ("new_made", "new_published", "total_published")),
        ("20.5", ("licensing", "other_services"), ("prev_items", "change", "decisions")),
        ("20.6", ("penalty", "coercion"), ("prev_items", "change", "decisions")),
        ("20.8", ("fees",), ("prev_items", "change")),
        ("20.9", ("procurement",), ("purchase_items", "purchase_amount")),
    ),
    "2021": (
        ("20.1", ("rules", "normative_documents"), ("issued", "repealed", "in_force")),
        ("20.5", ("licensing",), ("decisions",)),
        ("20.6", ("penalty", "coercion"), ("decisions",)),
        ("20.8", ("fees",), ("fee_amount",)),
    ),
}

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
APPLICANTS = APPLICANT_COLUMNS + ("total",)

_OUTCOME_ROWS_SHARED = (
    "granted",
    "partially_granted",
    "denied.state_secret",
    "denied.law_prohibited",
    "denied.three_securities",
    "denied.third_party",
    "denied.internal_affairs",
    "denied.process_info",
    "denied.enforcement_file",
    "denied.inquiry",
    "unavailable.not_held",
    "unavailable.need_creation",
    "unavailable.unclear",
    "not_processed.complaint",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirmation",
)
# （六）其他处理: one row in the 2019 template, three sub-rows in the 2021 template.
_OTHER_ROWS = {"2019": ("other",), "2021": ("other.no_correction", "other.no_fee", "other.other")}

PROCEEDINGS = ("review", "litigation_direct", "litigation_after_review")
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


def template_for_year(year: int) -> str:
    """The national template a report for `year` follows (the 2019 circular for 2019-2020, the 2021 one after)."""
    if year < 2019:
        raise ValueError(f"reports before 2019 follow no template (year {year})")
    return "2019" if year <= 2020 else "2021"


def outcome_rows(template: str) -> tuple[str, ...]:
    """The 办理结果 rows that add up to （七）总计, in printed order."""
    return _OUTCOME_ROWS_SHARED + _OTHER_ROWS[template]


def application_rows(template: str) -> tuple[str, ...]:
    """Every row of the applications table, in printed order."""
    return ("new_received", "carried_over", *outcome_rows(template), "total", "carried_forward")


def active_disclosure_keys(template: str) -> list[tuple[str, str, str]]:
    """Every (clause, item, metric) of the template's 主动公开 table, in printed order."""
    return [
        (clause, item, metric)
        for clause, items, metrics in ACTIVE_DISCLOSURE_LAYOUT[template]
        for item in items
        for metric in metrics
    ]


@dataclass
class ReportFacts:
    """The table numbers of one year's report."""

    year: int
    template: str
    active_disclosure: dict[tuple[str, str, str], Number]
    applications: dict[tuple[str, str], int]
    review_litigation: dict[tuple[str, str], int]


def report_title(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def printed(value: Number) -> str:
    """The cell text of a number; str() of a float is its shortest exact form (2011.38, not 2011.3800)."""
    return str(value)


def facts_from_expected(document: dict) -> ReportFacts:
    """Read the facts of an expected.json document (e.g. a seed's)."""
    return ReportFacts(
        year=document["year"],
        template=document["template"],
        active_disclosure={(f["clause"], f["item"], f["metric"]): f["value"] for f in document["active_disclosure"]},
        applications={(f["row"], f["applicant"]): f["value"] for f in document["applications"]},
        review_litigation={(f["proceeding"], f["outcome"]): f["value"] for f in document["review_litigation"]},
    )


def expected_document(agency: str, facts: ReportFacts) -> dict:
    """The expected.json object of a generated report: every fact of its template, in printed order."""
    return {
        "title": report_title(agency, facts.year),
        "agency": agency,
        "year": facts.year,
        "template": facts.template,
        "active_disclosure": [
            _fact({"clause": clause, "item": item, "metric": metric}, facts.active_disclosure[clause, item, metric])
            for clause, item, metric in active_disclosure_keys(facts.template)
        ],
        "applications": [
            _fact({"row": row, "applicant": applicant}, facts.applications[row, applicant])
            for row in application_rows(facts.template)
            for applicant in APPLICANTS
        ],
        "review_litigation": [
            _fact({"proceeding": proceeding, "outcome": outcome}, facts.review_litigation[proceeding, outcome])
            for proceeding in PROCEEDINGS
            for outcome in OUTCOMES
        ],
        # Generated reports are consistent by construction; extraction must find no failure.
        "expected_check_failures": [],
    }


def _fact(key: dict[str, str], value: Number) -> dict:
    return {**key, "value": value, "raw": printed(value)}


def check_report(facts: ReportFacts) -> dict[str, list[str]]:
    """Run the single-report checks of vocabulary.json; maps each check to what failed (empty: passed)."""
    apps = facts.applications
    outcomes = outcome_rows(facts.template)
    return {
        "applications_balance": [
            applicant
            for applicant in APPLICANTS
            if apps["new_received", applicant] + apps["carried_over", applicant]
            != apps["total", applicant] + apps["carried_forward", applicant]
        ],
        "applications_total_row": [
            applicant
            for applicant in APPLICANTS
            if apps["total", applicant] != sum(apps[row, applicant] for row in outcomes)
        ],
        "applications_total_column": [
            row
            for row in application_rows(facts.template)
            if apps[row, "total"] != sum(apps[row, applicant] for applicant in APPLICANT_COLUMNS)
        ],
        "review_litigation_totals": [
            proceeding
            for proceeding in PROCEEDINGS
            if facts.review_litigation[proceeding, "total"]
            != sum(facts.review_litigation[proceeding, outcome] for outcome in OUTCOMES[:-1])
        ],
    }


def check_carryover(series: list[ReportFacts]) -> list[str]:
    """carryover_continuity over consecutive years: the 'year/applicant' pairs whose 上年结转 differs from
    the previous report's 结转下年度继续办理."""
    by_year = {facts.year: facts for facts in series}
    return [
        f"{year}/{applicant}"
        for year, facts in sorted(by_year.items())
        if year - 1 in by_year
        for applicant in APPLICANTS
        if facts.applications["carried_over", applicant] != by_year[year - 1].applications["carried_forward", applicant]
    ]
