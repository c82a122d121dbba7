"""One document's bytes → the annual-report contract object (../shared/report-format/README.md)."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePath

from crawler.extract.blocks import Uncertain
from crawler.extract.checks import run_checks
from crawler.extract.kinds import sniff_kind
from crawler.extract.metadata import find_metadata
from crawler.extract.readers import read_document
from crawler.extract.sections import Section, find_sections
from crawler.extract.tables import Tables, read_tables
from crawler.extract.vocabulary import FACT_KEYS, template_for_year

SCHEMA = "annual-report/1"
_TABLE_SECTIONS = {"active_disclosure": 2, "applications": 3, "review_litigation": 4}


def extract_document(data: bytes, filename: str | None = None, hints: dict | None = None) -> dict:
    """The contract object for a document. `hints` (title, agency, year, url: what the crawl knows) fill in only
    what the document does not say. Raises UnreadableDocument when the bytes cannot be read at all."""
    kind = sniff_kind(data, filename)
    reading = read_document(data, kind)
    blocks = reading.blocks
    preamble, sections = find_sections(blocks)
    metadata = find_metadata(preamble, hints or {}, reading.title)
    if metadata.year is not None and template_for_year(metadata.year) is None:  # text only
        tables = Tables(None, [], [], [], [f"a {metadata.year} report predates the templates: tables not read"])
    else:
        tables = read_tables(blocks, _table_regions(sections, len(blocks)), metadata.year)
    checks, check_warnings = run_checks(tables.applications, tables.review_litigation)
    return {
        "schema": SCHEMA,
        "source": {
            "file": PurePath(filename).name if filename else None,
            "sha256": hashlib.sha256(data).hexdigest(),
            "kind": kind,
        },
        "title": metadata.title,
        "agency": metadata.agency,
        "year": metadata.year,
        "template": tables.template,
        "sections": [section.as_dict() for section in sections],
        "active_disclosure": tables.active_disclosure,
        "applications": tables.applications,
        "review_litigation": tables.review_litigation,
        "checks": checks,
        "warnings": reading.warnings + tables.warnings + check_warnings + _uncertain_facts(tables),
    }


def extract_path(path) -> dict:
    """extract_document for a file; source.file is its base name."""
    path = Path(path)
    return extract_document(path.read_bytes(), path.name)


def _uncertain_facts(tables: Tables) -> list[str]:
    """A warning naming each fact read from a cell its reader was unsure of (OCR); the fact's raw becomes plain
    text again."""
    warnings = []
    for table, key_fields in FACT_KEYS.items():
        for fact in getattr(tables, table):
            if isinstance(fact["raw"], Uncertain):
                key = "/".join(str(fact[field]) for field in key_fields)
                warnings.append(f"{table} {key}: OCR read {fact['raw']!r} with confidence {fact['raw'].confidence:.2f}")
                fact["raw"] = str(fact["raw"])
    return warnings


def _table_regions(sections: list[Section], block_count: int) -> dict[str, tuple[int, int]]:
    """Block ranges to look for each table in: its section when the headings were found (a missing heading widens
    the range to its neighbours'), else the whole document."""
    starts = {section.number: section.first_block for section in sections}
    regions = {}
    for table, number in _TABLE_SECTIONS.items():
        start = max((block for n, block in starts.items() if n <= number), default=0)
        end = min((block for n, block in starts.items() if n > number), default=block_count)
        regions[table] = (start, end)
    return regions
