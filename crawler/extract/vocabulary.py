"""The vocabulary, read from vocabulary.json (a copy of ../shared/report-format/vocabulary.json that a test keeps
identical), so the vocabulary file stays the one place where keys are defined: the fact tables and their keys, the
national templates and the years they are used for, the Chinese labels of keys and facts, and the checks with their
Chinese names."""

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
CARRYOVER_CHECK = "carryover_continuity"  # the check across two reports; the others check one report's tables
# Chinese names of the checks (the vocabulary describes them in English), for the `vocabulary` table.
CHECK_LABELS = {
    "applications_balance": "申请情况表勾稽关系：本年新收 + 上年结转 = 办理结果总计 + 结转下年度（每一列）",
    "applications_total_row": "申请情况表：办理结果总计 = 各项办理结果之和（每一列）",
    "applications_total_column": "申请情况表：总计列 = 各类申请人之和（每一行）",
    "review_litigation_totals": "行政复议、行政诉讼表：总计 = 维持 + 纠正 + 其他 + 尚未审结",
    CARRYOVER_CHECK: "跨年度衔接：本年“上年结转” = 上一年度报告的“结转下年度”（每一列）",
}
# A fact's Chinese label joins the printed labels of its keys (key_labels) with its table's separator:
# '第二十条第（一）项 规章 本年制发件数', '一、本年新收政府信息公开申请数量 | 自然人', '行政复议 结果维持'. A key the vocabulary
# does not know stands for itself.
LABEL_SEPARATORS = {"active_disclosure": " ", "applications": " | ", "review_litigation": " "}
# How the vocabulary marks an item one template prints and the other does not ("… (2019 template only)").
_ONE_TEMPLATE_ONLY = re.compile(r"\((\d{4}) template only\)")
# Where vocabulary.json labels the keys of the applications and review/litigation tables, by key field.
_KEY_LABELS = {"row": "rows", "applicant": "applicants", "proceeding": "proceedings", "outcome": "outcomes"}


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


def printed_label(label: str) -> str:
    """A vocabulary label without the English notes in ASCII parentheses, e.g. '（六）其他处理 (single-row form)'."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip()


def clause_key_labels(clause: str) -> dict[str, dict[str, str]]:
    """The printed labels of a 第二十条 clause's keys by key field: the clause, its items, its metrics (a metric the
    templates word differently is labelled with its first wording). Items and metrics are labelled within their
    clause."""
    spec = CLAUSES[clause]
    metrics: dict[str, str] = {}
    for names in spec["metrics"].values():
        for metric, label in names.items():
            metrics.setdefault(metric, printed_label(label))
    items = {item: printed_label(label) for item, label in spec["items"].items()}
    return {"clause": {clause: printed_label(spec["label"])}, "item": items, "metric": metrics}


def key_labels(table: str) -> dict[str, dict[str, str]]:
    """The printed labels of a fact table's keys by key field, in printed order; the 第二十条 table's of all clauses."""
    if table != "active_disclosure":
        section = VOCABULARY[table]
        return {
            field: {key: printed_label(label) for key, label in section[_KEY_LABELS[field]].items()}
            for field in FACT_KEYS[table]
        }
    labels: dict[str, dict[str, str]] = {field: {} for field in FACT_KEYS[table]}
    for clause in CLAUSES:
        for field, names in clause_key_labels(clause).items():
            for key, label in names.items():
                labels[field].setdefault(key, label)
    return labels


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
