"""淄博市科学技术局 — its 政府信息公开年报 column as a Hanweb JCMS site.

Six annual reports — 2018 in free form, 2019–2023 on both national templates — each offered as .docx and .pdf,
among the bureau's ordinary notices, so the list spans three pages (the column page and two dataproxy ranges).
"""

from pathlib import Path

from replica.platforms.hanweb import Article, Attachment, HanwebColumnSite, article_date, notice

AGENCY = "淄博市科学技术局"
DOCUMENTS = Path(__file__).resolve().parent.parent / "documents" / "zibo_kjj"

# (report year, publication time): reports for year N appear in January of N+1.
_REPORTS = [(2018, "2019-03-15 09:40"), (2019, "2020-01-17 10:12"), (2020, "2021-01-20 09:30"), (2021, "2022-01-21 15:02"),
            (2022, "2023-01-19 11:45"), (2023, "2024-01-22 16:20")]

_NOTICES = [
    ("关于做好首批山东省文化和科技融合示范基地申报推荐工作的通知", "2021-01-06 10:00"),
    ("关于组织申报2020年度技术先进型服务企业的通知", "2020-12-15 09:00"),
    ("关于对省级科技企业孵化器、众创空间和农科驿站进行自查的通知", "2020-11-27 09:00"),
    ("关于开展2020年淄博市示范性众创空间资金奖励申报工作的通知", "2020-11-20 09:00"),
    ("关于申报2020年度淄博市引进外国专家项目的通知", "2020-10-27 09:00"),
    ("关于组织申报2020年山东省企业研究开发财政补助资金的通知", "2020-10-22 09:00"),
    ("关于举办2020年淄博市科技活动周的通知", "2020-08-14 09:00"),
    ("关于下达2020年淄博市孵化器培育单位遴选立项名单的通知", "2020-06-12 09:00"),
    ("关于市科技局领导成员工作分工的通知", "2020-06-03 09:00"),
    ("淄博市科学技术局2021年度部门预算公开", "2021-02-05 09:00"),
    ("关于公布2021年淄博市科技计划项目立项名单的通知", "2021-06-18 09:00"),
    ("淄博市科学技术局2022年政务公开工作要点", "2022-03-30 09:00"),
    ("关于征集2023年度淄博市重点研发计划项目的通知", "2023-02-14 09:00"),
    ("淄博市科学技术局2023年度部门决算公开", "2023-08-25 09:00"),
    ("关于开展2024年科技型中小企业评价工作的通知", "2024-03-08 09:00"),
    ("淄博市科学技术局政府信息公开指南", "2024-05-10 09:00"),
]


def _report(article_id: int, year: int, published: str) -> Article:
    title = f"{AGENCY}{year}年政府信息公开工作年度报告"
    return Article(
        id=article_id,
        title=title,
        published=article_date(published),
        body_html=(
            f"<p>根据《中华人民共和国政府信息公开条例》，现公布{title}。"
            "本报告的电子版（Word 和 PDF 版本）可从下列附件下载。</p>"
        ),
        attachments=[
            Attachment(DOCUMENTS / f"zibo-kjj-{year}{suffix}", f"{title}{suffix}") for suffix in (".docx", ".pdf")
        ],
        index_number=f"11370300004189216K/{year + 1}-{article_id:05d}",
    )


def site() -> HanwebColumnSite:
    articles = [_report(7000 + i, year, published) for i, (year, published) in enumerate(_REPORTS)]
    articles += [
        notice(8001 + i, title, published, AGENCY, f"11370300004189216K/{published[:4]}-{8001 + i:05d}")
        for i, (title, published) in enumerate(_NOTICES)
    ]
    return HanwebColumnSite(
        host="kjj.zibo.gov.cn",
        site_name="淄博市科学技术局",
        publisher=AGENCY,
        web_id=57,
        column_id=18932,
        unit_id=60877,
        column_name="政府信息公开年报",
        articles=articles,
        per_page=8,
    )
