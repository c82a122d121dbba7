"""zhangdian_kjj on saved pages of its (replica) Hanweb 信息公开 directory and annual-report module."""

import asyncio
from urllib.parse import parse_qs, urlsplit

from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.items import ReportItem
from crawler.platforms.hanweb import directory_page_count, with_query_value
from tests.saved_pages import saved_response
from tests.crawling import site_spider

ZhangdianKjjSpider = site_spider("zhangdian_kjj")

(DIRECTORY,) = ZhangdianKjjSpider.entry_urls
MODULE = "http://www.zhangdian.gov.cn/module/xxgk/xxgkAnnualReport.jsp"
AREA = "11370303004305217R"


def module_url(year: int, area: str = AREA) -> str:
    return f"{MODULE}?area={area}&fbtime={year}"


def test_first_directory_page_follows_only_reports_by_their_full_titles_and_asks_for_page_two():
    spider = ZhangdianKjjSpider()
    results = list(spider.parse_directory(saved_response("zhangdian_kjj", "directory-1.html", DIRECTORY)))
    reports = [r for r in results if r.callback == spider.parse_annual_report]
    # The visible link text is cut short (…年政府信息公开…); the `mc` attribute holds the whole title.
    assert [(r.url, r.cb_kwargs) for r in reports] == [
        (module_url(2023), {"title": "张店区科学技术局2023年政府信息公开工作年度报告", "published": "2024-01-19"}),
        (module_url(2022), {"title": "张店区科学技术局2022年政府信息公开工作年度报告", "published": "2023-01-18"}),
    ]
    (next_page,) = [r for r in results if r.callback == spider.parse_directory]
    assert parse_qs(urlsplit(next_page.url).query)["currpage"] == ["2"]
    assert parse_qs(urlsplit(next_page.url).query)["area"] == [AREA]
    assert len(results) == 3  # the page's eight notices are not followed


def test_second_directory_page_follows_the_rest_including_the_row_under_the_former_code():
    spider = ZhangdianKjjSpider()
    url = with_query_value(DIRECTORY, "currpage", "2")
    results = list(spider.parse_directory(saved_response("zhangdian_kjj", "directory-2.html", url)))
    assert all(r.callback == spider.parse_annual_report for r in results)  # no page asked for twice
    # 2019 is listed twice; the old address answers 301 to the current one, which the crawl then fetches once.
    assert [r.url for r in results] == [
        module_url(2021), module_url(2020), module_url(2019), module_url(2019, area="004305217"), module_url(2018)
    ]


def test_report_filed_as_an_ordinary_article_is_read_as_one():
    title = "张店区科学技术局2023年政府信息公开工作年度报告"
    row = (f'<table><tr><td><a href="/art/2024/1/19/art_36021_9001.html" mc="{title}" rq="2024-01-19">'
           f"{title[:20]}…</a></td></tr></table>")
    spider = ZhangdianKjjSpider()
    response = HtmlResponse(url=DIRECTORY, body=row.encode(), encoding="utf-8")
    (request,) = spider.parse_directory(response)
    assert request.url == "http://www.zhangdian.gov.cn/art/2024/1/19/art_36021_9001.html"
    assert request.callback == spider.parse_article


def test_report_page_is_the_report_with_no_attachments():
    url = module_url(2022)
    response = saved_response("zhangdian_kjj", "report-2022.html", url)
    (item,) = ZhangdianKjjSpider().parse_annual_report(
        response, title="张店区科学技术局2022年政府信息公开工作年度报告", published="2023-01-18"
    )
    assert isinstance(item, ReportItem)
    assert item.title == "张店区科学技术局2022年政府信息公开工作年度报告"
    assert (item.year, item.published, item.agency, item.page_url) == (2022, "2023-01-18", "张店区科学技术局", url)
    assert item.attachments == []
    # The page itself is the report's only document, extracted like any other.
    assert [d.role for d in item.documents] == ["page"]
    assert b'class="gknbxq_detail"' in item.page.body and "2022年" in item.page.body.decode()


def test_page_count_and_page_addresses():
    assert directory_page_count("共17条记录 共2页 当前第1页") == 2
    assert directory_page_count("<table></table>") == 1
    url = with_query_value(DIRECTORY, "currpage", "3")
    assert url.startswith("http://www.zhangdian.gov.cn/module/xxgk/search.jsp?infotypeId=&jdid=&area=")
    assert parse_qs(urlsplit(url).query)["currpage"] == ["3"] and url.endswith("&standardXxgk=1")


def test_start_requests_the_real_directory_url():
    async def first_request():
        async for request in ZhangdianKjjSpider().start():
            return request

    request = asyncio.run(first_request())
    assert isinstance(request, Request) and request.url == DIRECTORY
