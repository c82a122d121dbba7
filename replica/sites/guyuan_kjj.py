"""固原市科学技术局 — its 政府信息公开年报 column as a TRS WCM site (static GBK pages).

Five annual reports as PDF only — 2017 in free form on the site's old template (no charset declared anywhere),
2019 a stamped scan without a text layer, no 2018 report at all — among the bureau's ordinary notices, so the
list spans three pages. What else a crawler meets here:
- the 2022 report also links a Word version the file store has lost: the server answers 200 with its 系统繁忙 page;
- the 2021 report's PDF answers 500 once before it comes (a retry gets it);
- index_2.html lists the 2020–2022 reports again, by absolute URL, in a 往年回顾 box.
"""

from datetime import datetime
from pathlib import Path

from replica.platforms.trs import Article, Attachment, SideList, TrsColumnSite

AGENCY = "固原市科学技术局"
HOST = "kjj.nxgy.gov.cn"
DOCUMENTS = Path(__file__).resolve().parent.parent / "documents" / "guyuan_kjj"

# (article id, report year, publication time): WCM ids grow with time; reports for year N appear early in N+1.
_REPORTS = [
    (1187764, 2017, "2018-01-30 16:20"),
    (1420318, 2019, "2020-01-21 10:05"),
    (1516902, 2020, "2021-01-26 09:40"),
    (1608455, 2021, "2022-01-24 15:10"),
    (1699731, 2022, "2023-01-18 11:30"),
]

_NOTICES = [
    (1190512, "固原市科学技术局关于开展2018年度科技型中小企业评价工作的通知", "2018-03-12 09:00"),
    (1241876, "固原市科学技术局2018年部门预算公开", "2018-04-20 10:00"),
    (1318240, "关于公布2018年度固原市科技特派员名单的通知", "2018-11-06 09:30"),
    (1402277, "固原市科学技术局政府信息公开指南", "2019-12-02 15:00"),
    (1433019, "固原市科学技术局2019年法治政府建设工作报告", "2020-03-18 10:20"),
    (1461235, "关于组织申报2020年度自治区重点研发计划项目的通知", "2020-06-09 09:00"),
    (1490048, "固原市科学技术局关于举办2020年全国科技活动周固原分会场活动的通知", "2020-08-21 11:00"),
    (1524417, "固原市科学技术局2021年部门预算公开", "2021-02-08 16:00"),
    (1543890, "固原市科学技术局2021年政务公开工作要点", "2021-04-15 09:00"),
    (1577321, "关于征集2022年度固原市科技计划项目的通知", "2021-10-12 09:00"),
    (1615780, "固原市科学技术局2021年度部门决算公开", "2022-03-25 10:00"),
    (1648102, "关于开展2022年固原市科技创新券兑付工作的通知", "2022-07-05 09:00"),
    (1671559, "固原市科学技术局关于科技特派员创业服务情况的公示", "2022-10-19 15:30"),
    (1712844, "固原市科学技术局2023年政务公开工作要点", "2023-03-22 09:00"),
    (1738906, "关于组织推荐2023年度自治区科学技术奖的通知", "2023-05-30 10:00"),
    (1770023, "固原市科学技术局关于2023年度“揭榜挂帅”项目的公示", "2023-09-14 16:00"),
    (1802417, "固原市科学技术局2024年部门预算公开", "2024-02-06 10:00"),
]


def _report(article_id: int, year: int, published: str) -> Article:
    title = f"{AGENCY}{year}年政府信息公开工作年度报告"
    pdf = Attachment(f"{title}.pdf", DOCUMENTS / f"guyuan-kjj-{year}.pdf", linked_in_body=True)
    attachments = [pdf]
    if year == 2021:
        pdf.errors_before_success = 1
    if year == 2022:
        attachments.append(Attachment(f"{title}（Word版）.doc", None))
    regulation = "国务院令第492号" if year < 2019 else "国务院令第711号"
    return Article(
        id=article_id,
        title=title,
        published=datetime.fromisoformat(published),
        paragraphs=[
            f"根据《中华人民共和国政府信息公开条例》（{regulation}）规定，现将{title}予以公布。",
            f"本报告由{AGENCY}根据本年度政府信息公开工作情况编制，报告中所列数据的统计期限自{year}年1月1日起至"
            f"{year}年12月31日止。如对本报告有疑问，请与{AGENCY}办公室联系。",
        ],
        attachments=attachments,
        old_template=year < 2019,
    )


def _notice(article_id: int, title: str, published: str) -> Article:
    return Article(
        id=article_id,
        title=title,
        published=datetime.fromisoformat(published),
        paragraphs=[f"{title}，详见正文。", AGENCY],
    )


def site() -> TrsColumnSite:
    articles = [_report(*report) for report in _REPORTS] + [_notice(*notice) for notice in _NOTICES]
    return TrsColumnSite(
        host=HOST,
        site_name=AGENCY,
        publisher=AGENCY,
        column_path="/zwgk/zfxxgknb/",
        column_name="政府信息公开年报",
        breadcrumb=["政务公开"],
        articles=articles,
        side_lists=[SideList("往年回顾", page=2, article_ids=[1699731, 1608455, 1516902])],
        per_page=8,
    )
