"""Write every site's report documents: python -m replica.documents.build [--site SPIDER] [--all-pdfs]

For each site and year, in replica/documents/<spider>/: <stem>-<year>.expected.json and the report in the formats
the site publishes (sites.py): .docx, LibreOffice's .pdf, a scanned image-only .pdf, an .html fragment, Word 97
.doc or .wps, a （图解） .png. Files LibreOffice makes (PDF, .doc, .wps) come from the Word report, which is kept
in source/ when the site does not publish it. A file whose content did not change is not rewritten, and only
changed Word reports are converted again (one soffice run per site and target format), so a rebuild leaves the
committed fixtures untouched (LibreOffice stamps every PDF and .doc with the time of conversion).
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

from .facts import (
    check_carryover,
    check_report,
    expected_document,
    expected_pre_template_document,
    facts_from_expected,
    with_style,
)
from .html import render_html
from .infographic import render_infographic
from .pdf import PDF, WORD_97, convert
from .prose import pre_template_prose, prose_from_seed_text, shift_years, with_paragraph
from .scan import scanned_pdf
from .series import derive_series
from .sites import SITES, SiteReports
from .word import ReportSpec, render_docx

DOCUMENTS_DIR = Path(__file__).resolve().parent

# Formats LibreOffice makes from the Word report, and its --convert-to target for each. A .wps is the Word 97
# binary under WPS Writer's name: WPS Writer files are OLE2 compound documents in the Word 97 binary layout (which
# is why LibreOffice opens them with its Word filter), so the same bytes stand for both.
_CONVERTED = {"pdf": PDF, "scanned-pdf": PDF, "doc": WORD_97, "wps": WORD_97}


def site_reports(site: SiteReports) -> dict[int, tuple[ReportSpec, dict]]:
    """Each year's report spec and expected.json object; raises if a year's facts fail a check, or if
    consecutive years break carryover anywhere but in the declared year."""
    seed_facts = facts_from_expected(json.loads(site.seed.with_suffix(".expected.json").read_text("utf-8")))
    seed_prose = prose_from_seed_text(site.seed.with_suffix(".txt").read_text("utf-8"))
    series = derive_series(seed_facts, site.years, key=site.spider, carryover_break=site.carryover_break)
    series = {year: facts if year == seed_facts.year else with_style(facts, site.style)
              for year, facts in series.items()}
    failures = {}
    for year, facts in series.items():
        failed = {name: bad for name, bad in check_report(facts).items() if bad}
        if failed:
            failures[year] = failed
    carryover = check_carryover(list(series.values()))
    broken_years = {int(entry.split("/")[0]) for entry in carryover}
    if failures or broken_years != ({site.carryover_break} if site.carryover_break else set()):
        raise ValueError(f"{site.spider}: inconsistent facts {failures}, carryover breaks {carryover}")

    reports = {}
    if site.pre_template_year:
        year = site.pre_template_year
        prose = pre_template_prose(site.agency, year, random.Random(f"{site.spider}-{year}"))
        reports[year] = (ReportSpec(site.agency, year, None, prose, site.wording),
                         expected_pre_template_document(site.agency, year, site.wording))
    for year, facts in series.items():
        prose = shift_years(seed_prose, year - seed_facts.year)
        expected = expected_document(site.agency, facts, site.wording)
        if year == site.carryover_break:
            handed_over = facts.applications["carried_over", "total"] \
                - series[year - 1].applications["carried_forward", "total"]
            prose = with_paragraph(prose, 3, site.carryover_break_note.format(previous=year - 1,
                                                                              handed_over=handed_over))
            # Single-report checks still pass; carryover_continuity with the previous report deliberately fails.
            expected["carryover_break_from"] = year - 1
        reports[year] = (ReportSpec(site.agency, year, facts, prose, site.wording), expected)
    return reports


class _Conversion(NamedTuple):
    format: str
    source: Path  # the Word report
    output: Path
    spec: ReportSpec


def build_site(site: SiteReports, all_pdfs: bool = False) -> list[Path]:
    """Write the site's documents; returns the files written (unchanged files are not)."""
    (DOCUMENTS_DIR / site.spider).mkdir(exist_ok=True)
    written, conversions = [], []
    for year, (spec, expected) in site_reports(site).items():
        formats = site.formats_of(year)
        expected_json = json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
        contents = {DOCUMENTS_DIR / site.spider / f"{site.file_stem}-{year}.expected.json": expected_json.encode()}
        if "html" in formats:
            contents[DOCUMENTS_DIR / site.path(year, "html")] = render_html(spec)
        if "infographic" in formats:
            contents[DOCUMENTS_DIR / site.path(year, "infographic")] = render_infographic(spec.title, spec.facts, spec.prose)
        source = site.word_source(year)
        if source is not None:
            contents[DOCUMENTS_DIR / source] = render_docx(spec)
        changed = {path for path, content in contents.items() if _write_if_changed(path, content)}
        written.extend(sorted(changed))
        for format in formats:
            output = DOCUMENTS_DIR / site.path(year, format)
            if format in _CONVERTED and (DOCUMENTS_DIR / source in changed or all_pdfs or not output.exists()):
                conversions.append(_Conversion(format, DOCUMENTS_DIR / source, output, spec))
    written.extend(_convert(site, conversions))
    return written


def _convert(site: SiteReports, conversions: list[_Conversion]) -> list[Path]:
    """Make the converted files: one soffice run per target format into a scratch folder, then each file is
    copied (a .wps under its own name) or, for a scanned PDF, rasterised into its place."""
    written = []
    with tempfile.TemporaryDirectory(prefix="convert-") as scratch:
        for target in (PDF, WORD_97):
            batch = [conversion for conversion in conversions if _CONVERTED[conversion.format] == target]
            made = convert(sorted({conversion.source for conversion in batch}), Path(scratch), target)
            made_from = {path.stem: path for path in made}
            for conversion in batch:
                converted = made_from[conversion.source.stem]
                if conversion.format == "scanned-pdf":
                    year = conversion.spec.year
                    scanned_pdf(converted, conversion.output, key=f"{site.spider}-{year}-scan",
                                title=conversion.spec.title, author=conversion.spec.agency,
                                published=datetime.datetime(year + 1, 2, 3, 10, 30))
                else:
                    shutil.copyfile(converted, conversion.output)
                written.append(conversion.output)
    return written


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", choices=[site.spider for site in SITES], help="only this site (default: all)")
    parser.add_argument("--all-pdfs", action="store_true",
                        help="convert every Word report again (PDF, scanned PDF, .doc, .wps), changed or not")
    args = parser.parse_args(argv)
    for site in SITES:
        if args.site in (None, site.spider):
            written = build_site(site, all_pdfs=args.all_pdfs)
            print(f"{site.spider}: {len(written)} files written" + "".join(
                f"\n  {path.relative_to(DOCUMENTS_DIR / site.spider)}" for path in written))


if __name__ == "__main__":
    main()
