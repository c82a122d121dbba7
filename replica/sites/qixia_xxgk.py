"""栖霞市 (山东省烟台市) — the city's Hanweb 信息公开 platform, where its departments, towns and streets publish.

Generated from SEED (random.Random, nothing from the clock): each body's area code and the years it reported on
(0–6 of 2019–2024, some years missing, some reports published a year late); the reports themselves are made when
served (replica.documents.portal). Besides, as real portals have them: a body listed under two headings, a body
with no report, a body whose module answers 500, a 汇总 page linking many bodies' reports (not a report), and a
report published inside a 关于印发…的通知 (a report, of the body that filed it).

`ground_truth()` says what a crawler should find: (body, area code, year, report URL) of every report reachable.
The body names are 栖霞市's departments and towns as their names usually run (a guess, not the live list).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from replica.documents.facts import report_title
from replica.documents.portal import YEARS, report_html
from replica.platforms.hanweb import (
    Article,
    HanwebXxgkPortalSite,
    HanwebXxgkSite,
    annual_report_href,
)

HOST = "www.sdqixia.gov.cn"
BASE = f"https://{HOST}"
DISTRICT = "栖霞市"
COLUMN_ID = 31313  # the 信息公开 column its bodies' shells live under (…/col/col31313/index.html?vc_xxgkarea=…)
SEED = 20240611
DISTRICT_CODE = "370686"  # 行政区划代码 of 栖霞市: the 3rd–8th characters of its bodies' credit codes

DEPARTMENTS = (
    "人民政府办公室", "发展和改革局", "教育和体育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
    "财政局", "人力资源和社会保障局", "自然资源和规划局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局",
    "商务局", "文化和旅游局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局",
    "医疗保障局", "行政审批服务局", "综合行政执法局", "信访局", "果业发展服务中心",
)
STREETS_AND_TOWNS = (
    "翠屏街道办事处", "庄园街道办事处", "松山街道办事处", "观里镇人民政府", "蛇窝泊镇人民政府", "唐家泊镇人民政府",
    "桃村镇人民政府", "亭口镇人民政府", "臧家庄镇人民政府", "寺口镇人民政府", "苏家店镇人民政府", "杨础镇人民政府",
    "西城镇人民政府", "官道镇人民政府", "庙后镇人民政府",
)
# The quirks, by body.
LISTED_TWICE = "栖霞市行政审批服务局"  # a 工作部门 listed again among the 直属机构
WITHOUT_REPORTS = "栖霞市果业发展服务中心"
FAILING = "栖霞市统计局"  # its module answers 500: its reports cannot be reached
SUMMARY_FILER = "栖霞市人民政府办公室"  # files the year's 汇总 page in its directory
WRAPPED = ("栖霞市民政局", 2022)  # this report is published inside a 关于印发…的通知, filed as an article


class TruthReport(NamedTuple):
    agency: str
    unit_code: str
    year: int
    url: str


@dataclass
class PortalReport:
    """An annual report of one body as the module serves it, its body made only when the page is served."""

    agency: str
    area: str
    year: int
    published: datetime.datetime
    index_number: str

    @property
    def title(self) -> str:
        return report_title(self.agency, self.year)

    @property
    def body_html(self) -> str:
        return report_html(self.agency, DISTRICT, self.area, self.year)


@dataclass
class Body:
    name: str
    area: str
    years: list[int]
    rng: random.Random

    @cached_property
    def reports(self) -> list[PortalReport]:
        return [PortalReport(self.name, self.area, year, _published(year, self.rng), f"{self.area}/{year + 1}-{n:05d}")
                for n, year in enumerate(self.years, start=1)]


def _published(year: int, rng: random.Random) -> datetime.datetime:
    """When the report on `year` appeared: by the end of January as the 条例 asks, now and then a year late."""
    late = rng.random() < 0.1
    day = datetime.datetime(year + 1 + late, 1, 10, 9) + datetime.timedelta(days=rng.randint(0, 70 if late else 20),
                                                                          minutes=rng.randint(0, 480))
    return day


def bodies() -> list[Body]:
    """Every body of the platform, with its area code and the years it reported on (deterministic from SEED)."""
    rng = random.Random(SEED)
    result = []
    for name in (*(DISTRICT + d for d in DEPARTMENTS), *(DISTRICT + t for t in STREETS_AND_TOWNS)):
        # 统一社会信用代码: 11 (机关) + the district's code + a 9-character organisation code + a check character.
        area = f"11{DISTRICT_CODE}{rng.randrange(10**8, 10**9)}{rng.choice('0123456789ABCDEFGHJKLMNPQRTUWXY')}"
        years = [] if name == WITHOUT_REPORTS else sorted(rng.sample(list(YEARS), rng.randint(1, len(YEARS))))
        if name == WRAPPED[0]:
            years = sorted({*years, WRAPPED[1]})
        result.append(Body(name, area, years, random.Random(f"{SEED}-{area}")))
    return result


def _notice(article_id: int, title: str, published: datetime.datetime, body_html: str, index_number: str) -> Article:
    return Article(id=article_id, title=title, published=published, body_html=body_html, index_number=index_number,
                   column_id=COLUMN_ID)


def _wrapper(body: Body, report: PortalReport) -> Article:
    """The 通知 by which the body published its report: a line of 通知, then the report itself."""
    title = f"关于印发{report.title}的通知"
    intro = f"<p>各科室、各直属单位：</p><p>现将《{report.title}》印发给你们，请认真贯彻落实。</p>"
    return _notice(9000 + body.years.index(report.year), title, report.published, intro + report.body_html,
                   report.index_number)


def _summary(filer: Body, all_bodies: list[Body], year: int) -> Article:
    """The year's 汇总 page: a link to each body's report on `year`, which is no report itself."""
    links = "".join(f'<p><a href="{annual_report_href(b.area, year)}">{report_title(b.name, year)}</a></p>'
                    for b in all_bodies if year in b.years)
    title = f"{DISTRICT}{year}年度政府信息公开工作年度报告汇总"
    return _notice(8000 + year, title, datetime.datetime(year + 1, 3, 1, 9), links, f"{filer.area}/{year + 1}-08000")


def _site_of(body: Body, notices: list[Article], wrapped_year: int | None) -> HanwebXxgkSite:
    return HanwebXxgkSite(
        host=HOST, site_name=f"{DISTRICT}人民政府", publisher=body.name, column_id=COLUMN_ID, column_name="政府信息公开",
        area=body.area, former_area=body.area[8:17], div_id=f"div{COLUMN_ID}",
        # The module holds the body's reports; a report published as a 通知 is only that article.
        reports=[r for r in body.reports if r.year != wrapped_year], notices=notices,
    )


def ground_truth() -> list[TruthReport]:
    """Every report a crawler can reach on the platform: all but the failing body's."""
    truth = []
    for body in bodies():
        if body.name == FAILING:
            continue
        for report in body.reports:
            if (body.name, report.year) == WRAPPED:
                url = f"{BASE}{_wrapper(body, report).path}"
            else:
                url = f"{BASE}{annual_report_href(body.area, report.year)}"
            truth.append(TruthReport(body.name, body.area, report.year, url))
    return truth


def site() -> HanwebXxgkPortalSite:
    all_bodies = bodies()
    sites = {}
    for body in all_bodies:
        notices = []
        wrapped_year = WRAPPED[1] if body.name == WRAPPED[0] else None
        if wrapped_year:
            notices.append(_wrapper(body, next(r for r in body.reports if r.year == wrapped_year)))
        if body.name == SUMMARY_FILER:
            notices.append(_summary(body, all_bodies, 2023))
        sites[body.name] = _site_of(body, notices, wrapped_year)
    departments = [sites[DISTRICT + d] for d in DEPARTMENTS]
    return HanwebXxgkPortalSite(
        host=HOST, site_name=f"{DISTRICT}人民政府", publisher=f"{DISTRICT}人民政府办公室", column_id=COLUMN_ID,
        column_name="政府信息公开",
        groups=[("市政府工作部门", departments), ("直属机构", [sites[LISTED_TWICE]]),
                ("镇街道", [sites[DISTRICT + t] for t in STREETS_AND_TOWNS])],
        failing_areas=(sites[FAILING].area,),
    )
