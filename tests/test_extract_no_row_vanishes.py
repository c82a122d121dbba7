"""No row vanishes (issue 10, item 8): every fact of the template is in the output or named in a warning, and no
check passes without the facts it compares.

- A row printed with every cell blank (blank meaning 0) gives null facts in every rendering, even those that print
  nothing for a blank cell, so that its label runs into the next row's.
- A row that cannot be read is named in a warning, and the checks that need it are not passed.
- A table cut at the page's edge (wider than the page, as Word and LibreOffice export it) keeps the cells that show
  in their own columns, placed under the column headers, and the warnings name the columns cut off.
"""

from __future__ import annotations

import copy

from docx.oxml.ns import qn

from crawler.extract import extract_document, office
from crawler.extract.checks import run_checks
from replica.documents.facts import APPLICANTS, application_rows
from replica.documents.word import render_docx
from tests.compare import compare_facts
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


def cut_at_the_page_edge(body) -> None:
    """Every table set against the left margin, and the page made narrower, so that its right edge falls where the
    applications table's last two columns (其他, 总计) begin: they, and whatever the other tables print that far
    right, are beyond the page."""
    tables = list(body.iterchildren(qn("w:tbl")))
    for table in tables:
        table.find(qn("w:tblPr")).find(qn("w:jc")).set(qn("w:val"), "left")
    column_widths = [int(column.get(qn("w:w"))) for column in tables[1].find(qn("w:tblGrid"))]
    section = body.find(qn("w:sectPr"))
    left_margin = int(section.find(qn("w:pgMar")).get(qn("w:left")))
    section.find(qn("w:pgSz")).set(qn("w:w"), str(left_margin + sum(column_widths[:-2])))


def test_table_cut_at_the_page_edge_keeps_what_shows_in_its_columns(request):
    """A 2021 report with a distinct number in every applications cell, printed on a page too narrow for its
    tables. What shows is read into its own column; the columns cut off are missing, named in warnings, and leave
    the checks that need them unevaluated."""
    spec, _ = seed_report("zhangdian_kjj")
    distinct = {(row, applicant): 100 * number + column
                for number, row in enumerate(application_rows("2021"), 1)
                for column, applicant in enumerate(APPLICANTS, 1)}
    spec, expected = with_facts(spec, applications=distinct)
    result = extract_document(office.convert(edited_docx(render_docx(spec), cut_at_the_page_edge), "docx",
                                             office.PDF), "cut.pdf")

    right, total, mismatches = compare_facts(result, expected)
    assert [mismatch for mismatch in mismatches if "missing" not in mismatch] == []  # no value in a wrong place
    missing = {mismatch.split(":")[0] for mismatch in mismatches}
    cut_columns = {f"applications {row}/{applicant}" for row in application_rows("2021")
                   for applicant in ("other_org", "total")}
    assert {name for name in missing if name.startswith("applications")} == cut_columns
    assert right == total - len(missing)
    assert [warning for warning in result["warnings"] if warning.startswith("applications table")] == [
        "applications table: not found: columns other_org, total"]
    # The other tables lose their own rightmost columns, named per table.
    for table, prefix in (("active_disclosure", "第二十条 table: not found"),
                          ("review_litigation", "review/litigation table: not found")):
        assert any(name.startswith(table) for name in missing), "the layout moved: pick a new page width"
        assert sum(warning.startswith(prefix) for warning in result["warnings"]) == 1
    # The made-up numbers do not add up: a check fails on the columns it can compare, or is left out; none passes.
    assert not any(check["passed"] for check in result["checks"] if check["name"].startswith("applications"))
    for name in ("applications_balance", "applications_total_row", "applications_total_column"):
        assert any(warning.startswith(f"check {name} ") and warning.endswith("missing: columns other_org, total")
                   for warning in result["warnings"])
