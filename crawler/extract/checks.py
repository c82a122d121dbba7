"""The vocabulary's consistency checks on one report's facts. A check reports; it never changes a value.

A blank cell counts as 0 in the sums (reports leave cells blank where 0 is meant). carryover_continuity compares
two reports and is run later, across the database.
"""

from __future__ import annotations

from crawler.extract.vocabulary import APPLICANTS, APPLICATION_ROWS, OUTCOMES, PROCEEDINGS, application_rows

_APPLICANT_COLUMNS = APPLICANTS[:-1]  # the six applicant kinds; the last column is their total


def run_checks(applications: list[dict], review_litigation: list[dict]) -> list[dict]:
    """One entry per check that the facts allow to evaluate: {name, passed, detail}."""
    cells = {(fact["row"], fact["applicant"]): fact["value"] or 0 for fact in applications}
    rows = {row for row, _ in cells}
    reviews = {(fact["proceeding"], fact["outcome"]): fact["value"] or 0 for fact in review_litigation}
    evaluations = {
        "applications_balance": _balance(cells, rows),
        "applications_total_row": _total_row(cells, rows),
        "applications_total_column": _total_column(cells, rows),
        "review_litigation_totals": _review_totals(reviews),
    }
    return [
        {"name": name, "passed": not failures, "detail": "; ".join(failures) if failures else passed}
        for name, (failures, passed) in evaluations.items()
        if failures is not None
    ]


Evaluation = tuple[list[str] | None, str]  # (failures, or None when not evaluable; detail when passed)


def _balance(cells: dict, rows: set) -> Evaluation:
    needed = ("new_received", "carried_over", "total", "carried_forward")
    if not set(needed) <= rows:
        return None, ""
    failures = []
    for applicant in APPLICANTS:
        new, old, done, left = (cells.get((row, applicant), 0) for row in needed)
        if new + old != done + left:
            failures.append(
                f"{applicant}: new_received {new} + carried_over {old} != total {done} + carried_forward {left}"
            )
    return failures, f"new_received + carried_over == total + carried_forward in all {len(APPLICANTS)} columns"


def _total_row(cells: dict, rows: set) -> Evaluation:
    order = application_rows(single_other="other" in rows)
    outcomes = order[order.index("granted") : order.index("total")]
    if not ("total" in rows and set(outcomes) <= rows):
        return None, ""
    failures = []
    for applicant in APPLICANTS:
        summed = sum(cells.get((row, applicant), 0) for row in outcomes)
        printed = cells.get(("total", applicant), 0)
        if summed != printed:
            failures.append(f"{applicant}: total {printed} != sum of outcome rows {summed}")
    return failures, f"total == sum of the {len(outcomes)} outcome rows in all {len(APPLICANTS)} columns"


def _total_column(cells: dict, rows: set) -> Evaluation:
    if not rows:
        return None, ""
    failures = []
    for row in (row for row in APPLICATION_ROWS if row in rows):
        summed = sum(cells.get((row, applicant), 0) for applicant in _APPLICANT_COLUMNS)
        printed = cells.get((row, "total"), 0)
        if summed != printed:
            failures.append(f"{row}: total {printed} != sum of applicant columns {summed}")
    return failures, f"total column == sum of the applicant columns in all {len(rows)} rows"


def _review_totals(reviews: dict) -> Evaluation:
    proceedings = [p for p in PROCEEDINGS if all((p, outcome) in reviews for outcome in OUTCOMES)]
    if not proceedings:
        return None, ""
    failures = []
    for proceeding in proceedings:
        summed = sum(reviews[(proceeding, outcome)] for outcome in OUTCOMES if outcome != "total")
        if summed != reviews[(proceeding, "total")]:
            failures.append(f"{proceeding}: total {reviews[(proceeding, 'total')]} != sum of outcomes {summed}")
    return failures, f"total == upheld + corrected + other + pending for {', '.join(proceedings)}"
