"""The Chinese labels in the database, compiled from the vocabulary (crawler/extract/vocabulary.py): the SQL of each
fact's generated `label`, the rows of the `vocabulary` table, and the applications table in its printed shape
(`applications_printed`: a row per printed row, a column per applicant headed as the table prints it)."""

from __future__ import annotations

from crawler.extract.vocabulary import (
    APPLICANTS,
    CHECK_LABELS,
    CLAUSES,
    FACT_KEYS,
    LABEL_SEPARATORS,
    clause_key_labels,
    key_labels,
    printed_label,
)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _case(column: str, labels: dict[str, str]) -> str:
    """SQL for the label of `column`'s key, or the key itself when the vocabulary does not know it."""
    whens = " ".join(f"when {_sql_string(key)} then {_sql_string(label)}" for key, label in labels.items())
    return f"case {column} {whens} else {column} end"


def fact_label_sql(table: str) -> str:
    """The SQL expression of a fact's Chinese label, e.g. '第二十条第（一）项 规章 本年制发件数' or
    '一、本年新收政府信息公开申请数量 | 自然人': its keys' labels joined as the vocabulary says (LABEL_SEPARATORS)."""
    separator = _sql_string(LABEL_SEPARATORS[table])

    def joined(labels: dict[str, dict[str, str]]) -> str:
        return f" || {separator} || ".join(f"({_case(field, names)})" for field, names in labels.items())

    if table != "active_disclosure":
        return joined(key_labels(table))
    # Items and metrics are labelled within their clause: one branch per clause, which begins with its label.
    whens = []
    for clause in CLAUSES:
        labels = clause_key_labels(clause)
        clause_label = labels.pop("clause")[clause]
        label = _sql_string(clause_label + LABEL_SEPARATORS[table])
        whens.append(f"when {_sql_string(clause)} then {label} || {joined(labels)}")
    return f"case clause {' '.join(whens)} else {f' || {separator} || '.join(FACT_KEYS[table])} end"


def vocabulary_rows() -> list[dict]:
    """Every canonical key with its Chinese label and its position in the printed table."""
    applications = key_labels("applications")
    dimensions = {
        **key_labels("active_disclosure"),
        "application_row": applications["row"],
        "applicant": applications["applicant"],
        **key_labels("review_litigation"),
        "check": {name: printed_label(label) for name, label in CHECK_LABELS.items()},
    }
    return [
        {"dimension": dimension, "key": key, "label": label, "position": position}
        for dimension, labels in dimensions.items()
        for position, (key, label) in enumerate(labels.items(), 1)
    ]


def printed_column(applicant: str) -> str:
    """The heading the applications table prints over an applicant column: 自然人, 商业企业, … 其他, 总计."""
    return key_labels("applications")["applicant"][applicant].split()[-1]


def applications_printed_select(where: str = "") -> str:
    """The rows of `applications_printed` made from the applications facts (of the reports `where` selects)."""
    columns = ",\n  ".join(
        f"max(case a.applicant when '{applicant}' then a.value end) as \"{printed_column(applicant)}\""
        for applicant in APPLICANTS
    )
    return f"""select a.report_id, r.agency, r.year, v.position, a.row, v.label,
  {columns}
from applications a
join reports r on r.id = a.report_id
join vocabulary v on v.dimension = 'application_row' and v.key = a.row
{where}
group by a.report_id, a.row"""
