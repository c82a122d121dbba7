"""The interpreter on the messiness real reports show (../shared/report-format/README.md), one case at a time.

Most cases edit a seed report's text (tables as tab-separated lines) and compare with the seed's expected facts;
the last ones put the same messiness into rendered Word and PDF documents.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from crawler.extract import extract_document, office
from crawler.extract.blocks import Table
from crawler.extract.metadata import find_metadata
from crawler.extract.readers import read_document
from crawler.extract.sections import find_sections
from crawler.extract.vocabulary import FACT_KEYS
from replica.documents.build import site_reports
from replica.documents.facts import APPLICANTS, active_disclosure_keys, check_report, expected_document
from replica.documents.sites import SITES
from replica.documents.word import ReportSpec, filled_tables, render_docx
from tests.compare import compare_facts
from tests.test_extract_documents import accuracy_table

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
# 2019 template, all three tables, a row split over two lines ("4. 无正当理由大量" / "反复申请").
SEED = "seed-000-zibo-kjj-2020"
SEED_TEXT = (SEEDS / f"{SEED}.txt").read_text("utf-8")
SEED_EXPECTED = json.loads((SEEDS / f"{SEED}.expected.json").read_text("utf-8"))


def extract_text(text: str, hints: dict | None = None) -> dict:
    return extract_document(text.encode("utf-8"), "report.txt", hints)


def edited(old: str, new: str) -> str:
    assert SEED_TEXT.count(old) == 1, old
    return SEED_TEXT.replace(old, new)


def facts_of(result: dict, table: str) -> dict[tuple, dict]:
    return {tuple(fact[k] for k in FACT_KEYS[table]): fact for fact in result[table]}


def assert_all_seed_facts(result: dict) -> None:
    right, total, mismatches = compare_facts(result, SEED_EXPECTED)
    assert (right, mismatches) == (total, [])


def test_row_label_typo_matched_by_meaning():
    assert_all_seed_facts(extract_text(edited("2. 其他法律行政法规禁止公开", "2.其他法律行政止公开")))


def test_unrecognisable_row_label_matched_by_position():
    result = extract_text(edited("2. 其他法律行政法规禁止公开", "2. ？？？"))
    assert_all_seed_facts(result)
    assert result["warnings"] == []


def test_label_split_over_two_lines():
    text = edited("(四) 无法提供\t1. 本机关不掌握相关政府信息", "(四) 无\t1. 本机关不掌握相关政府信息")
    text = text.replace("\t2. 没有现成信息需要另行制作", "法提供\t2. 没有现成信息需要另行制作")
    assert_all_seed_facts(extract_text(text))


def test_extra_row_is_a_warning_not_a_fact():
    result = extract_text(edited("规范性文件\t0\t0\t4\n", "规范性文件\t0\t0\t4\n其他主动公开文件\t5\t5\t9\n"))
    assert_all_seed_facts(result)
    assert any("其他主动公开文件" in warning for warning in result["warnings"])


def test_extra_row_in_the_applications_table_is_a_warning_and_takes_no_row_s_place():
    """An agency's own sub-row under 新收 must not be read as the 上年结转 row printed below it."""
    new_received = "一、本年新收政府信息公开申请数量\t\t3\t0\t0\t0\t0\t0\t3\t\n"
    result = extract_text(edited(new_received, new_received + "其中：网上申请\t\t2\t0\t0\t0\t0\t0\t2\t\n"))
    assert_all_seed_facts(result)
    assert [check["name"] for check in result["checks"] if not check["passed"]] == []
    assert result["warnings"] == ["applications table: row '其中:网上申请' not recognised; ignored"]


def test_blank_cell_is_a_null_fact_with_empty_raw():
    result = extract_text(edited("规范性文件\t0\t0\t4", "规范性文件\t\t0\t4"))
    fact = facts_of(result, "active_disclosure")[("20.1", "normative_documents", "new_made")]
    assert (fact["value"], fact["raw"]) == (None, "")
    assert facts_of(result, "active_disclosure")[("20.1", "normative_documents", "total_published")]["value"] == 4


def test_failed_check_names_the_columns_and_changes_nothing():
    result = extract_text(edited("\t(七) 总计\t3\t0", "\t(七) 总计\t4\t0"))
    assert facts_of(result, "applications")[("total", "natural_person")]["value"] == 4
    checks = {check["name"]: check for check in result["checks"]}
    assert not checks["applications_total_row"]["passed"]
    assert "natural_person: total 4 != sum of outcome rows 3" in checks["applications_total_row"]["detail"]
    assert not checks["applications_balance"]["passed"]
    assert "natural_person" in checks["applications_balance"]["detail"]
    assert "commercial" not in checks["applications_balance"]["detail"]
    assert not checks["applications_total_column"]["passed"]
    assert checks["applications_total_column"]["detail"] == "total: total 3 != sum of applicant columns 4"
    assert checks["review_litigation_totals"]["passed"]


def test_table_printed_as_text_lines():
    """A PDF without ruling lines reads as lines like "规章 0 0 0": cells split at the spaces."""
    assert_all_seed_facts(extract_text(SEED_TEXT.replace("\t", " ")))


def test_table_printed_one_cell_per_paragraph():
    """Web pages flatten a table into one paragraph per cell (see seed-003): labels run until the first value."""
    lines = []
    for line in SEED_TEXT.splitlines():
        lines += [cell for cell in line.split("\t") if cell.strip()] if "\t" in line else [line]
    assert_all_seed_facts(extract_text("\n\n".join(lines)))


def test_2021_report_with_a_single_other_row():
    text = (SEEDS / "seed-001-zhangdian-kjj-2023.txt").read_text("utf-8")
    start = text.index("\t（六）其他处理")
    end = text.index("\t\n\t（七）总计")
    result = extract_text(text[:start] + "\t（六）其他处理\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\n" + text[end:])
    assert result["template"] == "2021"
    rows = {row for row, _ in facts_of(result, "applications")}
    assert "other" in rows and not any(row.startswith("other.") for row in rows)
    assert len(result["applications"]) == 23 * 7
    assert all(check["passed"] for check in result["checks"])


def test_report_before_2019_has_text_only():
    result = extract_text(edited("2020 年政府信息公开工作年度报告", "2017 年政府信息公开工作年度报告"))
    assert (result["year"], result["template"]) == (2017, None)
    assert result["active_disclosure"] == result["applications"] == result["review_litigation"] == []
    assert len(result["sections"]) == 6 and result["checks"] == []
    assert result["warnings"]


def test_no_tables_found_is_said_in_warnings():
    text = "\n".join(line for line in SEED_TEXT.splitlines() if "\t" not in line)
    result = extract_text(text)
    assert result["template"] is None and result["applications"] == []
    assert result["warnings"] == ["no statistical tables found"]


def test_hints_fill_only_what_the_document_lacks():
    hints = {"title": "淄博市科学技术局2020年政府信息公开工作年度报告", "agency": "淄博市科学技术局", "year": 2020}
    untitled = extract_text(edited("\n淄博市科学技术局\n\n2020 年政府信息公开工作年度报告\n", "\n"), hints)
    assert (untitled["title"], untitled["agency"], untitled["year"]) == (hints["title"], hints["agency"], 2020)
    wrong_hints = {"title": "某某局2099年报告", "agency": "某某局", "year": 2099}
    titled = extract_text(SEED_TEXT, wrong_hints)
    assert (titled["agency"], titled["year"]) == ("淄博市科学技术局", 2020)


def test_title_variants():
    cases = {
        ("2020年度淄博市科学技术局政府信息公开工作年度报告",): (
            "淄博市科学技术局", 2020, "2020年度淄博市科学技术局政府信息公开工作年度报告"),
        ("首页 > 年报", "固原市科学技术局 2020 年政府信息", "公开工作年度报告"): (
            "固原市科学技术局", 2020, "固原市科学技术局2020年政府信息公开工作年度报告"),
        ("淮安市人民政府", "2024 年政府信息公开工作年度报告", "本报告由市政府办公室编制。"): (
            "淮安市人民政府", 2024, "淮安市人民政府2024年政府信息公开工作年度报告"),
        # No agency named: none found (not "政府"), so the crawl's hint can fill it.
        ("2022年政府信息公开工作年度报告",): (None, 2022, "2022年政府信息公开工作年度报告"),
        ("2022年度政务公开工作年度报告",): (None, 2022, "2022年度政务公开工作年度报告"),
    }
    for lines, expected in cases.items():
        metadata = find_metadata(list(lines), {})
        assert (metadata.agency, metadata.year, metadata.title) == expected, lines


def test_page_title_naming_no_agency_gives_way_to_the_text_that_names_one():
    lines = ["张店区科学技术局2022年政府信息公开工作年度报告", "一、总体情况"]
    metadata = find_metadata(lines, {"agency": "hint"}, declared_title="2022年度政府信息公开工作年度报告")
    assert (metadata.title, metadata.agency, metadata.year) == (lines[0], "张店区科学技术局", 2022)
    untitled = find_metadata(["一、总体情况"], {"agency": "张店区科学技术局"}, declared_title="2022年度政府信息公开工作年度报告")
    assert (untitled.title, untitled.agency, untitled.year) == ("2022年度政府信息公开工作年度报告", "张店区科学技术局", 2022)


def test_sections_need_meaning_and_order():
    blocks = [
        "某局2021年政府信息公开工作年度报告",
        "一、总体情况：2021年，本局认真落实《条例》。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量",  # a row label, not a heading: out of order
        "四、结转下年度继续办理",  # a row label: says nothing of 复议/诉讼
        "政府信息公开行政复议、行政诉讼情况",  # Word's automatic numbering dropped the 四、
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "无。",
    ]
    preamble, sections = find_sections(blocks)
    assert preamble == ["某局2021年政府信息公开工作年度报告"]
    assert [section.number for section in sections] == [1, 2, 3, 4, 5, 6]
    assert sections[0].heading == "一、总体情况" and sections[0].lines == ["2021年，本局认真落实《条例》。"]
    assert sections[2].lines == ["一、本年新收政府信息公开申请数量", "四、结转下年度继续办理"]
    assert sections[5].as_dict() == {"number": 6, "heading": "六、其他需要报告的事项", "text": "无。"}


# --- the same messiness in rendered Word and PDF documents ------------------------------------------------------
# Each case takes a site's seed report (its real numbers and prose), renders it as the replica does (official
# template tables), makes it messy, converts it with LibreOffice where a PDF is wanted, and compares every fact;
# the expected check failures come from the replica's own check implementation (replica.documents.facts).

# Empty paragraphs put before the applications table of the zhangdian seed report (2021 template) so that a page
# break falls inside a merged row label, and the label fragment that then opens a table piece on the next page.
PAGE_BREAKS_INSIDE_LABELS = {6: "法提供", 17: "理结果", 36: "纳费用、行政机关不再处理其政府\n信息公开申请"}


def seed_report(spider: str) -> tuple[ReportSpec, dict]:
    """The site's seed-year report spec and its expected.json object."""
    site = next(site for site in SITES if site.spider == spider)
    return site_reports(site)[int(site.seed.stem.rsplit("-", 1)[1])]


def with_facts(spec: ReportSpec, **changes) -> tuple[ReportSpec, dict]:
    """The spec with some tables' facts replaced, and the expected.json object that goes with it; its check
    failures are the ones the replica's checks find (a blank cell counts as 0)."""
    facts = replace(spec.facts, **changes)
    expected = expected_document(spec.agency, facts, spec.wording)
    expected["expected_check_failures"] = sorted(name for name, failed in check_report(facts).items() if failed)
    return replace(spec, facts=facts), expected


def edited_docx(data: bytes, edit) -> bytes:
    """The .docx with `edit(body)` applied to its body element."""
    document = docx.Document(io.BytesIO(data))
    edit(document.element.body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replaced_texts(replacements: dict[str, str]):
    def edit(body) -> None:
        texts = list(body.iter(qn("w:t")))
        for old, new in replacements.items():
            matching = [text for text in texts if text.text == old]
            assert matching, old
            for text in matching:
                text.text = new
    return edit


def assert_every_fact(result: dict, expected: dict, name: str, request) -> None:
    right, total, mismatches = compare_facts(result, expected)
    accuracy_table(request.config).add(name, right, total)
    assert (right, mismatches) == (total, [])
    assert (result["year"], result["template"]) == (expected["year"], expected["template"])
    failed = sorted(check["name"] for check in result["checks"] if not check["passed"])
    assert failed == expected["expected_check_failures"]


@pytest.mark.parametrize("empty_paragraphs", sorted(PAGE_BREAKS_INSIDE_LABELS))
def test_pdf_table_split_across_pages_inside_a_row_label(empty_paragraphs: int, request):
    spec, expected = seed_report("zhangdian_kjj")

    def push_table_down(body) -> None:
        applications_table = list(body.iterchildren(qn("w:tbl")))[1]
        for _ in range(empty_paragraphs):
            applications_table.addprevious(OxmlElement("w:p"))

    pdf = office.convert(edited_docx(render_docx(spec), push_table_down), "docx", office.PDF)
    pieces = [block for block in read_document(pdf, "pdf").blocks if isinstance(block, Table)]
    first_cells = [next(cell for cell in piece.rows[0] if cell) for piece in pieces]
    assert PAGE_BREAKS_INSIDE_LABELS[empty_paragraphs] in first_cells, "the layout moved: pick new paragraph counts"
    assert_every_fact(extract_document(pdf, "split.pdf"), expected, f"messy: label split at a page break "
                      f"({empty_paragraphs}).pdf", request)


def test_blank_cells_and_blank_totals_in_a_pdf(request):
    """Zeros left blank in the outcome rows, and two blank total cells where the sum is not 0: null facts, and the
    checks that count a blank as 0 fail exactly where the blank totals are."""
    spec, _ = seed_report("zibo_kjj")
    applications = {key: (None if value == 0 and key[0] not in ("new_received", "carried_over") else value)
                    for key, value in spec.facts.applications.items()}
    applications["total", "total"] = applications["granted", "natural_person"] = None
    spec, expected = with_facts(spec, applications=applications)
    assert expected["expected_check_failures"]
    result = extract_document(office.convert(render_docx(spec), "docx", office.PDF), "blank.pdf")
    assert_every_fact(result, expected, "messy: blank cells and totals.pdf", request)
    assert facts_of(result, "applications")["total", "total"] == {"row": "total", "applicant": "total",
                                                                   "value": None, "raw": ""}


def test_label_typos_and_variant_wording_in_a_docx(request):
    spec, expected = seed_report("zibo_kjj")
    typos = replaced_texts({"2.其他法律行政法规禁止公开": "2.其他法律行政止公开", "3.危及“三安全一稳定”": "3.危及三安全一定",
                            "社会公益组织": "社会组织", "5.要求行政机关确认或重新出具已获取信息": "5.要求确认或重新出具",
                            "（一）予以公开": "(一)予以公开"})
    result = extract_document(edited_docx(render_docx(spec), typos), "typos.docx")
    assert_every_fact(result, expected, "messy: label typos.docx", request)
    assert result["warnings"] == []


def test_2021_report_with_a_single_other_row_as_pdf(request):
    """A 2021 report that still prints the 2019 template's one （六）其他处理 row (its sub-rows' sum)."""
    spec, expected = seed_report("zhangdian_kjj")
    facts = spec.facts
    other_rows = ("other.no_correction", "other.no_fee", "other.other")
    summed = {("other", applicant): sum(facts.applications[row, applicant] or 0 for row in other_rows)
              for applicant in APPLICANTS}
    # The 2019-shaped applications table, taken from a rendering of the same numbers on the 2019 template.
    as_2019 = replace(facts, template="2019", active_disclosure=dict.fromkeys(active_disclosure_keys("2019"), 0),
                      applications={**facts.applications, **summed})
    single_other_table = filled_tables(as_2019)[1]

    def swap_applications_table(body) -> None:
        list(body.iterchildren(qn("w:tbl")))[1].addnext(single_other_table)
        body.remove(list(body.iterchildren(qn("w:tbl")))[1])

    pdf = office.convert(edited_docx(render_docx(spec), swap_applications_table), "docx", office.PDF)
    expected["applications"] = [fact for fact in expected["applications"] if fact["row"] not in other_rows] + [
        {"row": "other", "applicant": applicant, "value": value, "raw": str(value)}
        for (_, applicant), value in summed.items()
    ]
    result = extract_document(pdf, "single-other.pdf")
    assert_every_fact(result, expected, "messy: 2021 single （六） row.pdf", request)
    assert len(result["applications"]) == 23 * 7


def test_totals_that_do_not_add_up_are_reported_not_repaired(request):
    spec, _ = seed_report("yanzhou_kjj")
    applications = dict(spec.facts.applications)
    applications["granted", "total"] += 1
    review = dict(spec.facts.review_litigation)
    review["review", "total"] += 2
    spec, expected = with_facts(spec, applications=applications, review_litigation=review)
    assert expected["expected_check_failures"] == ["applications_total_column", "applications_total_row",
                                                   "review_litigation_totals"]
    result = extract_document(office.convert(render_docx(spec), "docx", office.PDF), "totals.pdf")
    assert_every_fact(result, expected, "messy: totals not adding up.pdf", request)
