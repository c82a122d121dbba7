"""Write every site's report documents: python -m replica.documents.build [--site SPIDER] [--all-pdfs]

For each site and year: <stem>-<year>.docx, its PDF and <stem>-<year>.expected.json in replica/documents/<spider>/.
A file whose content did not change is not rewritten, and only changed Word files are converted again, so a
rebuild leaves the committed fixtures untouched (LibreOffice stamps every PDF with the time of conversion).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .facts import check_carryover, check_report, expected_document, facts_from_expected
from .pdf import convert_to_pdf
from .prose import prose_from_seed_text, shift_years
from .series import derive_series
from .sites import SITES, SiteReports
from .word import ReportSpec, render_docx

DOCUMENTS_DIR = Path(__file__).resolve().parent


def site_reports(site: SiteReports) -> dict[int, tuple[ReportSpec, dict]]:
    """Each year's report spec and expected.json object; raises if a year's facts fail a check."""
    seed_facts = facts_from_expected(json.loads(site.seed.with_suffix(".expected.json").read_text("utf-8")))
    seed_prose = prose_from_seed_text(site.seed.with_suffix(".txt").read_text("utf-8"))
    series = derive_series(seed_facts, site.years, key=site.spider)
    failures = {}
    for year, facts in series.items():
        failed = {name: bad for name, bad in check_report(facts).items() if bad}
        if failed:
            failures[year] = failed
    carryover = check_carryover(list(series.values()))
    if failures or carryover:
        raise ValueError(f"{site.spider}: inconsistent facts {failures}, carryover breaks {carryover}")
    return {
        year: (ReportSpec(site.agency, facts, shift_years(seed_prose, year - seed_facts.year)),
               expected_document(site.agency, facts))
        for year, facts in series.items()
    }


def build_site(site: SiteReports, all_pdfs: bool = False) -> list[Path]:
    """Write the site's documents; returns the files written (unchanged files are not)."""
    output_dir = DOCUMENTS_DIR / site.spider
    output_dir.mkdir(exist_ok=True)
    written, to_convert = [], []
    for year, (spec, expected) in site_reports(site).items():
        stem = output_dir / f"{site.file_stem}-{year}"
        expected_json = json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
        if _write_if_changed(stem.with_suffix(".expected.json"), expected_json.encode("utf-8")):
            written.append(stem.with_suffix(".expected.json"))
        docx_path = stem.with_suffix(".docx")
        if _write_if_changed(docx_path, render_docx(spec)):
            written.append(docx_path)
            to_convert.append(docx_path)
        elif all_pdfs or not stem.with_suffix(".pdf").exists():
            to_convert.append(docx_path)
    written.extend(convert_to_pdf(to_convert, output_dir))
    return written


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and path.read_bytes() == content:
        return False
    path.write_bytes(content)
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", choices=[site.spider for site in SITES], help="only this site (default: all)")
    parser.add_argument("--all-pdfs", action="store_true", help="convert every Word file, changed or not")
    args = parser.parse_args(argv)
    for site in SITES:
        if args.site in (None, site.spider):
            written = build_site(site, all_pdfs=args.all_pdfs)
            print(f"{site.spider}: {len(written)} files written" + "".join(f"\n  {path.name}" for path in written))


if __name__ == "__main__":
    main()
