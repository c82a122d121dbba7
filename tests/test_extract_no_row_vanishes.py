"""No row vanishes (issue 10, item 8): every fact of the template is in the output or named in a warning, and no
check passes without the facts it compares.

- A row printed with every cell blank (blank meaning 0) gives null facts in every rendering, even those that print
  nothing for a blank cell, so that its label runs into the next row's.
- A row that cannot be read is named in a warning, and the checks that need it are not passed.
"""

from __future__ import annotations

import copy

from crawler.extract import extract_document, office
from crawler.extract.checks import run_checks
from crawler.extract.compare import compare_facts
from replica.documents.facts import APPLICANTS
from replica.documents.word import render_docx
from tests.test_extract_messy import (
    SEED_EXPECTED,
    assert_every_fact,
    edited,
    edited_docx,
    extract_text,
    facts_of,
    replaced_texts,
    seed_report,
    with_facts,
)

THIRD_PARTY_ROW = "\t4. 保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0"


def expected_with_blank_row(row: str) -> dict:
    """The seed's expected facts with every cell of `row` blank."""
    expected = copy.deepcopy(SEED_EXPECTED)
    for fact in expected["applications"]:
        if fact["row"] == row:
            fact["value"], fact["raw"] = None, ""
    return expected


def assert_facts(result: dict, expected: dict) -> None:
    right, total, mismatches = compare_facts(result, expected)
    assert (right, mismatches) == (total, [])


def one_cell_per_paragraph(text: str) -> str:
    """The text as a web page flattens its tables: a paragraph per non-blank cell."""
    lines = []
    for line in text.splitlines():
        lines += [cell for cell in line.split("\t") if cell.strip()] if "\t" in line else [line]
    return "\n\n".join(lines)


def test_blank_row_is_null_facts_in_renderings_that_print_nothing_for_blank_cells():
    """A tab-separated line cannot show blank cells at its end, a text line shows none, a flattened web page has no
    paragraph for them: the blank row's label alone is left, and used to run into the next row's label."""
    with_blank_row = edited(THIRD_PARTY_ROW, "\t4. 保护第三方合法权益\t\t\t\t\t\t\t")
    expected = expected_with_blank_row("denied.third_party")
    for rendering in (with_blank_row, with_blank_row.replace("\t", " "), one_cell_per_paragraph(with_blank_row)):
        result = extract_text(rendering)
        assert_facts(result, expected)
        assert facts_of(result, "applications")["denied.third_party", "total"]["raw"] == ""
        assert result["warnings"] == []
        assert all(check["passed"] for check in result["checks"]) and len(result["checks"]) == 4


def test_blank_row_before_an_unrecognised_label_takes_no_values_from_it():
    """The row after the blank one has a label that says nothing: it is the next row, not the rest of the blank
    row's label."""
    text = edited(THIRD_PARTY_ROW + "\n\t5. 属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0",
                  "\t4. 保护第三方合法权益\t\t\t\t\t\t\t\n\t5. 属于？？？\t0\t0\t0\t0\t0\t0\t0")
    result = extract_text(text)
    assert_facts(result, expected_with_blank_row("denied.third_party"))
    assert result["warnings"] == []


def test_check_lacking_a_row_is_not_passed_and_the_warnings_name_the_row():
    """The （一）予以公开 row lost a cell: it cannot be read (which column lost it cannot be told). The checks that
    add it up are not passed: left out when the rest adds up, failed when it does not; the warnings say what they
    lacked."""
    lost_cell = edited("(一) 予以公开\t2\t0\t0\t0\t0\t0\t2", "(一) 予以公开\t2\t0\t0\t0\t0\t2")
    result = extract_text(lost_cell)
    checks = {check["name"]: check for check in result["checks"]}
    assert sorted(checks) == ["applications_balance", "review_litigation_totals"]
    assert all(check["passed"] for check in checks.values())
    assert result["warnings"] == [
        "applications table: row granted has 6 cells for 7 columns; skipped",
        "applications table: not found: rows granted",
        "check applications_total_row not evaluated where facts are missing: rows granted",
        "check applications_total_column not evaluated where facts are missing: rows granted",
    ]

    result = extract_text(lost_cell.replace("1. 本机关不掌握相关政府信息\t1\t0", "1. 本机关不掌握相关政府信息\t2\t0"))
    checks = {check["name"]: check for check in result["checks"]}
    assert checks["applications_total_column"] == {
        "name": "applications_total_column", "passed": False,
        "detail": "unavailable.not_held: total 1 != sum of applicant columns 2",
    }
    assert ("check applications_total_column failed; it was not evaluated where facts are missing: rows granted"
            in result["warnings"])


def test_check_lacking_columns_is_not_passed():
    """Facts without two columns: no check of the applications table passes; each names the columns it lacked."""
    applications = [fact for fact in SEED_EXPECTED["applications"] if fact["applicant"] not in ("other_org", "total")]
    checks, warnings = run_checks(applications, SEED_EXPECTED["review_litigation"])
    assert [check["name"] for check in checks] == ["review_litigation_totals"]
    assert warnings == [f"check {name} not evaluated where facts are missing: columns other_org, total"
                        for name in ("applications_balance", "applications_total_row", "applications_total_column")]


def test_blank_rows_in_a_pdf_whose_labels_say_nothing(request):
    """A rendered PDF whose 4.保护第三方合法权益 row is blank in every cell, with a 内部事务 count that its total
    leaves out (so applications_total_row must fail). When the next row's label is unrecognisable, its values stay
    in its row; when the blank row's own label is, the row is named in a warning and no check that needs it is
    passed."""
    spec, _ = seed_report("zibo_kjj")
    applications = dict(spec.facts.applications)
    applications |= {("denied.third_party", applicant): None for applicant in APPLICANTS}
    applications["denied.internal_affairs", "natural_person"] = applications["denied.internal_affairs", "total"] = 5
    spec, expected = with_facts(spec, applications=applications)
    assert expected["expected_check_failures"] == ["applications_total_row"]

    next_label_unrecognisable = replaced_texts({"5.属于三类内部事务信息": "5.属于？？？"})
    pdf = office.convert(edited_docx(render_docx(spec), next_label_unrecognisable), "docx", office.PDF)
    result = extract_document(pdf, "next-label.pdf")
    assert_every_fact(result, expected, "no row vanishes: blank row before a typo.pdf", request)
    assert result["warnings"] == []

    own_label_unrecognisable = replaced_texts({"4.保护第三方合法权益": "4.保护？？？"})
    pdf = office.convert(edited_docx(render_docx(spec), own_label_unrecognisable), "docx", office.PDF)
    result = extract_document(pdf, "own-label.pdf")
    expected["applications"] = [fact for fact in expected["applications"] if fact["row"] != "denied.third_party"]
    assert compare_facts(result, expected)[2] == []
    assert [check["name"] for check in result["checks"]] == ["applications_balance", "review_litigation_totals"]
    assert result["warnings"] == [
        "applications table: not found: rows denied.third_party",
        "check applications_total_row not evaluated where facts are missing: rows denied.third_party",
        "check applications_total_column not evaluated where facts are missing: rows denied.third_party",
    ]
