"""济宁市兖州区科学技术局 — its 政府信息公开年报 column on the 兖州区 Hanweb JCMS site.

Each report page holds the report's text and tables as pasted from Word, then 【word下载】 and 【PDF下载】 links to
the same report (2018 in free form; 2020–2023 on the national templates), as the real page of seed 003 does.
What a crawler must cope with here:
- the 2021 report has a （图解） companion article, an infographic in an <img>, listed in the column beside the
  report and linked from the report's page (【图文解读】);
- the 2022 report's PDF is gone from the server: its 【PDF下载】 link answers 404;
- downloads name their file RFC 5987 style (`filename*=UTF-8''…`, the stored hash as the ASCII fallback);
- the column lists the 2019 report by its print view, under /module/print/, which robots.txt disallows.
"""

from pathlib import Path

from replica.platforms.hanweb import (
    Article,
    Attachment,
    HanwebColumnSite,
    article_date,
    notice,
    pasted_word_html,
    rfc5987_disposition,
)

AGENCY = "济宁市兖州区科学技术局"
DOCUMENTS = Path(__file__).resolve().parent.parent / "documents" / "yanzhou_kjj"
COLUMN_ID = 25873
INDEX_PREFIX = "11370882004346082B"
INFOGRAPHIC_PATH = "/picture/0/2201121530457681.png"
LOST_PDF_YEAR = 2022
PRINT_VIEW_YEAR = 2019

# (report year, article id, publication time): reports for year N appear in January of N+1.
_REPORTS = [(2018, 2419371, "2019-01-28 10:20"), (2020, 2611954, "2021-01-25 16:05"),
            (2021, 2734512, "2022-01-12 15:12"), (2022, 2851207, "2023-01-16 09:48"),
            (2023, 2967340, "2024-01-18 10:30")]

_NOTICES = [
    ("兖州区科技局关于组织申报2021年度济宁市科技创新发展资金项目的通知", "2021-03-09 09:00"),
    ("济宁市兖州区科学技术局2021年部门预算公开", "2021-02-03 09:00"),
    ("兖州区科技局关于开展2021年度科技型中小企业评价工作的通知", "2021-04-16 09:00"),
    ("济宁市兖州区科学技术局政府信息公开指南", "2021-06-21 09:00"),
    ("兖州区2022年度高新技术企业培育入库名单公示", "2022-05-27 09:00"),
    ("济宁市兖州区科学技术局2022年政务公开工作要点", "2022-03-18 09:00"),
    ("关于举办2022年兖州区科技活动周的通知", "2022-05-10 09:00"),
    ("济宁市兖州区科学技术局2022年度部门决算公开", "2023-08-22 09:00"),
    ("兖州区科技局关于征集2024年度重点研发计划项目的通知", "2024-02-26 09:00"),
]


def _title(year: int) -> str:
    return f"{AGENCY}{year}年政府信息公开工作年度报告"


def _infographic() -> Article:
    title = f"{_title(2021)}（图解）"
    return Article(
        id=2734538,
        title=title,
        published=article_date("2022-01-12 15:30"),
        body_html=f'<p style="text-align:center"><img src="{INFOGRAPHIC_PATH}" alt="{title}" border="0"></p>',
        index_number=f"{INDEX_PREFIX}/2022-02738",
        column_id=COLUMN_ID,  # set here, not left to the site: the report links to its address
    )


def _report(year: int, article_id: int, published: str, infographic: Article | None) -> Article:
    title = _title(year)
    closing = "<p>点击收听年报语音朗读</p>"
    if infographic is not None:
        closing += f'\n<p>【图文解读】<a href="{infographic.path}" target="_blank">{infographic.title}</a></p>'
    return Article(
        id=article_id,
        title=title,
        published=article_date(published),
        body_html=pasted_word_html(DOCUMENTS / f"yanzhou-kjj-{year}.docx"),
        attachments=[
            Attachment(DOCUMENTS / f"yanzhou-kjj-{year}.docx", f"{title}.docx", label="【word下载】"),
            Attachment(DOCUMENTS / f"yanzhou-kjj-{year}.pdf", f"{title}.pdf", label="【PDF下载】",
                       lost=year == LOST_PDF_YEAR),
        ],
        index_number=f"{INDEX_PREFIX}/{year + 1}-{article_id % 100000:05d}",
        attachment_heading="",
        closing_html=closing,
    )


def _print_view_report() -> Article:
    """The 2019 report as the column links it: its print view, which robots.txt keeps crawlers out of."""
    return Article(
        id=2512866,
        title=_title(PRINT_VIEW_YEAR),
        published=article_date("2020-01-20 11:00"),
        body_html=f"<p>{_title(PRINT_VIEW_YEAR)}（打印版）</p>",
        index_number=f"{INDEX_PREFIX}/2020-12866",
        url_path=f"/module/print/art_{COLUMN_ID}_2512866.html",
    )


def site() -> HanwebColumnSite:
    infographic = _infographic()
    articles = [_report(year, article_id, published, infographic if year == 2021 else None)
                for year, article_id, published in _REPORTS]
    articles += [infographic, _print_view_report()]
    articles += [
        notice(2700001 + i, title, published, AGENCY, f"{INDEX_PREFIX}/{published[:4]}-{(2700001 + i) % 100000:05d}")
        for i, (title, published) in enumerate(_NOTICES)
    ]
    return HanwebColumnSite(
        host="www.yanzhou.gov.cn",
        site_name="中国·兖州",
        publisher=AGENCY,
        web_id=46,
        column_id=COLUMN_ID,
        unit_id=74512,
        column_name="政府信息公开年报",
        articles=articles,
        per_page=8,
        robots_txt="User-agent: *\nDisallow: /module/jslib/\nDisallow: /module/print/\n",
        content_disposition=rfc5987_disposition,
        static_files={INFOGRAPHIC_PATH: DOCUMENTS / "yanzhou-kjj-2021-tujie.png"},
    )
