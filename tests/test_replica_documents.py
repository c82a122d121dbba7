"""The replica's report documents (replica/documents/<spider>/): their ground truth is consistent and complete,
the Word tables keep the official template's merged cells and hold exactly the ground truth, the 2020 report of
淄博市科学技术局 carries the real report's (seed-000's) numbers, and the PDFs have a Chinese text layer.

The tests read the committed files; they generate nothing but one .docx in memory. Table cells are read back
with python-docx and located by vocabulary.json's labels and order, not by the generator's own layouts.
"""

from __future__ import annotations

import copy
import json
import re

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from replica.documents import SHARED_DIR
from replica.documents.build import DOCUMENTS_DIR, site_reports
from replica.documents.facts import check_carryover, check_report, facts_from_expected, template_for_year
from replica.documents.sites import SITES
from replica.documents.word import OFFICIAL_TEMPLATE_DOCX, render_docx

VOCABULARY = json.loads((SHARED_DIR / "report-format" / "vocabulary.json").read_text("utf-8"))
SEED_000 = json.loads((SHARED_DIR / "seeds" / "seed-000-zibo-kjj-2020.expected.json").read_text("utf-8"))
ZIBO_KJJ = next(site for site in SITES if site.spider == "zibo_kjj")
REPORTS = [(site, year) for site in SITES for year in site.years]
REPORT_IDS = [f"{site.spider}-{year}" for site, year in REPORTS]
SECTION_NUMERALS = "一二三四五六"


def report_file(site, year, suffix):
    return DOCUMENTS_DIR / site.spider / f"{site.file_stem}-{year}{suffix}"


def expected_of(site, year):
    return json.loads(report_file(site, year, ".expected.json").read_text("utf-8"))


def label(text):
    """A vocabulary label without its parenthesised note: '其他对外管理服务事项 (2019 template only)' → '其他对外管理服务事项'."""
    return text.split(" (")[0]


def vocabulary_keys(template):
    """Every fact key the template has, in printed order, from vocabulary.json alone."""
    clauses = VOCABULARY["active_disclosure"]["clauses"]
    active = [
        (clause, item, metric)
        for clause, spec in clauses.items()
        if template in spec["metrics"]
        for item, item_label in spec["items"].items()
        if template == "2019" or "2019 template only" not in item_label
        for metric in spec["metrics"][template]
    ]
    rows = [
        row for row in VOCABULARY["applications"]["rows"]
        if (row != "other" if template == "2021" else not row.startswith("other."))
    ]
    applicants = list(VOCABULARY["applications"]["applicants"])
    review = [(p, o) for p in VOCABULARY["review_litigation"]["proceedings"] for o in VOCABULARY["review_litigation"]["outcomes"]]
    return active, rows, applicants, review


def unique_cells(row):
    """The row's cells, each merged cell once (python-docx repeats a merged cell for every grid column it spans)."""
    seen, cells = set(), []
    for cell in row.cells:
        if cell._tc not in seen:
            seen.add(cell._tc)
            cells.append(cell)
    return cells


def merge_shape(table_element):
    """Per row, per cell: (gridSpan, vMerge) — the table's merged-cell structure."""
    shape = []
    for row in table_element.iter(qn("w:tr")):
        cells = []
        for cell in row.iter(qn("w:tc")):
            span = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            merge = cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            cells.append((span.get(qn("w:val")) if span is not None else "1",
                          None if merge is None else merge.get(qn("w:val"), "continue")))
        shape.append(cells)
    return shape


def read_active_disclosure(table):
    """(clause, item, metric) → cell text, walking the 第二十条 blocks by their printed labels."""
    clauses = VOCABULARY["active_disclosure"]["clauses"]
    clause_by_label = {label(spec["label"]): clause for clause, spec in clauses.items()}
    facts, clause, metrics = {}, None, None
    for row in table.rows:
        texts = [cell.text.strip() for cell in unique_cells(row)]
        if texts[0] in clause_by_label:
            clause = clause_by_label[texts[0]]
        elif texts[0] == "信息内容":
            labels_to_metric = {metric_label: metric for by_template in clauses[clause]["metrics"].values()
                                for metric, metric_label in by_template.items()}
            metrics = [labels_to_metric[text] for text in texts[1:]]
        else:
            items = clauses[clause]["items"]
            (item,) = [key for key, item_label in items.items()
                       if texts[0] == label(item_label) or f"2019 template: {texts[0]})" in item_label]
            assert len(texts) - 1 == len(metrics), f"{clause} {item}: {texts}"
            facts.update({(clause, item, metric): text for metric, text in zip(metrics, texts[1:])})
    return facts


def read_docx_facts(path, template):
    """The three tables' numbers as printed, keyed like expected.json (row/column order from vocabulary.json)."""
    tables = docx.Document(str(path)).tables
    assert len(tables) == 3
    _, rows, applicants, review = vocabulary_keys(template)
    data_rows = tables[1].rows[3:]
    assert len(data_rows) == len(rows)
    applications = {}
    for key, row in zip(rows, data_rows):
        values = unique_cells(row)[-len(applicants):]
        applications.update({(key, applicant): cell.text for applicant, cell in zip(applicants, values)})
    review_cells = unique_cells(tables[2].rows[-1])
    assert len(review_cells) == len(review)
    return {
        "active_disclosure": read_active_disclosure(tables[0]),
        "applications": applications,
        "review_litigation": {key: cell.text for key, cell in zip(review, review_cells)},
    }


def fact_texts(document):
    """expected.json facts as key → raw text, in the shape read_docx_facts returns."""
    return {
        "active_disclosure": {(f["clause"], f["item"], f["metric"]): f["raw"] for f in document["active_disclosure"]},
        "applications": {(f["row"], f["applicant"]): f["raw"] for f in document["applications"]},
        "review_litigation": {(f["proceeding"], f["outcome"]): f["raw"] for f in document["review_litigation"]},
    }


@pytest.mark.parametrize(("site", "year"), REPORTS, ids=REPORT_IDS)
def test_expected_json_has_every_fact_of_its_template_once(site, year):
    document = expected_of(site, year)
    assert set(document) == {"title", "agency", "year", "template", "active_disclosure", "applications",
                             "review_litigation", "expected_check_failures"}
    assert document["title"] == f"{site.agency}{year}年政府信息公开工作年度报告"
    assert (document["agency"], document["year"]) == (site.agency, year)
    assert document["template"] == template_for_year(year)
    assert document["expected_check_failures"] == []
    active, rows, applicants, review = vocabulary_keys(document["template"])
    texts = fact_texts(document)
    assert list(texts["active_disclosure"]) == active
    assert list(texts["applications"]) == [(row, applicant) for row in rows for applicant in applicants]
    assert list(texts["review_litigation"]) == review
    for fact in document["active_disclosure"] + document["applications"] + document["review_litigation"]:
        assert type(fact["value"]) in (int, float) and fact["raw"] == str(fact["value"]), fact


@pytest.mark.parametrize(("site", "year"), REPORTS, ids=REPORT_IDS)
def test_expected_facts_pass_every_report_check(site, year):
    checks = check_report(facts_from_expected(expected_of(site, year)))
    assert set(checks) | {"carryover_continuity"} == set(VOCABULARY["checks"]) - {"about"}
    assert checks == {name: [] for name in checks}


def test_report_checks_catch_a_changed_number():
    facts = facts_from_expected(SEED_000)
    broken = {
        "applications_balance": ("applications", ("carried_forward", "commercial")),
        "applications_total_row": ("applications", ("granted", "research")),
        "applications_total_column": ("applications", ("new_received", "total")),
        "review_litigation_totals": ("review_litigation", ("litigation_direct", "pending")),
    }
    for check, (table, key) in broken.items():
        changed = copy.deepcopy(facts)
        getattr(changed, table)[key] += 1
        assert check_report(changed)[check], check


@pytest.mark.parametrize("site", SITES, ids=[site.spider for site in SITES])
def test_years_carry_over_and_numbers_vary(site):
    series = [facts_from_expected(expected_of(site, year)) for year in site.years]
    assert check_carryover(series) == []
    broken = copy.deepcopy(series)
    broken[-1].applications["carried_over", "natural_person"] += 1
    assert check_carryover(broken) == [f"{site.years[-1]}/natural_person"]
    # Extraction is tested only if numbers are not (almost) all zero: several applicant columns and outcome
    # rows are used, applications are carried between years, the 复议/诉讼 table is not always empty.
    used = {key for facts in series for key, value in facts.applications.items() if value and key[1] != "total"}
    assert len({applicant for _, applicant in used}) >= 3
    assert len({row for row, _ in used}) >= 8
    assert sum(facts.applications["carried_over", "total"] for facts in series) > 0
    assert sum(facts.review_litigation[proceeding, "total"] for facts in series for proceeding in
               VOCABULARY["review_litigation"]["proceedings"]) > 0


def test_zibo_kjj_2020_is_the_real_report():
    assert expected_of(ZIBO_KJJ, 2020) == SEED_000
    assert read_docx_facts(report_file(ZIBO_KJJ, 2020, ".docx"), "2019") == fact_texts(SEED_000)


@pytest.mark.parametrize(("site", "year"), REPORTS, ids=REPORT_IDS)
def test_docx_tables_hold_the_expected_facts(site, year):
    document = expected_of(site, year)
    assert read_docx_facts(report_file(site, year, ".docx"), document["template"]) == fact_texts(document)


@pytest.mark.parametrize(("site", "year"), REPORTS, ids=REPORT_IDS)
def test_docx_has_title_intro_and_six_sections_with_their_tables(site, year):
    body = docx.Document(str(report_file(site, year, ".docx"))).element.body
    blocks = []  # paragraph texts, and "<table>" where a table stands
    for element in body.iterchildren(qn("w:p"), qn("w:tbl")):
        if element.tag == qn("w:tbl"):
            blocks.append("<table>")
        elif text := "".join(t.text or "" for t in element.iter(qn("w:t"))):
            blocks.append(text)
    assert blocks[:2] == [site.agency, f"{year}年政府信息公开工作年度报告"]
    headings = [i for i, text in enumerate(blocks) if re.match(f"[{SECTION_NUMERALS}]、", text)]
    assert [blocks[i][0] for i in headings] == list(SECTION_NUMERALS)
    intro = blocks[2:headings[0]]
    assert any("统计期限" in text and f"{year}年1月1日" in text for text in intro)  # the seed's, year shifted
    sections = [blocks[start + 1:stop] for start, stop in zip(headings, headings[1:] + [len(blocks)])]
    assert [section.count("<table>") for section in sections] == [0, 1, 1, 1, 0, 0]
    assert sections[0] and sections[4] and sections[5]  # the prose sections have text


@pytest.mark.parametrize(("site", "year"), REPORTS, ids=REPORT_IDS)
def test_docx_tables_keep_the_templates_merged_cells(site, year):
    template_tables = docx.Document(str(OFFICIAL_TEMPLATE_DOCX)).tables
    template = [merge_shape(table._tbl) for table in template_tables]
    shape = [merge_shape(table._tbl) for table in docx.Document(str(report_file(site, year, ".docx"))).tables]
    assert shape[2] == template[2]
    if template_for_year(year) == "2021":
        assert shape[:2] == template[:2]
        return
    # 2019 template: one （六）其他处理 row shaped like （七）总计 instead of the three sub-rows.
    row_texts = ["".join(t.text or "" for t in row.iter(qn("w:t"))) for row in template_tables[1]._tbl.iter(qn("w:tr"))]
    other = next(i for i, text in enumerate(row_texts) if "（六）其他处理" in text)
    total = next(i for i, text in enumerate(row_texts) if "（七）总计" in text)
    assert shape[1] == template[1][:other] + [template[1][total]] + template[1][other + 3:]
    # 主动公开: five 第二十条 blocks; header rows span the 4 columns, three-value blocks use 4 cells,
    # the two-value blocks (（八）, （九）) merge their last two columns.
    header, four, three = [("4", None)], [("1", None)] * 4, [("1", None), ("1", None), ("2", None)]
    assert shape[0] == [header, four, four, four, header, four, four, four, header, four, four, four,
                        header, three, three, header, three, three]


def test_rendering_reproduces_the_committed_docx():
    spec, _ = site_reports(ZIBO_KJJ)[2020]
    assert render_docx(spec) == report_file(ZIBO_KJJ, 2020, ".docx").read_bytes()


@pytest.mark.parametrize(("site", "year"), REPORTS, ids=REPORT_IDS)
def test_pdf_text_layer_has_title_and_table_rows(site, year):
    with pdfplumber.open(report_file(site, year, ".pdf")) as pdf:
        lines = "\n".join(page.extract_text() or "" for page in pdf.pages).splitlines()
    document = expected_of(site, year)
    assert site.agency in lines[0]
    assert f"{year}年政府信息公开工作年度报告" in lines[1].replace(" ", "")
    facts = fact_texts(document)
    for row, row_label in (("new_received", "一、本年新收政府信息公开申请数量"), ("carried_forward", "四、结转下年度继续办理")):
        (line,) = [line for line in lines if line.startswith(row_label)]
        applicants = VOCABULARY["applications"]["applicants"]
        assert line.split()[1:] == [facts["applications"][row, applicant] for applicant in applicants]
    (licensing,) = [line for line in lines if line.startswith("行政许可")]
    assert licensing.split()[-1] == facts["active_disclosure"]["20.5", "licensing", "decisions"]
