"""Compare an extraction with a hand-checked *.expected.json, fact by fact: the extraction tests and their accuracy
tables score every document with it."""

from __future__ import annotations

from collections import Counter

from crawler.extract.vocabulary import FACT_KEYS


def compare_facts(result: dict, expected: dict) -> tuple[int, int, list[str]]:
    """(facts right, facts expected, mismatches). A fact is right when the extraction has it exactly once with the
    expected value; a mismatch names a fact that is missing, wrong, repeated, or extracted but not expected."""
    right, total, mismatches = 0, 0, []
    for table, key_fields in FACT_KEYS.items():
        found = [(tuple(fact[k] for k in key_fields), fact["value"]) for fact in result.get(table, [])]
        counts = Counter(key for key, _ in found)
        values = dict(found)
        wanted = {tuple(fact[k] for k in key_fields): fact["value"] for fact in expected.get(table, [])}
        for key, value in wanted.items():
            total += 1
            name = f"{table} {'/'.join(map(str, key))}"
            if key not in values:
                mismatches.append(f"{name}: missing (expected {value!r})")
            elif counts[key] > 1:
                mismatches.append(f"{name}: extracted {counts[key]} times")
            elif values[key] != value:
                mismatches.append(f"{name}: {values[key]!r} != expected {value!r}")
            else:
                right += 1
        mismatches += [f"{table} {'/'.join(map(str, key))}: not expected" for key in counts if key not in wanted]
    return right, total, mismatches
