"""The report vocabulary (canonical fact keys, Chinese labels, checks), shipped with the package.

crawler/extract/vocabulary.json is a copy of ../shared/report-format/vocabulary.json; a test keeps them equal.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

VOCABULARY_PATH = Path(__file__).parent / "extract" / "vocabulary.json"


@cache
def vocabulary() -> dict:
    return json.loads(VOCABULARY_PATH.read_text(encoding="utf-8"))


def label_for(table: str, fact: dict) -> str:
    """The Chinese label of one fact, e.g. '第二十条第（一）项 规章 本年制发件数'."""
    section = vocabulary()[table]
    if table == "active_disclosure":
        clause = section["clauses"][fact["clause"]]
        metric = next(
            (names[fact["metric"]] for names in clause["metrics"].values() if fact["metric"] in names), fact["metric"]
        )
        return f"{clause['label']} {clause['items'].get(fact['item'], fact['item'])} {metric}"
    if table == "applications":
        return f"{section['rows'].get(fact['row'], fact['row'])} | {section['applicants'].get(fact['applicant'], fact['applicant'])}"
    return f"{section['proceedings'].get(fact['proceeding'], fact['proceeding'])} {section['outcomes'].get(fact['outcome'], fact['outcome'])}"
