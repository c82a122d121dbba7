"""Report pages as the sites serve them (the saved pages under tests/pages): the report is read from its content
container, without the page's chrome; the title comes from the page's metadata, never from a breadcrumb; odd
encodings and long <head>s still read as HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import extract_document
from crawler.extract.blocks import Table
from crawler.extract.kinds import sniff_kind
from crawler.extract.readers import read_document

PAGES = Path(__file__).parent / "pages"
YANZHOU_2021 = PAGES / "yanzhou_kjj" / "report-2021.html"
ZHANGDIAN_2022 = PAGES / "zhangdian_kjj" / "report-2022.html"
ZIBO_2020 = PAGES / "zibo_kjj" / "report-2020.html"
GUYUAN_2022 = PAGES / "guyuan_kjj" / "report-2022.html"  # GBK, declared as gb2312
CHROME = ("网站地图", "ICP", "繁體版", "无障碍", "长者版", "当前位置", "【word下载】", "【PDF下载】", "点击收听")


def page_text(blocks) -> str:
    return "\n".join(block for block in blocks if not isinstance(block, Table))


def test_report_page_sections_hold_the_report_only():
    result = extract_document(YANZHOU_2021.read_bytes(), YANZHOU_2021.name)
    assert (result["title"], result["agency"], result["year"]) == (
        "济宁市兖州区科学技术局2021年政府信息公开工作年度报告", "济宁市兖州区科学技术局", 2021)
    assert [section["number"] for section in result["sections"]] == [1, 2, 3, 4, 5, 6]
    last = result["sections"][-1]["text"]
    assert last.endswith("(七)其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项\n无需要报告的事项。")
    assert not [term for term in CHROME if term in last]
    assert (len(result["active_disclosure"]), len(result["applications"]), len(result["review_litigation"])) == (
        10, 175, 15)


def test_title_from_the_h1_above_the_container_when_the_page_has_no_article_title():
    result = extract_document(ZHANGDIAN_2022.read_bytes(), ZHANGDIAN_2022.name)
    assert (result["title"], result["agency"], result["year"]) == (
        "张店区科学技术局2022年政府信息公开工作年度报告", "张店区科学技术局", 2022)
    assert [section["number"] for section in result["sections"]] == [1, 2, 3, 4, 5, 6]
    assert not [term for term in CHROME if term in result["sections"][-1]["text"]]
    assert len(result["applications"]) == 175


@pytest.mark.parametrize(
    ("page", "opening"),
    [
        (ZIBO_2020, "根据《中华人民共和国政府信息公开条例》，现公布淄博市科学技术局2020年政府信息公开工作年度报告。"),
        (GUYUAN_2022, "根据《中华人民共和国政府信息公开条例》（国务院令第711号）规定，现将固原市科学技术局2022年"),
    ],
    ids=["zibo-kjj-2020", "guyuan-kjj-2022-gbk"],
)
def test_page_without_report_headings_keeps_its_main_text_without_chrome(page: Path, opening: str):
    """A page that only announces its attached report: no container has a section heading, so the main text is
    what trafilatura takes for it."""
    reading = read_document(page.read_bytes(), "html")
    text = page_text(reading.blocks)
    assert opening in text
    assert not [term for term in CHROME if term in text]
    assert reading.title is not None and reading.title.endswith("政府信息公开工作年度报告")


def test_breadcrumb_naming_the_report_column_is_not_the_title():
    """Without ArticleTitle, a breadcrumb ending in 政府信息公开年度报告 was the first line saying 报告; the title
    is the page's <title> less the site name."""
    page = (YANZHOU_2021.read_text("utf-8")
            .replace('<meta name="ArticleTitle" content="济宁市兖州区科学技术局2021年政府信息公开工作年度报告">', "")
            .replace(">政府信息公开年报</a>", ">政府信息公开年度报告</a>"))
    assert "政府信息公开年度报告</a>" in page and "ArticleTitle" not in page
    result = extract_document(page.encode(), "report.html")
    assert (result["title"], result["agency"], result["year"]) == (
        "济宁市兖州区科学技术局2021年政府信息公开工作年度报告", "济宁市兖州区科学技术局", 2021)


def test_gbk_page_declaring_utf8_is_read_as_gb18030():
    data = GUYUAN_2022.read_bytes().replace(b"charset=gb2312", b"charset=utf-8")
    assert b"charset=utf-8" in data
    result = extract_document(data, "report.html")
    assert (result["title"], result["agency"], result["year"]) == (
        "固原市科学技术局2022年政府信息公开工作年度报告", "固原市科学技术局", 2022)


LONG_SCRIPT = "<script>" + "var counter = 0;\n" * 400 + "</script>"  # about 6.8 KB


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (f"<!DOCTYPE html><html><head>{LONG_SCRIPT}</head><body><p>报告</p></body></html>".encode(), "html"),
        (f"<html><head>{LONG_SCRIPT}<title>报告</title></head><body><p>报告</p>".encode(), "html"),  # never closed
        ("\n<!-- saved from a browser -->\n<div class=\"TRS_Editor\"><p>报告".encode(), "html"),  # a cut fragment
        ("PHP Notice: x\n<!DOCTYPE html>\n<html><body><p>报告</p></body></html>".encode(), "html"),  # junk before
        # Plain text that names tags or the words is still text.
        ("网页的 <div> 和 <table> 标签决定了报告的版式。\n".encode(), "txt"),
        ("本报告另以 html、head、body 版本发布，见<附件>。\n".encode(), "txt"),
    ],
    ids=["long-script", "unclosed", "comment-first", "junk-first", "text-naming-tags", "text-naming-words"],
)
def test_html_is_recognised_past_a_long_head(data: bytes, kind: str):
    assert sniff_kind(data, "report") == kind
