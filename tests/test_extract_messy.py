"""The interpreter on the messiness real reports show (../shared/report-format/README.md), one case at a time.

Most cases edit a seed report's text (tables as tab-separated lines) and compare with the seed's expected facts.
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.extract import extract_document
from crawler.extract.compare import FACT_KEYS, compare_facts
from crawler.extract.metadata import find_metadata
from crawler.extract.sections import find_sections

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
        ("2020年度淄博市科学技术局政府信息公开工作年度报告",): ("淄博市科学技术局", 2020),
        ("首页 > 年报", "固原市科学技术局 2020 年政府信息", "公开工作年度报告"): ("固原市科学技术局", 2020),
        ("淮安市人民政府", "2024 年政府信息公开工作年度报告", "本报告由市政府办公室编制。"): ("淮安市人民政府", 2024),
    }
    for lines, (agency, year) in cases.items():
        metadata = find_metadata(list(lines), {})
        assert (metadata.agency, metadata.year) == (agency, year), lines
        assert metadata.title == f"{agency}{year}年政府信息公开工作年度报告" or "年度" in metadata.title


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
