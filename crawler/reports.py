"""What a report's row in the database says that needs no database: its ID, its site, which of its documents its facts
are taken from, its status, what its version is judged by, and its headline numbers."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from crawler.extract.kinds import KINDS
from crawler.extract.vocabulary import FACT_KEYS
from crawler.items import Document, ReportItem
from crawler.text import without_whitespace

# When a report offers the same text in several formats, facts come from the most faithful one.


def stable_id(*parts: str) -> str:
    """An ID derived from what identifies a thing (spider + page URL; report + attachment URL), so a re-crawl or a
    rebuild yields the same IDs."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def agency_name(name: str) -> str:
    """An agency's name as one spelling: full-width letters, digits and brackets folded (NFKC), no whitespace or
    stray punctuation around it. Nothing else changes: 中共某某县委宣传部 and 某某县委宣传部 stay two bodies, since
    a Party office and a government office are not the same publisher."""
    return without_whitespace(unicodedata.normalize("NFKC", name)).strip("·•,，.。:：;；")


def agency_id(name: str, region: str, unit_code: str = "") -> str:
    """What identifies a reporting body across reports and crawls: the platform's unit code where it gives one (it
    survives a renaming), else its normalised name within its region (two counties each have a 财政局)."""
    return unit_code.strip() or f"{region}/{agency_name(name)}"


def site_of(url: str) -> str:
    """The website a page belongs to: http://kjj.zibo.gov.cn for any page of it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def fact_count(extraction: dict) -> int:
    return sum(len(extraction.get(table, [])) for table in FACT_KEYS)


def facts_source(documents: list[Document]) -> Document | None:
    """The document whose extraction the report's facts are taken from: most facts, then passing checks,
    then an attachment over the page around it (the page often repeats the report as a lossy copy), then the most
    faithful format."""
    readable = [d for d in documents if d.extraction is not None]
    if not readable:
        return None

    def rank(document: Document):
        extraction = document.extraction
        failed_checks = sum(not check["passed"] for check in extraction.get("checks", []))
        return (
            -fact_count(extraction),
            failed_checks,
            document.role == "page",
            KINDS[document.kind].preference if document.kind in KINDS else len(KINDS),
        )

    return min(readable, key=rank)


def report_status(source: Document | None) -> str:
    if source is None:
        return "unreadable"
    if fact_count(source.extraction) == 0:
        return "no_tables"
    if any(not check["passed"] for check in source.extraction.get("checks", [])):
        return "check_failed"
    return "ok"


def report_content_hash(item: ReportItem) -> str:
    """What a report's version is judged by: its attachments' bytes, or, for a report that is only a page,
    the page's bytes (a page around attachments changes with every view counter, the attachments do not)."""
    attachments = sorted(d.sha256 for d in item.documents if d.role == "attachment" and d.sha256)
    return hashlib.sha256("\n".join(attachments or [item.page_document.sha256 or ""]).encode()).hexdigest()


def _sum_present(values: Iterable[int | float | None]) -> int | float | None:
    """The sum of the values that were printed; None when none was (a blank table is not a zero)."""
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def headline_numbers(extraction: dict) -> dict:
    """The numbers a reader looks for first, from the 总计 column and rows of the report's tables, as columns of
    `reports` (so that ranking agencies or years needs no scan of the facts)."""
    totals = defaultdict(list)
    for fact in extraction.get("applications", []):
        if fact["applicant"] == "total":
            totals[fact["row"].split(".")[0]].append(fact["value"])
    for fact in extraction.get("review_litigation", []):
        if fact["outcome"] == "total":
            totals["reviews" if fact["proceeding"] == "review" else "lawsuits"].append(fact["value"])
    columns = {
        "requests_received": "new_received",
        "requests_handled": "total",
        "granted": "granted",
        "partially_granted": "partially_granted",
        "denied": "denied",
        "unavailable": "unavailable",
        "not_processed": "not_processed",
        "other_outcomes": "other",
        "reviews": "reviews",
        "lawsuits": "lawsuits",
    }
    return {column: _sum_present(totals.get(key, [])) for column, key in columns.items()}
