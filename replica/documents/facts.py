"""The numbers of a report's three tables, keyed as in ../shared/report-format/vocabulary.json.

The layouts below list every fact of each national template in the order the template prints it, so the
expected.json files, the Word tables and the tests all walk the facts in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from crawler.extract.vocabulary import FACT_KEYS

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
    """The table numbers of one year's report. A value of None is a blank cell (the report leaves a 0 blank).

    `raw` holds the cell text of the facts not printed the plain way (printed()): signed changes such as
    '+229', amounts with their unit such as '4195.8936万元'; keyed by (table, fact key).
    """

    year: int
    template: str
    active_disclosure: dict[tuple[str, str, str], Number | None]
    applications: dict[tuple[str, str], int | None]
    review_litigation: dict[tuple[str, str], int | None]
    raw: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)


@dataclass(frozen=True)
class PrintStyle:
    """How an agency's clerk types the numbers into the tables (real reports differ in this)."""

    signed_changes: bool = False  # 本年增/减 printed '+7' / '-21' rather than '7' / '-21'
    amount_unit: str = ""  # 采购总金额 printed with its unit: '4195.8936万元'
    # Zeros in the applications table's 办理结果 rows ((一)予以公开 … (六)其他处理, total column included) are left
    # blank in the reports of these years: value None, raw ''.
    blank_zero_years: tuple[int, ...] = ()


TITLE_WORDING = "政府信息公开工作年度报告"


def report_title(agency: str, year: int, wording: str = TITLE_WORDING) -> str:
    return f"{agency}{year}年{wording}"


def printed(value: Number | None) -> str:
    """The cell text of a number; str() of a float is its shortest exact form (2011.38, not 2011.3800);
    a blank cell (None) has no text."""
    return "" if value is None else str(value)


def fact_text(facts: ReportFacts, table: str, key: tuple[str, ...]) -> str:
    """The cell text of one fact as the report prints it."""
    return facts.raw.get((table, key), printed(getattr(facts, table)[key]))


def with_style(facts: ReportFacts, style: PrintStyle) -> ReportFacts:
    """The facts as an agency prints them: signed changes, amounts with unit, zeros left blank in declared years."""
    raw = dict(facts.raw)
    active = dict(facts.active_disclosure)
    for key, value in active.items():
        metric = key[2]
        if style.signed_changes and metric == "change" and value and value > 0:
            raw["active_disclosure", key] = f"+{value}"
        if style.amount_unit and metric == "purchase_amount" and value:
            raw["active_disclosure", key] = f"{value}{style.amount_unit}"
    applications = dict(facts.applications)
    if facts.year in style.blank_zero_years:
        for row in outcome_rows(facts.template):
            for applicant in APPLICANTS:
                if applications[row, applicant] == 0:
                    applications[row, applicant] = None
    return replace(facts, active_disclosure=active, applications=applications, raw=raw)


def facts_from_expected(document: dict) -> ReportFacts:
    """Read the facts of an expected.json document (e.g. a seed's), keeping every cell text printed()
    would not give back."""
    tables = {table: {tuple(f[k] for k in fields): f for f in document[table]} for table, fields in FACT_KEYS.items()}
    return ReportFacts(
        year=document["year"],
        template=document["template"],
        **{table: {key: f["value"] for key, f in facts.items()} for table, facts in tables.items()},
        raw={(table, key): f["raw"] for table, facts in tables.items() for key, f in facts.items()
             if f["raw"] != printed(f["value"])},
    )


def expected_document(agency: str, facts: ReportFacts, wording: str = TITLE_WORDING) -> dict:
    """The expected.json object of a generated report: every fact of its template, in printed order."""
    keys = {
        "active_disclosure": active_disclosure_keys(facts.template),
        "applications": [(row, applicant) for row in application_rows(facts.template) for applicant in APPLICANTS],
        "review_litigation": [(proceeding, outcome) for proceeding in PROCEEDINGS for outcome in OUTCOMES],
    }
    return {
        "title": report_title(agency, facts.year, wording),
        "agency": agency,
        "year": facts.year,
        "template": facts.template,
        **{
            table: [
                {**dict(zip(FACT_KEYS[table], key)), "value": getattr(facts, table)[key],
                 "raw": fact_text(facts, table, key)}
                for key in keys[table]
            ]
            for table in FACT_KEYS
        },
        # Generated reports are consistent by construction; extraction must find no failure.
        "expected_check_failures": [],
    }


def expected_pre_template_document(agency: str, year: int, wording: str = TITLE_WORDING) -> dict:
    """The expected.json object of a report from before the national templates: text only, no table facts."""
    return {
        "title": report_title(agency, year, wording),
        "agency": agency,
        "year": year,
        "template": None,
        **{table: [] for table in FACT_KEYS},
        "expected_check_failures": [],
    }


def check_report(facts: ReportFacts) -> dict[str, list[str]]:
    """Run the single-report checks of vocabulary.json; maps each check to what failed (empty: passed).
    A blank cell counts as 0."""
    apps = {key: value or 0 for key, value in facts.applications.items()}
    reviews = {key: value or 0 for key, value in facts.review_litigation.items()}
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
            if reviews[proceeding, "total"] != sum(reviews[proceeding, outcome] for outcome in OUTCOMES[:-1])
        ],
    }


def check_carryover(series: list[ReportFacts]) -> list[str]:
    """carryover_continuity over consecutive years: the 'year/applicant' pairs whose 上年结转 differs from
    the previous report's 结转下年度继续办理 (a blank cell counts as 0). Reports without tables are skipped."""
    by_year = {facts.year: facts for facts in series if facts.template is not None}
    return [
        f"{year}/{applicant}"
        for year, facts in sorted(by_year.items())
        if year - 1 in by_year
        for applicant in APPLICANTS
        if (facts.applications["carried_over", applicant] or 0)
        != (by_year[year - 1].applications["carried_forward", applicant] or 0)
    ]
