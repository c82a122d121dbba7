"""淄博高新技术产业开发区 — its 政府信息公开 channel on the china-zibo.gov.cn portal, a JS-rendered JSON-API list.

Five annual reports — 2018 in free form, 2019–2022 on both national templates — each offered only as old binary
Word (.doc, or Kingsoft .wps for 2019 and 2021), among the zone's other 公开 notices, so the list spans three API
pages. The channel page sits behind a 加速乐-style cookie challenge. Two downloads are hostile: the 2020 report's
Content-Disposition names it `../../…doc`, and the PDF copy offered beside the 2021 report never arrives.
"""

import datetime
from pathlib import Path

from replica.platforms.jsonlist import Article, Attachment, JsonListChannelSite

AGENCY = "淄博高新技术产业开发区"
DOCUMENTS = Path(__file__).resolve().parent.parent / "documents" / "zibo_gxq"
# The zone's 统一社会信用代码, the prefix of every 索引号 it issues.
CREDIT_CODE = "11370300MB28532150"

# (report year, file suffix, publication time): reports for year N appear early in N+1.
REPORTS = [(2018, ".doc", "2019-03-28 10:15"), (2019, ".wps", "2020-01-20 09:40"), (2020, ".doc", "2021-02-18 16:30"),
           (2021, ".wps", "2022-01-27 11:05"), (2022, ".doc", "2023-01-30 15:20")]

_NOTICES = [
    ("淄博高新区政府信息公开指南", "2019-05-10 09:00"),
    ("淄博高新区2019年度政府信息公开工作考核结果通报", "2020-03-12 09:00"),
    ("关于公布淄博高新区2020年度部门预算的公告", "2020-02-21 09:00"),
    ("淄博高新区管委会关于调整行政权力事项的通知", "2020-07-08 09:00"),
    ("关于印发《淄博高新区政府信息公开保密审查办法》等八项制度的通知", "2020-09-15 09:00"),
    ("淄博高新区2021年政务公开工作要点", "2021-04-02 09:00"),
    ("关于开展2021年度“双随机、一公开”抽查工作的通知", "2021-05-19 09:00"),
    ("淄博高新区重大行政决策事项目录（2021年）", "2021-03-05 09:00"),
    ("淄博高新区2020年度部门决算公开", "2021-08-26 09:00"),
    ("关于征集2022年民生实事项目建议的公告", "2021-11-03 09:00"),
    ("淄博高新区2022年政务公开工作实施方案", "2022-03-29 09:00"),
    ("关于公布2022年度行政事业性收费目录清单的公告", "2022-04-14 09:00"),
    ("淄博高新区政务新媒体矩阵名单", "2022-06-30 09:00"),
    ("淄博高新区2022年第一季度政务公开工作情况通报", "2022-04-20 09:00"),
    ("关于开展政务公开标准化规范化培训的通知", "2022-09-07 09:00"),
    ("关于做好2023年春节期间安全生产工作的通知", "2023-01-12 09:00"),
]


def report_title(year: int) -> str:
    return f"{AGENCY}{year}年政府信息公开年度报告"


def _attachments(year: int, suffix: str) -> list[Attachment]:
    name = report_title(year) + suffix
    # The 2020 file was uploaded with a relative path, which the server repeats in Content-Disposition.
    disposition_name = f"../../{name}" if year == 2020 else ""
    report = Attachment(name, DOCUMENTS / f"zibo-gxq-{year}{suffix}", disposition_name)
    # Beside the 2021 report a PDF copy is offered whose storage never answers.
    stalled = [Attachment(report_title(year) + ".pdf", None)] if year == 2021 else []
    return [report, *stalled]


def _report(number: int, year: int, suffix: str, published: str) -> Article:
    title = report_title(year)
    return Article(
        title=title,
        published=datetime.datetime.fromisoformat(published),
        body_html=f"<p>根据《中华人民共和国政府信息公开条例》要求，现公布{title}，全文见附件。</p>",
        index_number=f"{CREDIT_CODE}/{year + 1}-{number:05d}",
        attachments=_attachments(year, suffix),
    )


def _notice(number: int, title: str, published: str) -> Article:
    return Article(
        title=title,
        published=datetime.datetime.fromisoformat(published),
        body_html=f"<p>{title}，详见正文。</p><p>{AGENCY}管理委员会</p>",
        index_number=f"{CREDIT_CODE}/{published[:4]}-{number:05d}",
    )


def site() -> JsonListChannelSite:
    articles = [_report(100 + i, *report) for i, report in enumerate(REPORTS)]
    articles += [_notice(200 + i, *notice) for i, notice in enumerate(_NOTICES)]
    return JsonListChannelSite(
        host="www.china-zibo.gov.cn",
        site_path="site_gxq",
        site_name="淄博高新技术产业开发区",
        publisher=AGENCY,
        channel_name="政府信息公开",
        articles=articles,
    )
