"""Extraction of real and replica reports, compared fact by fact with their hand-checked expected.json, and every
seed report rendered in every format the sites publish (.docx, PDF, .doc, .wps, HTML).

The run ends with an accuracy table (facts right / expected, per document) in pytest's terminal summary.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract_path, office
from crawler.extract.vocabulary import CHECKS
from replica.documents.build import site_reports
from replica.documents.html import render_html
from replica.documents.sites import SITES
from replica.documents.word import render_docx
from tests.compare import compare_facts

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
# Every published file of the replica's sites that has a ground truth beside it (infographics have none).
REPLICA_DOCUMENTS = sorted(
    path
    for path in (ROOT / "replica" / "documents").glob("*/*.*")
    if path.suffix != ".json" and path.with_name(path.name.split(".")[0] + ".expected.json").exists()
)
RENDERED_FORMATS = ("docx", "pdf", "doc", "wps", "html")

# The seed's text lost one cell in each of these rows: 6 numbers under 7 columns (its （一）予以公开 and （二）部分公开
# lines). Which column lost its cell cannot be told, so the extractor skips the rows with a warning instead of
# guessing; expected.json, written from the original report, has all 7. Any other difference fails the test.
CELLS_LOST_IN_RENDERING = {"seed-002-guyuan-kjj-2020": ("granted", "partially_granted")}


class AccuracyTable:
    """A pytest plugin collecting facts right / expected per document, printed at the end of the run."""

    def __init__(self):
        self.rows: list[tuple[str, int, int]] = []

    def add(self, document: str, right: int, total: int) -> None:
        self.rows.append((document, right, total))

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.rows:
            return
        terminalreporter.section("extraction accuracy (facts right / expected)")
        width = max(len(document) for document, _, _ in self.rows)
        for document, right, total in sorted(self.rows):
            share = f"{100 * right / total:7.2f}%" if total else "  (no tables: a pre-2019 report)"
            terminalreporter.write_line(f"{document:<{width}}  {right:>5} / {total:<5}{share}")
        right, total = sum(row[1] for row in self.rows), sum(row[2] for row in self.rows)
        terminalreporter.write_line(f"{'all ' + str(len(self.rows)) + ' documents':<{width}}  {right:>5} / {total:<5}"
                                    f"{100 * right / max(total, 1):7.2f}%")


def accuracy_table(config) -> AccuracyTable:
    """The run's AccuracyTable, registered as a plugin on first use (test_extract_messy.py adds to it too)."""
    table = config.pluginmanager.get_plugin("extraction-accuracy")
    if table is None:
        table = AccuracyTable()
        config.pluginmanager.register(table, "extraction-accuracy")
    return table


@pytest.fixture
def accuracy(request) -> AccuracyTable:
    return accuracy_table(request.config)


def expected_of(document: Path) -> dict:
    return json.loads(document.with_name(document.name.split(".")[0] + ".expected.json").read_text("utf-8"))


def assert_matches_expected(result: dict, expected: dict, accuracy: AccuracyTable, name: str,
                            lost_rows: tuple[str, ...] = ()) -> None:
    """Every fact's value, the metadata, and exactly the expected check failures; the score goes to the table."""
    right, total, mismatches = compare_facts(result, expected)
    accuracy.add(name, right, total)
    lost = {
        f"applications {fact['row']}/{fact['applicant']}: missing"
        for fact in expected["applications"]
        if fact["row"] in lost_rows
    }
    unexplained = [m for m in mismatches if m.split(" (expected")[0] not in lost]
    assert not unexplained, f"{right}/{total} facts right; differences:\n" + "\n".join(unexplained)
    assert right == total - len(lost)
    for field in ("title", "agency", "year", "template"):
        assert result[field] == expected[field], field
    failed = sorted(check["name"] for check in result["checks"] if not check["passed"])
    assert failed == sorted(expected["expected_check_failures"]), result["checks"]


def test_huaian_pdf_every_fact_and_check(accuracy):
    result = extract_path(SHARED / "real-reports" / "huaian-2024.pdf")
    assert_matches_expected(result, expected_of(SHARED / "real-reports" / "huaian-2024.pdf"), accuracy,
                            "huaian-2024.pdf")
    # Every check of the vocabulary but the one across reports, once each.
    assert [check["name"] for check in result["checks"]] == [name for name in CHECKS if name != "carryover_continuity"]
    assert all(check["passed"] for check in result["checks"])
    assert result["source"]["kind"] == "pdf" and result["source"]["file"] == "huaian-2024.pdf"
    assert result["warnings"] == []


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_seed_text_every_fact(seed: Path, accuracy):
    result = extract_path(seed)
    lost_rows = CELLS_LOST_IN_RENDERING.get(seed.stem, ())
    assert_matches_expected(result, expected_of(seed), accuracy, seed.name, lost_rows)
    assert [section["number"] for section in result["sections"]] == [1, 2, 3, 4, 5, 6]
    assert all(any(row in warning for warning in result["warnings"]) for row in lost_rows)


def test_seeds_are_present():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("document", REPLICA_DOCUMENTS, ids=lambda path: path.name)
def test_replica_document_every_fact(document: Path, accuracy):
    """Every format the replica publishes, the scanned PDF (OCR) and the .doc/.wps (LibreOffice) included."""
    result = extract_path(document)
    expected = expected_of(document)
    assert_matches_expected(result, expected, accuracy, document.name)
    assert result["source"]["kind"] == document.suffix[1:]
    assert [section["number"] for section in result["sections"]] == [1, 2, 3, 4, 5, 6]
    if expected["template"]:  # a pre-template report says in its warnings why it has no facts
        assert result["warnings"] == []


def test_replica_documents_are_present():
    assert {".docx", ".pdf", ".html", ".doc", ".wps"} <= {path.suffix for path in REPLICA_DOCUMENTS}


@pytest.fixture(scope="session")
def seed_renderings(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, dict]]:
    """Each site's seed report (its real numbers) as .docx, LibreOffice's PDF and Word 97 .doc (the same bytes
    named .wps: WPS Writer files are in the Word 97 layout) and the site's HTML fragment, with its expected.json
    object; keyed by (seed file stem, format). One soffice makes them all."""
    folder = tmp_path_factory.mktemp("seed-renderings")
    renderings = {}
    for site in SITES:
        seed_year = int(site.seed.stem.rsplit("-", 1)[1])
        spec, expected = site_reports(site)[seed_year]
        docx = render_docx(spec)
        word_97 = office.convert(docx, "docx", office.WORD_97)
        contents = {"docx": docx, "pdf": office.convert(docx, "docx", office.PDF), "doc": word_97, "wps": word_97,
                    "html": render_html(spec)}
        for format, data in contents.items():
            path = folder / f"{site.seed.stem}.{format}"
            path.write_bytes(data)
            renderings[site.seed.stem, format] = (path, expected)
    return renderings


@pytest.mark.parametrize("format", RENDERED_FORMATS)
@pytest.mark.parametrize("seed", [path.stem for path in SEEDS])
def test_seed_rendered_in_every_format_every_fact(seed: str, format: str, seed_renderings, accuracy):
    path, expected = seed_renderings[seed, format]
    result = extract_path(path)
    assert_matches_expected(result, expected, accuracy, path.name)
    assert result["source"]["kind"] == format
    assert [section["number"] for section in result["sections"]] == [1, 2, 3, 4, 5, 6]
    assert result["warnings"] == []


def test_seed_renderings_cover_both_templates(seed_renderings):
    assert {expected["template"] for _, expected in seed_renderings.values()} == {"2019", "2021"}


def test_official_template_blank_cells_are_null_facts():
    """The unfilled 2021 template: every fact present once, value null, raw ''; the merged cells read once."""
    result = extract_path(SHARED / "real-reports" / "official-template-2021.docx")
    assert result["template"] == "2021"
    assert (len(result["active_disclosure"]), len(result["applications"]), len(result["review_litigation"])) == (
        10, 25 * 7, 15
    )
    facts = result["active_disclosure"] + result["applications"] + result["review_litigation"]
    assert all(fact["value"] is None and fact["raw"] == "" for fact in facts)
    assert result["title"] == "政府信息公开工作年度报告格式模板" and result["year"] is None
