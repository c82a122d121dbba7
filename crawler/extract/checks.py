"""The vocabulary's consistency checks on one report's facts. A check reports; it never changes a value.

A blank cell (value null) counts as 0 in the sums: reports leave cells blank where 0 is meant. A fact that is not
there at all (its row or column was not found) is no 0: a check compares a column, row or proceeding only when all
its facts are there, so a check that lacks facts cannot pass. It fails when what it could compare fails; otherwise it
is left out of the results, as the contract leaves out a check that could not be evaluated. Either way a warning names
the facts it lacked. A table without any fact is not checked (where the tables are read, a warning says it was not
found). carryover_continuity compares two reports: carryover_check compares them, and the database applies it to
consecutive years of each agency (crawler.database.update_carryover_checks).
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.extract.vocabulary import (
    APPLICANTS,
    CARRYOVER_CHECK,
    OUTCOMES,
    PROCEEDINGS,
    application_rows,
    describe_cells,
)

Key = tuple[str, str]  # (row, applicant) or (proceeding, outcome)


@dataclass
class Evaluation:
    """What one check found: a failure per column, row or proceeding that does not add up, the facts it needed but
    did not have (among all it needs, `needed`), and its detail when everything was there and adds up."""

    failures: list[str]
    lacking: set[Key]
    needed: list[Key]
    passed: str


def run_checks(applications: list[dict], review_litigation: list[dict]) -> tuple[list[dict], list[str]]:
    """One entry per check that the facts allow to evaluate ({name, passed, detail}), and a warning per check that
    lacked facts."""
    cells = {(fact["row"], fact["applicant"]): fact["value"] or 0 for fact in applications}
    reviews = {(fact["proceeding"], fact["outcome"]): fact["value"] or 0 for fact in review_litigation}
    evaluations = {}
    if cells:
        evaluations |= _applications_checks(cells)
    if reviews:
        evaluations["review_litigation_totals"] = _evaluate(
            reviews, {proceeding: [(proceeding, outcome) for outcome in OUTCOMES] for proceeding in PROCEEDINGS},
            _last_is_sum("outcomes"), f"total == upheld + corrected + other + pending for {', '.join(PROCEEDINGS)}")
    checks, warnings = [], []
    for name, evaluation in evaluations.items():
        if evaluation.lacking:
            warnings.append(f"check {name} {'failed; it was ' if evaluation.failures else ''}not evaluated where "
                            f"facts are missing: {describe_cells(evaluation.lacking, evaluation.needed)}")
        if evaluation.failures:
            checks.append({"name": name, "passed": False, "detail": "; ".join(evaluation.failures)})
        elif not evaluation.lacking:
            checks.append({"name": name, "passed": True, "detail": evaluation.passed})
    return checks, warnings


def _applications_checks(cells: dict[Key, int | float]) -> dict[str, Evaluation]:
    order = application_rows(single_other=any(row == "other" for row, _ in cells))
    outcomes = order[order.index("granted") : order.index("total")]
    balance_rows = ("new_received", "carried_over", "total", "carried_forward")
    return {
        "applications_balance": _evaluate(
            cells, {applicant: [(row, applicant) for row in balance_rows] for applicant in APPLICANTS}, _balance,
            f"new_received + carried_over == total + carried_forward in all {len(APPLICANTS)} columns"),
        "applications_total_row": _evaluate(
            cells, {applicant: [(row, applicant) for row in (*outcomes, "total")] for applicant in APPLICANTS},
            _last_is_sum("outcome rows"),
            f"total == sum of the {len(outcomes)} outcome rows in all {len(APPLICANTS)} columns"),
        "applications_total_column": _evaluate(
            cells, {row: [(row, applicant) for applicant in APPLICANTS] for row in order},
            _last_is_sum("applicant columns"),
            f"total column == sum of the applicant columns in all {len(order)} rows"),
    }


def _evaluate(cells: dict[Key, int | float], units: dict[str, list[Key]], compare, passed: str) -> Evaluation:
    """Compare each unit (a column, row or proceeding: its name → the facts it adds up) that has all its facts;
    `compare(unit, values)` gives the unit's failures."""
    failures: list[str] = []
    lacking: set[Key] = set()
    for unit, keys in units.items():
        missing = {key for key in keys if key not in cells}
        lacking |= missing
        if not missing:
            failures += compare(unit, [cells[key] for key in keys])
    return Evaluation(failures, lacking, [key for keys in units.values() for key in keys], passed)


def _balance(applicant: str, values: list[int | float]) -> list[str]:
    new, old, done, left = values
    if new + old == done + left:
        return []
    return [f"{applicant}: new_received {new} + carried_over {old} != total {done} + carried_forward {left}"]


def _last_is_sum(parts: str):
    """A comparison of a unit's last fact (its printed total) with the sum of the others, `parts` naming them."""

    def compare(unit: str, values: list[int | float]) -> list[str]:
        summed, printed = sum(values[:-1]), values[-1]
        return [f"{unit}: total {printed} != sum of {parts} {summed}"] if summed != printed else []

    return compare


def carryover_check(cells: dict[Key, int | float], previous_cells: dict[Key, int | float], previous_year: int) -> dict:
    """carryover_continuity of a report against the previous year's report of its agency ({name, passed, detail}):
    each applicant column's carried_over must equal the carried_forward of `previous_year`'s report. The cells are the
    two reports' (row, applicant) → value; a column either report lacks is not compared."""
    failures, compared = [], 0
    for applicant in APPLICANTS:
        carried_over = cells.get(("carried_over", applicant))
        carried_forward = previous_cells.get(("carried_forward", applicant))
        if carried_over is None or carried_forward is None:
            continue
        compared += 1
        if carried_over != carried_forward:
            failures.append(
                f"{applicant}: carried_over {carried_over} != carried_forward {carried_forward} "
                f"of the {previous_year} report"
            )
    detail = "; ".join(failures) or (
        f"carried_over == carried_forward of the {previous_year} report in all {compared} columns"
    )
    return {"name": CARRYOVER_CHECK, "passed": not failures, "detail": detail}
