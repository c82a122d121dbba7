"""Derive a consistent multi-year series of report facts from one real (seed) report.

The seed year keeps the seed's facts unchanged. The other years get new, deterministic numbers of the seed's
magnitudes that pass every check of vocabulary.json, carryover_continuity included: years after the seed start
from the previous year's 结转下年度继续办理, years before it end with the next year's 上年结转. The stocks the
tables print (规范性文件 in force, 上一年项目数量) continue from year to year too, so neighbouring reports agree.

A site may declare one deliberate break: that year's 上年结转 is not the previous report's 结转下年度, as when a
reorganisation hands another office's pending applications over; every single-report check still holds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from crawler.extract.vocabulary import template_for_year

from .facts import (
    APPLICANT_COLUMNS,
    APPLICANTS,
    OUTCOMES,
    PROCEEDINGS,
    ReportFacts,
    application_rows,
    outcome_rows,
)

# Items whose count the 2019 template carries as 上一年项目数量 + 本年增/减.
_COUNTED_ITEMS = (("20.5", "licensing"), ("20.5", "other_services"), ("20.6", "penalty"), ("20.6", "coercion"),
                  ("20.8", "fees"))
# 第二十条第（一）项 stocks: documents published (2019 template) or in force (2021 template) at the year's end.
_DOCUMENT_ITEMS = ("rules", "normative_documents")

# How often a processed application ends in each outcome row; rows not listed never occur.
_OUTCOME_WEIGHTS = {
    "granted": 6,
    "partially_granted": 2,
    "denied.third_party": 1,
    "denied.internal_affairs": 1,
    "denied.process_info": 1,
    "unavailable.not_held": 3,
    "unavailable.need_creation": 1,
    "unavailable.unclear": 1,
    "not_processed.complaint": 1,
    "not_processed.duplicate": 1,
    "not_processed.confirmation": 1,
    "other": 1,
    "other.no_correction": 1,
    "other.other": 1,
}
# Chance that an organisation column has any new application in a year (natural persons always have some).
_ORGANISATION_APPLIES = 0.35
# Chance per year of a 行政复议 / 行政诉讼 case about information disclosure: rare for a small bureau.
_CASE_CHANCE = {"review": 0.5, "litigation_direct": 0.25, "litigation_after_review": 0.15}


@dataclass(frozen=True)
class Magnitudes:
    """An agency's typical yearly numbers, read from its seed report; derived years vary around them."""

    applications: int
    licensing_decisions: int
    other_services_decisions: int
    penalty_decisions: int
    coercion_decisions: int
    procurement_items: int
    procurement_amount: float
    fee_amount: float


def magnitudes_of(seed: ReportFacts) -> Magnitudes:
    """The seed's magnitudes; numbers its template does not print fall back to a small bureau's."""
    active = seed.active_disclosure
    return Magnitudes(
        # A seed year without applications still gets a few in the other years, so the table is exercised.
        applications=max(3, seed.applications["new_received", "total"]),
        licensing_decisions=active.get(("20.5", "licensing", "decisions"), 300),
        other_services_decisions=active.get(("20.5", "other_services", "decisions"), 1000),
        penalty_decisions=active.get(("20.6", "penalty", "decisions"), 0),
        coercion_decisions=active.get(("20.6", "coercion", "decisions"), 0),
        procurement_items=active.get(("20.9", "procurement", "purchase_items"), 30),
        procurement_amount=active.get(("20.9", "procurement", "purchase_amount"), 1500.0),
        fee_amount=active.get(("20.8", "fees", "fee_amount"), 0),
    )


def derive_series(seed: ReportFacts, years: range, key: str, carryover_break: int | None = None
                  ) -> dict[int, ReportFacts]:
    """Facts for every year of `years` (contiguous, containing the seed's year), keyed by year.

    `key` seeds the random numbers (with the year), so the same key always gives the same series.
    `carryover_break`: a year after the seed's whose 上年结转 deliberately differs from the previous 结转下年度.
    """
    if seed.year not in years or years.step != 1:
        raise ValueError(f"years {years} must be contiguous and contain the seed year {seed.year}")
    if carryover_break is not None and not seed.year < carryover_break < years.stop:
        raise ValueError(f"the carryover break {carryover_break} must be a year after the seed's, in {years}")
    magnitudes = magnitudes_of(seed)
    series = {seed.year: seed}
    for year in range(seed.year + 1, years.stop):
        series[year] = _derived_year(year, magnitudes, random.Random(f"{key}-{year}"), previous=series[year - 1],
                                     handed_over=_HANDED_OVER if year == carryover_break else None)
    for year in range(seed.year - 1, years.start - 1, -1):
        series[year] = _derived_year(year, magnitudes, random.Random(f"{key}-{year}"), following=series[year + 1])
    return dict(sorted(series.items()))


# Pending applications another office hands over in a carryover-break year, added to 上年结转.
_HANDED_OVER = {"natural_person": 2, "commercial": 1}


def _derived_year(
    year: int,
    magnitudes: Magnitudes,
    rng: random.Random,
    previous: ReportFacts | None = None,
    following: ReportFacts | None = None,
    handed_over: dict[str, int] | None = None,
) -> ReportFacts:
    """One year's facts, continuing from the previous year's report or leading into the following one's;
    `handed_over` applications join the previous year's 结转下年度 in this year's 上年结转."""
    template = template_for_year(year)
    if previous is not None:
        start, end = _stocks_at_end(previous), None
        carried_over = {a: previous.applications["carried_forward", a] + (handed_over or {}).get(a, 0)
                        for a in APPLICANT_COLUMNS}
        carried_forward = None
    else:
        start, end = None, _stocks_at_start(following)
        carried_over = None
        carried_forward = {a: following.applications["carried_over", a] for a in APPLICANT_COLUMNS}
    return ReportFacts(
        year=year,
        template=template,
        active_disclosure=_active_disclosure(template, magnitudes, rng, start, end),
        applications=_applications(template, magnitudes, rng, carried_over, carried_forward),
        review_litigation=_review_litigation(rng),
    )


def _stocks_at_end(facts: ReportFacts) -> dict[tuple[str, str], int]:
    """The counts a report leaves for the next year: documents published/in force and 2019-template item counts."""
    active = facts.active_disclosure
    if facts.template == "2019":
        stocks = {("20.1", item): active["20.1", item, "total_published"] for item in _DOCUMENT_ITEMS}
        stocks.update({(clause, item): active[clause, item, "prev_items"] + active[clause, item, "change"]
                       for clause, item in _COUNTED_ITEMS})
        return stocks
    return {("20.1", item): active["20.1", item, "in_force"] for item in _DOCUMENT_ITEMS}


def _stocks_at_start(facts: ReportFacts) -> dict[tuple[str, str], int]:
    """The counts a report starts from (what the previous year's report must end with)."""
    active = facts.active_disclosure
    if facts.template == "2019":
        stocks = {("20.1", item): active["20.1", item, "total_published"] - active["20.1", item, "new_published"]
                  for item in _DOCUMENT_ITEMS}
        stocks.update({(clause, item): active[clause, item, "prev_items"] for clause, item in _COUNTED_ITEMS})
        return stocks
    return {("20.1", item): active["20.1", item, "in_force"] - active["20.1", item, "issued"]
            + active["20.1", item, "repealed"] for item in _DOCUMENT_ITEMS}


def _stock_change(rng: random.Random, choices: tuple[int, ...], start: int | None, end: int | None,
                  default: int) -> tuple[int, int]:
    """(count at start of year, change over the year), fitted to whichever end of the year is known.
    Counts never go negative."""
    change = rng.choice(choices)
    if start is not None:
        return start, max(change, -start)
    if end is not None:
        change = min(change, end)
        return end - change, change
    return default, max(change, -default)


def _around(rng: random.Random, typical: float) -> int:
    """A count near `typical` (±30 %); a typical 0 still turns into an occasional 1 or 2."""
    if typical == 0:
        return rng.choice((0, 0, 0, 1, 2))
    return round(typical * rng.uniform(0.7, 1.3))


def _active_disclosure(
    template: str,
    magnitudes: Magnitudes,
    rng: random.Random,
    start: dict[tuple[str, str], int] | None = None,
    end: dict[tuple[str, str], int] | None = None,
) -> dict[tuple[str, str, str], int | float]:
    """The 主动公开 table of one year; `start` or `end` holds the stocks the neighbouring report fixes
    (a stock the neighbour's template does not print is missing and starts from a small default)."""
    start, end = start or {}, end or {}
    facts: dict[tuple[str, str, str], int | float] = {}
    for item in _DOCUMENT_ITEMS:
        # A bureau has no power to make 规章: only 规范性文件 come and go.
        new = 0 if item == "rules" else rng.choice((0, 1, 1, 2))
        repealed = 0 if template == "2019" or item == "rules" else rng.choice((0, 0, 1))
        before, change = _stock_change(rng, (new - repealed,), start.get(("20.1", item)), end.get(("20.1", item)),
                                       default=0 if item == "rules" else 4)
        if template == "2019":
            new = change  # the 2019 template has no 废止 column: the stock grows by what was published
            facts.update({("20.1", item, "new_made"): new, ("20.1", item, "new_published"): new,
                          ("20.1", item, "total_published"): before + new})
        else:
            new = change + repealed  # keeps 制发 - 废止 equal to the fitted change
            facts.update({("20.1", item, "issued"): new, ("20.1", item, "repealed"): repealed,
                          ("20.1", item, "in_force"): before + change})
    typical_decisions = {
        ("20.5", "licensing"): magnitudes.licensing_decisions,
        ("20.5", "other_services"): magnitudes.other_services_decisions,
        ("20.6", "penalty"): magnitudes.penalty_decisions,
        ("20.6", "coercion"): magnitudes.coercion_decisions,
    }
    if template == "2019":
        defaults = {("20.5", "licensing"): 2, ("20.5", "other_services"): 25, ("20.6", "penalty"): 2}
        for clause, item in _COUNTED_ITEMS:
            choices = (0,) if item in ("fees", "coercion") else (-1, 0, 0, 1, 2)
            before, change = _stock_change(rng, choices, start.get((clause, item)), end.get((clause, item)),
                                           default=defaults.get((clause, item), 0))
            facts[clause, item, "prev_items"] = before
            facts[clause, item, "change"] = change
            if item != "fees":
                facts[clause, item, "decisions"] = _around(rng, typical_decisions[clause, item])
        items = facts["20.9", "procurement", "purchase_items"] = _around(rng, magnitudes.procurement_items)
        if magnitudes.procurement_amount:
            amount = round(magnitudes.procurement_amount * rng.uniform(0.7, 1.3), 2)
        else:  # an agency that bought nothing in the seed year: small purchases now and then, 0 without any
            amount = round(rng.uniform(3, 60), 2) if items else 0
        facts["20.9", "procurement", "purchase_amount"] = amount
    else:
        for clause, item in (("20.5", "licensing"), ("20.6", "penalty"), ("20.6", "coercion")):
            facts[clause, item, "decisions"] = _around(rng, typical_decisions[clause, item])
        facts["20.8", "fees", "fee_amount"] = (
            round(magnitudes.fee_amount * rng.uniform(0.7, 1.3), 2) if magnitudes.fee_amount else 0)
    return facts


def _applications(
    template: str,
    magnitudes: Magnitudes,
    rng: random.Random,
    carried_over: dict[str, int] | None,
    carried_forward: dict[str, int] | None,
) -> dict[tuple[str, str], int]:
    """The applications table of one year. A fixed `carried_over`/`carried_forward` comes from the
    neighbouring report; the other one is drawn (forward years always carry something into the next)."""
    outcomes = outcome_rows(template)
    weights = [_OUTCOME_WEIGHTS.get(row, 0) for row in outcomes]
    table = {(row, applicant): 0 for row in application_rows(template) for applicant in APPLICANTS}
    for applicant in APPLICANT_COLUMNS:
        if applicant == "natural_person":
            new = rng.randint(1, 2 * magnitudes.applications)
        else:
            new = rng.randint(1, 2) if rng.random() < _ORGANISATION_APPLIES else 0
        if carried_over is not None:
            before = carried_over[applicant]
            after = rng.randint(1 if applicant == "natural_person" else 0, min(2, new + before))
        else:
            before = rng.choice((0, 0, 0, 1))
            after = carried_forward[applicant]
            new = max(new, after - before)  # what is carried forward must have been received
        table["new_received", applicant] = new
        table["carried_over", applicant] = before
        table["carried_forward", applicant] = after
        for row in rng.choices(outcomes, weights, k=new + before - after):
            table[row, applicant] += 1
        table["total", applicant] = new + before - after
    for row in application_rows(template):
        table[row, "total"] = sum(table[row, applicant] for applicant in APPLICANT_COLUMNS)
    return table


def _review_litigation(rng: random.Random) -> dict[tuple[str, str], int]:
    """The 复议/诉讼 table of one year: now and then a single case per proceeding."""
    table = {(proceeding, outcome): 0 for proceeding in PROCEEDINGS for outcome in OUTCOMES}
    for proceeding in PROCEEDINGS:
        if rng.random() < _CASE_CHANCE[proceeding]:
            outcome = rng.choices(OUTCOMES[:-1], (4, 1, 1, 2))[0]
            table[proceeding, outcome] = 1
            table[proceeding, "total"] = 1
    return table
