"""张店区科学技术局 — its entries in the 张店区 Hanweb 信息公开 directory, annual reports in the module.

Six annual reports (2018 in free form, 2019–2023 on both national templates), each only the HTML the module
renders, among the bureau's ordinary notices, so the directory list spans two pages. The 2019 report is listed a
second time under the bureau's former organisation code, an address that now answers 301 to the current one.
"""

from pathlib import Path

from replica.platforms.hanweb import AnnualReport, HanwebXxgkSite, article_date, notice

AGENCY = "张店区科学技术局"
DOCUMENTS = Path(__file__).resolve().parent.parent / "documents" / "zhangdian_kjj"
AREA = "11370303004305217R"  # 统一社会信用代码: 11 机关 + 370303 张店区 + organisation code + check character
FORMER_AREA = AREA[8:17]  # the organisation code alone, as the directory named agencies before 2019

# (report year, publication time): reports for year N appear in January of N+1.
_REPORTS = [(2018, "2019-01-30 16:10"), (2019, "2020-01-16 10:25"), (2020, "2021-01-27 15:40"),
            (2021, "2022-01-24 09:15"), (2022, "2023-01-18 14:30"), (2023, "2024-01-19 11:05")]

_NOTICES = [
    ("张店区科学技术局2023年部门预算", "2023-02-10 09:00"),
    ("关于组织申报2023年度淄博市科技创新券的通知", "2023-03-21 09:00"),
    ("张店区科学技术局2022年部门决算", "2023-08-30 09:00"),
    ("关于开展2023年度张店区科技型中小企业入库工作的通知", "2023-04-12 09:00"),
    ("2023年张店区政务公开工作方案落实情况", "2023-12-08 09:00"),
    ("张店区科学技术局政府信息公开指南", "2022-06-15 09:00"),
    ("张店区科学技术局机构职能", "2021-09-02 09:00"),
    ("关于公布2022年张店区重点研发计划项目的通知", "2022-07-19 09:00"),
    ("张店区科学技术局2024年部门预算", "2024-02-06 09:00"),
    ("关于张店区2023年度高新技术企业认定奖励资金拨付的公示", "2024-03-14 09:00"),
]


def _index_number(year: int, number: int) -> str:
    return f"{AREA}/{year}-{number:05d}"


def _report(number: int, year: int, published: str) -> AnnualReport:
    return AnnualReport(
        year=year,
        title=f"{AGENCY}{year}年政府信息公开工作年度报告",
        published=article_date(published),
        body_html=(DOCUMENTS / f"zhangdian-kjj-{year}.html").read_text(encoding="utf-8"),
        index_number=_index_number(year + 1, number),
    )


def site() -> HanwebXxgkSite:
    return HanwebXxgkSite(
        host="www.zhangdian.gov.cn",
        site_name="张店区人民政府",
        publisher=AGENCY,
        column_id=36021,
        column_name="政府信息公开",
        area=AREA,
        former_area=FORMER_AREA,
        div_id="div36021",
        reports=[_report(1 + i, year, published) for i, (year, published) in enumerate(_REPORTS)],
        notices=[
            notice(4101 + i, title, published, AGENCY, _index_number(int(published[:4]), (4101 + i) % 1000))
            for i, (title, published) in enumerate(_NOTICES)
        ],
        relisted_under_former_area=(2019,),
    )
