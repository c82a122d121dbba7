"""The generic platform's rules: which links a crawl of an unknown CMS follows, which pages are reports, and who
published them."""

import pytest
from scrapy.http import HtmlResponse

from crawler.platforms.base import agency_from_title, article_title, is_report_title
from crawler.platforms.generic import (
    DISCLOSURE_SECTION,
    NEXT_PAGE,
    REPORT,
    REPORT_COLUMN,
    is_report_list,
    link_score,
)


@pytest.mark.parametrize("title, agency", [
    ("淄博市科学技术局2020年政府信息公开工作年度报告", "淄博市科学技术局"),
    ("2023年XX县教育局政府信息公开工作年度报告", "XX县教育局"),
    ("XX县人民政府2022年度政府信息公开工作年度报告", "XX县人民政府"),
    ("XX县人民政府信息公开年报", "XX县人民政府"),
    ("XX镇2019年政务公开年报", "XX镇"),
    ("XX局政府信息公开年报（2021年）", "XX局"),
    ("XX局2023年政府信息公开情况报告", "XX局"),
    ("XX局 2024年政府\n信息公开工作年度报告", "XX局"),
    ("XX县人民政府办公室关于印发XX县2022年政府信息公开工作年度报告的通知", "XX县"),
    ("XX县财政局关于印发《2025年政府信息公开工作年度报告》的通知", "XX县财政局"),
    ("2021年政府信息公开工作年度报告", ""),
    ("关于组织申报2020年度技术先进型服务企业的通知", ""),
])
def test_agency_from_title(title, agency):
    assert agency_from_title(title) == agency


@pytest.mark.parametrize("title, is_report", [
    ("XX县教育局2022年政府信息公开工作年度报告", True),
    ("XX县人民政府办公室关于印发XX县2022年政府信息公开工作年度报告的通知", True),
    ("XX局政府信息公开年报（2021年）", True),
    ("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", False),
    ("XX县2022年度政府信息公开工作年度报告汇总", False),
    ("XX局2021年政府信息公开工作年度报告（图解）", False),
    ("XX县2023年政务公开工作要点", False),
    ("政府信息公开年报", False),  # a column's name: no publisher, no year
    ("2021年政府信息公开工作年度报告", True),
])
def test_a_report_title_is_the_whole_title_of_a_report(title, is_report):
    assert is_report_title(title) is is_report


@pytest.mark.parametrize("text, href, score", [
    ("XX县教育局2022年政府信息公开工作年度报告", "/e/action/ShowInfo.php?classid=12&id=345", REPORT),
    ("年度报告", "/e/action/ListInfo/?classid=10", REPORT_COLUMN),
    ("2023年度", "/xxgk/zfxxgknb/2023/", REPORT_COLUMN),
    ("部门年度报告", "/xxgk/bmjdhz/", REPORT_COLUMN),
    ("下一页", "/e/action/ListInfo/index.php?page=1&classid=11", NEXT_PAGE),
    ("3", "/xxgk/tzgg/index_3.html", NEXT_PAGE),
    ("政府信息公开", "/xxgk/", DISCLOSURE_SECTION),
    ("法定主动公开内容", "/zwgk/fdzdgknr/", DISCLOSURE_SECTION),
    ("XX县教育局2022年政府信息公开工作年度报告.pdf", "/d/file/p/2023/01/a1b2.pdf", 0),
    ("关于做好春节期间安全生产工作的通知", "/e/action/ShowInfo.php?classid=3&id=7", 0),
    ("县情概况", "/xqgk/", 0),
])
def test_link_score(text, href, score):
    assert link_score(text, href) == score


def page(body: str, head: str = "", url: str = "http://www.example.gov.cn/e/action/ShowInfo.php?classid=9&id=1"):
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return HtmlResponse(url=url, body=html.encode(), encoding="utf-8")


def test_a_page_linking_several_reports_is_a_list_and_a_report_with_its_files_is_not():
    reports = "".join(f'<li><a href="/e/action/ShowInfo.php?classid=9&id={i}">XX局{i}2022年政府信息公开工作年度报告</a></li>'
                      for i in range(2, 5))
    assert is_report_list(page(f"<ul>{reports}</ul>"))
    files = ('<a href="/d/file/2023/a.pdf">XX局2022年政府信息公开工作年度报告.pdf</a>'
             '<a href="/d/file/2023/a.docx">XX局2022年政府信息公开工作年度报告.docx</a>'
             '<a href="/e/action/ShowInfo.php?classid=9&id=2">XX局2022年政府信息公开工作年度报告（图解）</a>')
    assert not is_report_list(page(files))


def test_article_title_prefers_metadata_then_headings_then_the_title_without_the_site_name():
    assert article_title(page("<h1>乙</h1>", '<meta name="ArticleTitle" content="甲">')) == "甲"
    assert article_title(page("<h1>乙</h1>", '<meta property="og:title" content="丙">')) == "丙"
    assert article_title(page("<h1>乙</h1>", "<title>丁_XX县人民政府</title>")) == "乙"
    assert article_title(page("", "<title>丁_XX县人民政府</title>")) == "丁"
