"""zibo_kjj on saved pages of its (replica) Hanweb column: list, dataproxy pagination, report page."""

from urllib.parse import parse_qs, urlsplit

from scrapy import FormRequest, Request

from crawler.items import ReportItem
from tests.saved_pages import saved_response
from tests.crawling import site_spider

ZiboKjjSpider = site_spider("zibo_kjj")

COLUMN = "http://kjj.zibo.gov.cn/col/col18932/index.html"
DATAPROXY = "http://kjj.zibo.gov.cn/module/web/jpage/dataproxy.jsp"


def test_column_page_follows_only_reports_and_asks_dataproxy_for_the_rest():
    spider = ZiboKjjSpider()
    results = list(spider.parse_column(saved_response("zibo_kjj", "column.html", COLUMN)))
    details = [r for r in results if r.callback == spider.parse_article]
    assert [r.url for r in details] == [
        "http://kjj.zibo.gov.cn/art/2024/1/22/art_18932_7005.html",
        "http://kjj.zibo.gov.cn/art/2023/1/19/art_18932_7004.html",
        "http://kjj.zibo.gov.cn/art/2022/1/21/art_18932_7003.html",
    ]
    (next_page,) = [r for r in results if r.callback == spider.parse_dataproxy]
    assert isinstance(next_page, FormRequest) and next_page.method == "POST"
    query = parse_qs(urlsplit(next_page.url).query)
    assert (query["startrecord"], query["endrecord"], query["perpage"]) == (["9"], ["23"], ["15"])
    form = parse_qs(next_page.body.decode())
    assert form["columnid"] == ["18932"] and form["unitid"] == ["60877"] and form["webid"] == ["57"]


def test_short_dataproxy_page_ends_the_list():
    spider = ZiboKjjSpider()
    response = saved_response("zibo_kjj", "dataproxy-9-23.xml", DATAPROXY + "?startrecord=9&endrecord=23&perpage=15")
    results = list(spider.parse_dataproxy(response, endpoint=DATAPROXY, form={"columnid": "18932"}, start=9))
    assert all(r.callback == spider.parse_article for r in results)  # 14 < 15 records: no further page
    assert sorted(r.url.rsplit("_", 1)[1] for r in results) == ["7000.html", "7001.html", "7002.html"]


def test_full_dataproxy_page_asks_for_the_next_range():
    spider = ZiboKjjSpider()
    spider.records_per_request = 14
    response = saved_response("zibo_kjj", "dataproxy-9-23.xml", DATAPROXY)
    results = list(spider.parse_dataproxy(response, endpoint=DATAPROXY, form={"columnid": "18932"}, start=9))
    (next_page,) = [r for r in results if r.callback == spider.parse_dataproxy]
    assert parse_qs(urlsplit(next_page.url).query)["startrecord"] == ["23"]


def test_report_page_becomes_an_item_with_both_attachments():
    url = "http://kjj.zibo.gov.cn/art/2021/1/20/art_18932_7002.html"
    (item,) = ZiboKjjSpider().parse_article(saved_response("zibo_kjj", "report-2020.html", url))
    assert isinstance(item, ReportItem)
    assert item.title == "淄博市科学技术局2020年政府信息公开工作年度报告"
    assert (item.year, item.published, item.agency, item.page_url) == (2020, "2021-01-20", "淄博市科学技术局", url)
    assert [a.text for a in item.attachments] == [
        "淄博市科学技术局2020年政府信息公开工作年度报告.docx",
        "淄博市科学技术局2020年政府信息公开工作年度报告.pdf",
    ]
    assert all(a.url.startswith("http://kjj.zibo.gov.cn/module/download/downfile.jsp?classid=0&filename=")
               for a in item.attachments)
    assert item.page.status == 200 and b'id="zoom"' in item.page.body


def test_start_requests_the_real_column_url():
    import asyncio

    async def first_request():
        async for request in ZiboKjjSpider().start():
            return request

    request = asyncio.run(first_request())
    assert isinstance(request, Request) and request.url == COLUMN
