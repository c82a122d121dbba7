"""The canonical fact keys, read from vocabulary.json (a copy of ../shared/report-format/vocabulary.json that a
test keeps identical), so the vocabulary file stays the one place where keys are defined."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

VOCABULARY = json.loads(Path(__file__).with_name("vocabulary.json").read_text(encoding="utf-8"))

TEMPLATES: tuple[str, ...] = tuple(VOCABULARY["templates"])
# The fact tables, each with the key fields that identify one fact (its value is keyed by them).
FACT_KEYS: dict[str, tuple[str, ...]] = {
    "active_disclosure": ("clause", "item", "metric"),
    "applications": ("row", "applicant"),
    "review_litigation": ("proceeding", "outcome"),
}
CLAUSES: dict = VOCABULARY["active_disclosure"]["clauses"]
ITEM_CLAUSE: dict[str, str] = {item: clause for clause, spec in CLAUSES.items() for item in spec["items"]}
APPLICATION_ROWS: tuple[str, ...] = tuple(VOCABULARY["applications"]["rows"])
APPLICANTS: tuple[str, ...] = tuple(VOCABULARY["applications"]["applicants"])
PROCEEDINGS: tuple[str, ...] = tuple(VOCABULARY["review_litigation"]["proceedings"])
OUTCOMES: tuple[str, ...] = tuple(VOCABULARY["review_litigation"]["outcomes"])
CHECKS: tuple[str, ...] = tuple(name for name in VOCABULARY["checks"] if name != "about")
# How the vocabulary marks an item one template prints and the other does not ("… (2019 template only)").
_ONE_TEMPLATE_ONLY = re.compile(r"\((\d{4}) template only\)")


def template_for_year(year: int) -> str | None:
    """The national template a report for `year` follows, None for a year before the first (free-form reports: text
    only). A template's key is the first report year it is used for (../shared/report-format/README.md: the 2019
    template for 2019 and 2020, the 2021 one from 2021 on), so a year follows the latest template not after it."""
    return max((template for template in TEMPLATES if int(template) <= year), key=int, default=None)


def clause_metrics(clause: str, template: str) -> tuple[str, ...]:
    """The metric keys of a 第二十条 clause in a template, in printed column order (empty if the clause is absent)."""
    return tuple(CLAUSES[clause]["metrics"].get(template, ()))


def template_metrics(template: str) -> frozenset[str]:
    """Every metric key the template's 第二十条 table has."""
    return frozenset(metric for clause in CLAUSES for metric in clause_metrics(clause, template))


def template_only_metrics(template: str) -> frozenset[str]:
    """The metric keys only this template has (its column headers tell the template)."""
    others = (template_metrics(other) for other in TEMPLATES if other != template)
    return template_metrics(template).difference(*others)


def active_disclosure_keys(template: str) -> list[tuple[str, str]]:
    """Every (item, metric) of the template's 第二十条 table, in printed order (an item names its clause)."""
    return [
        (item, metric)
        for clause, spec in CLAUSES.items()
        for item, description in spec["items"].items()
        if (only := _ONE_TEMPLATE_ONLY.search(description)) is None or only[1] == template
        for metric in clause_metrics(clause, template)
    ]


def application_rows(single_other: bool) -> tuple[str, ...]:
    """The applications table's row keys in printed order, with （六）其他处理 as one row or as its three sub-rows."""
    if single_other:
        return tuple(row for row in APPLICATION_ROWS if not row.startswith("other."))
    return tuple(row for row in APPLICATION_ROWS if row != "other")


def label_for(table: str, fact: dict) -> str:
    """The Chinese label of one fact, e.g. '第二十条第（一）项 规章 本年制发件数'."""
    if table == "active_disclosure":
        clause = CLAUSES[fact["clause"]]
        metric = next(
            (names[fact["metric"]] for names in clause["metrics"].values() if fact["metric"] in names), fact["metric"]
        )
        return f"{clause['label']} {clause['items'].get(fact['item'], fact['item'])} {metric}"
    section = VOCABULARY[table]
    if table == "applications":
        row, applicant = section["rows"].get(fact["row"], fact["row"]), section["applicants"].get(fact["applicant"])
        return f"{row} | {applicant or fact['applicant']}"
    proceeding = section["proceedings"].get(fact["proceeding"], fact["proceeding"])
    return f"{proceeding} {section['outcomes'].get(fact['outcome'], fact['outcome'])}"


def describe_cells(cells: set[tuple[str, str]], grid: Sequence[tuple[str, str]]) -> str:
    """Some (row, column) cells of a table, whose cells in printed order are `grid`, in few words: whole rows, then
    whole columns (every cell of the column outside those rows), then single cells as row/column."""
    rows = list(dict.fromkeys(row for row, _ in grid))
    whole_rows = [row for row in rows if all(key in cells for key in grid if key[0] == row)]
    others = [key for key in grid if key[0] not in whole_rows]
    columns = list(dict.fromkeys(column for row, column in others if (row, column) in cells))
    whole_columns = [column for column in columns if all(key in cells for key in others if key[1] == column)]
    single = [f"{row}/{column}" for row, column in others if (row, column) in cells and column not in whole_columns]
    parts = [("rows", whole_rows), ("columns", whole_columns), ("cells", single)]
    return "; ".join(f"{name} {', '.join(names)}" for name, names in parts if names)
