"""The replica's report documents (replica/documents/<spider>/): their ground truth is consistent and complete,
each year's 上年结转 is the previous report's 结转下年度 except in the one declared break, the seed years carry the
real reports' numbers, and every published form holds what it should: Word tables with the official template's
merged cells, PDFs with a Chinese text layer, a scanned PDF with none, HTML tables with rowspan/colspan and the
declared blank cells, Word 97 binaries (.doc/.wps) that are OLE2 and not zip, a （图解） PNG that opens.

The tests read the committed files; they generate nothing but one .docx and one HTML fragment in memory. Table
cells are read back with python-docx or lxml and located by vocabulary.json's labels and order, not by the
generator's own layouts.
"""

from __future__ import annotations

import copy
import json
import re
import zipfile

import docx
import lxml.html
import pdfplumber
import pypdfium2
import pytest
from docx.oxml.ns import qn
from PIL import Image

from crawler.extract.vocabulary import template_for_year
from replica.documents import SHARED_DIR
from replica.documents.build import DOCUMENTS_DIR, site_reports
from replica.documents.facts import check_carryover, check_report, facts_from_expected
from replica.documents.html import render_html
from replica.documents.sites import FORMAT_SUFFIXES, SITES
from replica.documents.word import OFFICIAL_TEMPLATE_DOCX, render_docx

VOCABULARY = json.loads((SHARED_DIR / "report-format" / "vocabulary.json").read_text("utf-8"))
SEED_000 = json.loads((SHARED_DIR / "seeds" / "seed-000-zibo-kjj-2020.expected.json").read_text("utf-8"))
ZIBO_KJJ = next(site for site in SITES if site.spider == "zibo_kjj")
SITE_IDS = [site.spider for site in SITES]
SECTION_NUMERALS = "一二三四五六"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
MAX_TOTAL_BYTES = 15 * 1024 * 1024


def reports(*formats, templates=(None, "2019", "2021")):
    """(site, year) of every report published in any of `formats` (all reports if none), on one of `templates`."""
    return [
        pytest.param(site, year, id=f"{site.spider}-{year}")
        for site in SITES
        for year in site.all_years
        if (not formats or set(formats) & set(site.formats_of(year))) and template_of(year) in templates
    ]


def template_of(year):
    return None if year < 2019 else template_for_year(year)


ALL = reports()
TEMPLATE_YEARS = reports(templates=("2019", "2021"))
WORD = [pytest.param(site, year, id=f"{site.spider}-{year}")
        for site in SITES for year in site.all_years if site.word_source(year) is not None]
WORD_TEMPLATE_YEARS = [param for param in WORD if template_of(param.values[1])]


def report_file(site, year, suffix):
    return DOCUMENTS_DIR / site.spider / f"{site.file_stem}-{year}{suffix}"


def word_file(site, year):
    """The Word report: the published .docx, or the source the site's .pdf/.doc/.wps were made from."""
    return DOCUMENTS_DIR / site.word_source(year)


def expected_of(site, year):
    return json.loads(report_file(site, year, ".expected.json").read_text("utf-8"))


def seed_of(site):
    return json.loads(site.seed.with_suffix(".expected.json").read_text("utf-8"))


def title_of(site, year):
    return f"{site.agency}{year}年{site.wording}"


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
    """(clause, item, metric) → cell text of a Word table."""
    return read_active_disclosure_rows([[cell.text.strip() for cell in unique_cells(row)] for row in table.rows])


def read_active_disclosure_rows(rows):
    """(clause, item, metric) → cell text, walking the 第二十条 blocks by their printed labels; `rows` holds each
    row's cell texts, each merged cell once."""
    clauses = VOCABULARY["active_disclosure"]["clauses"]
    clause_by_label = {label(spec["label"]): clause for clause, spec in clauses.items()}
    facts, clause, metrics = {}, None, None
    for texts in rows:
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


def number_in(raw):
    """The number a cell text prints: '+229' → 229, '4195.8936万元' → 4195.8936, '' (blank) → None."""
    if raw == "":
        return None
    text = raw.removeprefix("+").removesuffix("万元").removesuffix("元")
    return float(text) if "." in text else int(text)


def test_every_site_has_both_templates_and_a_free_form_report():
    for site in SITES:
        templates = [template_of(year) for year in site.all_years]
        assert templates.count(None) == 1 and site.all_years[0] < 2019, site.spider
        assert len(site.years) >= 4 and {"2019", "2021"} <= set(templates), site.spider


@pytest.mark.parametrize(("site", "year"), ALL)
def test_expected_json_has_every_fact_of_its_template_once(site, year):
    document = expected_of(site, year)
    extra = {"carryover_break_from"} if year == site.carryover_break else set()
    assert set(document) == {"title", "agency", "year", "template", "active_disclosure", "applications",
                             "review_litigation", "expected_check_failures"} | extra
    assert document["title"] == title_of(site, year)
    assert (document["agency"], document["year"]) == (site.agency, year)
    assert document["template"] == template_of(year)
    assert document["expected_check_failures"] == []
    if document["template"] is None:  # a free-form report: text only, nothing to extract into the tables
        assert document["active_disclosure"] == document["applications"] == document["review_litigation"] == []
        return
    active, rows, applicants, review = vocabulary_keys(document["template"])
    texts = fact_texts(document)
    assert list(texts["active_disclosure"]) == active
    assert list(texts["applications"]) == [(row, applicant) for row in rows for applicant in applicants]
    assert list(texts["review_litigation"]) == review
    for fact in document["active_disclosure"] + document["applications"] + document["review_litigation"]:
        assert fact["value"] is None or type(fact["value"]) in (int, float), fact
        assert number_in(fact["raw"]) == fact["value"], fact
        if fact["raw"] != str(fact["value"]):  # printed otherwise only in the site's own way
            assert site.style.signed_changes or site.style.amount_unit or site.style.blank_zero_years, fact


@pytest.mark.parametrize(("site", "year"), TEMPLATE_YEARS)
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


def test_report_checks_count_a_blank_cell_as_zero():
    facts = facts_from_expected(SEED_000)
    for key, value in facts.applications.items():
        if value == 0:
            facts.applications[key] = None
    assert check_report(facts) == {name: [] for name in check_report(facts)}
    facts.applications["denied.third_party", "natural_person"] = 1
    assert check_report(facts)["applications_total_row"] == ["natural_person"]


@pytest.mark.parametrize("site", SITES, ids=SITE_IDS)
def test_years_carry_over_except_the_declared_break(site):
    series = [facts_from_expected(expected_of(site, year)) for year in site.years]
    breaks = check_carryover(series)
    if site.carryover_break is None:
        assert breaks == []
    else:  # some applicant column breaks, in that year only; the report says where it breaks from
        assert breaks and {entry.split("/")[0] for entry in breaks} == {str(site.carryover_break)}
        assert expected_of(site, site.carryover_break)["carryover_break_from"] == site.carryover_break - 1
        assert check_carryover([facts for facts in series if facts.year != site.carryover_break]) == []
    broken = copy.deepcopy(series)
    broken[-1].applications["carried_over", "natural_person"] += 1
    assert f"{site.years[-1]}/natural_person" in check_carryover(broken)
    # Extraction is tested only if numbers are not (almost) all zero: several applicant columns and outcome
    # rows are used, applications are carried between years, the 复议/诉讼 table is not always empty.
    used = {key for facts in series for key, value in facts.applications.items() if value and key[1] != "total"}
    assert len({applicant for _, applicant in used}) >= 3
    assert len({row for row, _ in used}) >= 8
    assert sum(facts.applications["carried_over", "total"] for facts in series) > 0


def test_review_litigation_tables_are_not_all_empty():
    """A small bureau may go years without a 复议/诉讼 case; across the sites the table holds some."""
    with_cases = [site.spider for site in SITES if any(
        expected_of(site, year)["review_litigation"][outcome]["value"]
        for year in site.years for outcome in range(15))]
    assert len(with_cases) >= 3, with_cases


def test_zibo_kjj_2020_is_the_real_report():
    assert expected_of(ZIBO_KJJ, 2020) == SEED_000
    assert read_docx_facts(report_file(ZIBO_KJJ, 2020, ".docx"), "2019") == fact_texts(SEED_000)


@pytest.mark.parametrize("site", SITES, ids=SITE_IDS)
def test_seed_year_is_the_real_report(site):
    seed = seed_of(site)
    document = expected_of(site, seed["year"])
    assert {key: value for key, value in document.items() if key != "carryover_break_from"} == seed
    if site.word_source(seed["year"]) is not None:
        assert read_docx_facts(word_file(site, seed["year"]), seed["template"]) == fact_texts(seed)
    else:
        assert read_html_facts(report_file(site, seed["year"], ".html"), seed["template"]) == fact_texts(seed)


@pytest.mark.parametrize(("site", "year"), WORD_TEMPLATE_YEARS)
def test_docx_tables_hold_the_expected_facts(site, year):
    document = expected_of(site, year)
    assert read_docx_facts(word_file(site, year), document["template"]) == fact_texts(document)


def heading_blocks(blocks):
    """Indexes of the six section headings (一、 … 六、) among a document's paragraph texts."""
    return [i for i, text in enumerate(blocks) if re.match(f"[{SECTION_NUMERALS}]、", text)
            and not re.match("[一二三四]、本年|二、上年|四、结转", text)]


def assert_report_outline(site, year, blocks, title_lines):
    """Title, intro with the statistics period, six sections in order, tables inside 二, 三 and 四 (none in a
    free-form report); `blocks` are paragraph texts and "<table>" where a table stands."""
    assert "".join(blocks[:title_lines]) == title_of(site, year)
    headings = heading_blocks(blocks)
    assert [blocks[i][0] for i in headings] == list(SECTION_NUMERALS)
    intro = blocks[title_lines:headings[0]]
    assert any(f"{year}年1月1日" in text for text in intro)  # the seed's statistics period, year shifted
    sections = [blocks[start + 1:stop] for start, stop in zip(headings, headings[1:] + [len(blocks)])]
    tables = [0, 1, 1, 1, 0, 0] if template_of(year) else [0] * 6
    assert [section.count("<table>") for section in sections] == tables
    assert sections[0] and sections[4] and sections[5]  # the prose sections have text
    if site.carryover_break == year:  # the report explains its break above the applications table
        assert "不一致" in sections[2][0]
    if template_of(year) is None:
        assert blocks[headings[0]] == "一、概述" and re.search(r"收到政府信息公开申请\d+件", "".join(sections[2]))


@pytest.mark.parametrize(("site", "year"), WORD)
def test_docx_has_title_intro_and_six_sections_with_their_tables(site, year):
    body = docx.Document(str(word_file(site, year))).element.body
    blocks = []  # paragraph texts, and "<table>" where a table stands
    for element in body.iterchildren(qn("w:p"), qn("w:tbl")):
        if element.tag == qn("w:tbl"):
            blocks.append("<table>")
        elif text := "".join(t.text or "" for t in element.iter(qn("w:t"))):
            blocks.append(text)
    assert blocks[:2] == [site.agency, f"{year}年{site.wording}"]
    assert_report_outline(site, year, blocks, title_lines=2)


@pytest.mark.parametrize(("site", "year"), WORD_TEMPLATE_YEARS)
def test_docx_tables_keep_the_templates_merged_cells(site, year):
    template_tables = docx.Document(str(OFFICIAL_TEMPLATE_DOCX)).tables
    template = [merge_shape(table._tbl) for table in template_tables]
    shape = [merge_shape(table._tbl) for table in docx.Document(str(word_file(site, year))).tables]
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


def test_rendering_reproduces_the_committed_html():
    site = next(site for site in SITES if "html" in site.formats)
    spec, _ = site_reports(site)[site.years[-1]]
    assert render_html(spec) == report_file(site, site.years[-1], ".html").read_bytes()


def pdf_text(path):
    """The PDF's text layer, line by line (pdfium: as pdfplumber would read it, many times faster)."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document).replace("\r\n", "\n")
    finally:
        document.close()


@pytest.mark.parametrize(("site", "year"), reports("pdf", templates=(None,)))
def test_free_form_pdf_text_layer_has_title_and_sections(site, year):
    text = pdf_text(report_file(site, year, ".pdf")).replace(" ", "").replace("\n", "")
    assert title_of(site, year).removeprefix(site.agency) in text and site.agency in text
    assert all(heading in text for heading in ("一、概述", "三、依申请公开政府信息情况", "六、政府信息公开工作存在的主要问题"))


@pytest.mark.parametrize(("site", "year"), reports("pdf", templates=("2019", "2021")))
def test_pdf_text_layer_has_title_and_table_rows(site, year):
    lines = pdf_text(report_file(site, year, ".pdf")).splitlines()
    document = expected_of(site, year)
    assert site.agency in lines[0]
    assert f"{year}年{site.wording}" in lines[1].replace(" ", "")
    facts = fact_texts(document)
    for row, row_label in (("new_received", "一、本年新收政府信息公开申请数量"), ("carried_forward", "四、结转下年度继续办理")):
        (line,) = [line for line in lines if line.startswith(row_label)]
        applicants = VOCABULARY["applications"]["applicants"]
        assert line.split()[1:] == [facts["applications"][row, applicant] for applicant in applicants]
    (licensing,) = [line for line in lines if line.startswith("行政许可")]
    assert licensing.split()[-1] == facts["active_disclosure"]["20.5", "licensing", "decisions"]


@pytest.mark.parametrize(("site", "year"), reports("scanned-pdf"))
def test_scanned_pdf_has_no_text_layer_but_renders_its_pages(site, year):
    path = report_file(site, year, ".pdf")
    assert pdf_text(path).strip() == ""
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 3
        assert all(page.chars == [] and not (page.extract_text() or "").strip() for page in pdf.pages)
        assert all(len(page.images) == 1 for page in pdf.pages)  # one page image each, nothing else
    document = pypdfium2.PdfDocument(str(path))
    try:
        first = document[0].render(scale=0.3).to_pil().convert("L")
    finally:
        document.close()
    darkest, lightest = first.getextrema()
    assert darkest < 80 and lightest > 200  # ink on paper, not an empty or black page
    assert sum(first.histogram()[200:]) > 0.8 * first.width * first.height  # mostly paper


def read_html_facts(path, template):
    """The three tables of an HTML fragment as printed, keyed like expected.json: cell texts with a blank
    (&nbsp;) cell read as ''. Rows are walked through their <td>s, which rowspan/colspan make fewer than the grid."""
    tables = lxml.html.fragment_fromstring(path.read_text("utf-8"), create_parent="div").findall(".//table")
    assert len(tables) == 3

    def texts(row):
        return [cell.text_content().replace("\xa0", " ").strip() for cell in row.findall("td")]

    _, rows, applicants, review = vocabulary_keys(template)
    data_rows = tables[1].findall("tr")[3:]
    assert len(data_rows) == len(rows)
    applications = {}
    for key, row in zip(rows, data_rows):
        applications.update({(key, applicant): text for applicant, text in zip(applicants, texts(row)[-len(applicants):])})
    review_cells = texts(tables[2].findall("tr")[-1])
    assert len(review_cells) == len(review)
    return {
        "active_disclosure": read_active_disclosure_rows([texts(row) for row in tables[0].findall("tr")]),
        "applications": applications,
        "review_litigation": dict(zip(review, review_cells)),
    }


def html_blocks(path):
    """Paragraph texts of an HTML fragment, and "<table>" where a table stands."""
    root = lxml.html.fragment_fromstring(path.read_text("utf-8"), create_parent="div")
    blocks = []
    for element in root.iter("p", "table"):
        if element.tag == "table":
            blocks.append("<table>")
        elif element.getparent().tag != "td" and (text := element.text_content().replace("\xa0", " ").strip()):
            blocks.append(text)
    return blocks


@pytest.mark.parametrize(("site", "year"), reports("html"))
def test_html_fragment_has_title_intro_and_six_sections_with_their_tables(site, year):
    blocks = html_blocks(report_file(site, year, ".html"))
    assert blocks[0].endswith("政府信息公开") and not blocks[1].startswith(site.agency)  # the title breaks
    assert_report_outline(site, year, blocks, title_lines=2)


@pytest.mark.parametrize(("site", "year"), reports("html", templates=("2019", "2021")))
def test_html_tables_hold_the_expected_facts_with_rowspan_and_colspan(site, year):
    path = report_file(site, year, ".html")
    document = expected_of(site, year)
    assert read_html_facts(path, document["template"]) == fact_texts(document)
    tables = lxml.html.fragment_fromstring(path.read_text("utf-8"), create_parent="div").findall(".//table")
    spans = [(table.xpath(".//td[@rowspan]"), table.xpath(".//td[@colspan]")) for table in tables]
    assert all(colspans for _, colspans in spans)  # 第二十条 headers, 法人或其他组织, 行政诉讼 …
    assert spans[1][0] and spans[2][0]  # 申请人情况 and 三、本年度办理结果 / 行政复议 header cells span rows
    # Every grid row is as wide as the table: what rowspan/colspan leave out, an earlier row covers.
    for table in tables:
        widths, pending = [], []
        for row in table.findall("tr"):
            cells = row.findall("td")
            width = sum(int(cell.get("colspan", 1)) for cell in cells) + sum(span for span, _ in pending)
            widths.append(width)
            pending = [(span, left - 1) for span, left in pending if left > 1]
            pending += [(int(cell.get("colspan", 1)), int(cell.get("rowspan")) - 1)
                        for cell in cells if int(cell.get("rowspan", 1)) > 1]
        assert len(set(widths)) == 1, widths


@pytest.mark.parametrize(("site", "year"), reports("html", templates=("2019", "2021")))
def test_html_blank_cells_are_the_declared_null_facts(site, year):
    document = expected_of(site, year)
    blank_facts = [fact for fact in document["applications"] + document["review_litigation"]
                   + document["active_disclosure"] if fact["value"] is None]
    source = report_file(site, year, ".html").read_text("utf-8")
    blank_cells = re.findall(r"<td[^>]*>&nbsp;</td>", source)
    if year not in site.style.blank_zero_years:
        assert blank_facts == [] and blank_cells == []
        return
    assert blank_facts and all(fact["raw"] == "" for fact in blank_facts)
    assert len(blank_cells) == len(blank_facts)
    outcome_rows = vocabulary_keys(document["template"])[1][2:-2]  # 三、本年度办理结果's rows
    assert {fact.get("row") for fact in blank_facts} <= set(outcome_rows)


@pytest.mark.parametrize(("site", "year"), reports("doc", "wps"))
def test_word_97_files_are_ole2_not_zip_and_hold_the_report_text(site, year):
    (format,) = {"doc", "wps"} & set(site.formats_of(year))
    path = report_file(site, year, FORMAT_SUFFIXES[format])
    data = path.read_bytes()
    assert data[:8] == OLE2_MAGIC and not zipfile.is_zipfile(path)
    # Word 97 keeps Chinese text as UTF-16LE in its WordDocument stream.
    assert site.agency.encode("utf-16-le") in data and f"{year}年{site.wording}".encode("utf-16-le") in data
    document = expected_of(site, year)
    if document["template"]:
        assert "一、本年新收政府信息公开申请数量".encode("utf-16-le") in data
        signed = [fact["raw"] for fact in document["active_disclosure"] if fact["raw"].startswith("+")]
        assert all(raw.encode("utf-16-le") in data for raw in signed)


@pytest.mark.parametrize("site", [site for site in SITES if {"doc", "wps"} & set(site.formats)], ids=lambda s: s.spider)
def test_doc_and_wps_alternate_across_years(site):
    formats = [next(f for f in site.formats_of(year) if f in ("doc", "wps")) for year in site.all_years]
    assert {"doc", "wps"} == set(formats)
    assert all(a != b for a, b in zip(formats, formats[1:])), formats


@pytest.mark.parametrize(("site", "year"), reports("infographic"))
def test_infographic_png_opens(site, year):
    path = report_file(site, year, FORMAT_SUFFIXES["infographic"])
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width >= 600 and image.height > image.width
        assert len(image.convert("RGB").getcolors(1 << 16) or []) > 10  # drawn text, not a blank sheet


@pytest.mark.parametrize("site", SITES, ids=SITE_IDS)
def test_site_folder_holds_exactly_the_declared_files(site):
    declared = {DOCUMENTS_DIR / site.spider / f"{site.file_stem}-{year}.expected.json" for year in site.all_years}
    declared |= {DOCUMENTS_DIR / site.path(year, format) for year in site.all_years for format in site.formats_of(year)}
    declared |= {DOCUMENTS_DIR / site.word_source(year) for year in site.all_years if site.word_source(year)}
    assert {path for path in (DOCUMENTS_DIR / site.spider).rglob("*") if path.is_file()} == declared


def test_documents_stay_small():
    total = sum(path.stat().st_size for site in SITES for path in (DOCUMENTS_DIR / site.spider).rglob("*"))
    assert total < MAX_TOTAL_BYTES
