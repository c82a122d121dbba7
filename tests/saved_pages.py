"""Saved replica pages (tests/pages/<spider>/): which request made each one, the command that makes them again from
the replica (`make pages`, i.e. `python -m tests.saved_pages`), and the pages as Scrapy responses for spider unit
tests (no network, no reactor). tests/test_saved_pages.py fails when a saved page is no longer what the replica
answers, so the spider tests never run on pages the replica stopped serving."""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright
from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse

from crawler.platforms.jsonlist import LIST_LINKS
from crawler.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from replica.server import ReplicaRequest, ReplicaServer, ReplicaWeb
from replica.sites import replica_web

PAGES = Path(__file__).parent / "pages"
# Long enough for a loaded machine, short enough that a page which never renders fails the test within seconds.
RENDER_TIMEOUT_MS = 15_000


@dataclass
class SavedPage:
    """One file under tests/pages/ and the request whose answer it holds."""

    spider: str
    filename: str
    url: str
    form: dict[str, str] | None = None  # POSTed form-encoded; None: a GET
    headers: dict[str, str] = field(default_factory=dict)
    # A CSS selector for pages a browser must render: the file is then the DOM once the selector matches, after the
    # page's scripts ran, as scrapy-playwright hands it to the spider, not the server's bytes.
    rendered_until: str = ""

    @property
    def path(self) -> Path:
        return PAGES / self.spider / self.filename


GUYUAN_COLUMN = "http://kjj.nxgy.gov.cn/zwgk/zfxxgknb/"
YANZHOU = "http://www.yanzhou.gov.cn"
ZHANGDIAN_MODULE = "http://www.zhangdian.gov.cn/module/xxgk/"
ZHANGDIAN_DIRECTORY = (ZHANGDIAN_MODULE + "search.jsp?infotypeId=&jdid=&area=11370303004305217R&divid=div36021"
                       "&sortfield=,compaltedate:0&currpage={}&standardXxgk=1")
QIXIA = "https://www.sdqixia.gov.cn"
ZIBO_GXQ_CHANNEL = "https://www.china-zibo.gov.cn/gongkai/site_gxq/channel_67c9f5ed66a144b7b5a9362c/"
ZIBO_KJJ = "http://kjj.zibo.gov.cn"
XIANGZHOU = "http://www.zhxz.gov.cn/gkmlpt/"
# A Hanweb column's records after its first screen of eight, 15 at a time as the spiders ask.
DATAPROXY_9_23 = "/module/web/jpage/dataproxy.jsp?startrecord=9&endrecord=23&perpage=15"


HOMEPAGES = {"guyuan_kjj": "http://kjj.nxgy.gov.cn/", "yanzhou_kjj": YANZHOU + "/",
             "zhangdian_kjj": "http://www.zhangdian.gov.cn/", "zibo_gxq": "https://www.china-zibo.gov.cn/",
             "zibo_kjj": ZIBO_KJJ + "/", "jiamusi_jq": "http://www.jmsjq.gov.cn/"}


def hanweb_dataproxy_form(web_id: int, column_id: int, unit_id: int, site_name: str) -> dict[str, str]:
    """The form a Hanweb spider POSTs to dataproxy.jsp, as crawler.platforms.hanweb.dataproxy_form reads it off the
    column page."""
    return {"col": "1", "appid": "1", "webid": str(web_id), "path": "/", "columnid": str(column_id),
            "sourceContentType": "1", "unitid": str(unit_id), "webname": site_name, "permissiontype": "0"}


SAVED_PAGES = [
    SavedPage("guyuan_kjj", "index.html", GUYUAN_COLUMN + "index.html"),
    SavedPage("guyuan_kjj", "index_2.html", GUYUAN_COLUMN + "index_2.html"),
    SavedPage("guyuan_kjj", "report-2017-old-template.html", GUYUAN_COLUMN + "201801/t20180130_1187764.html"),
    SavedPage("guyuan_kjj", "report-2022.html", GUYUAN_COLUMN + "202301/t20230118_1699731.html"),
    SavedPage("yanzhou_kjj", "column.html", YANZHOU + "/col/col25873/index.html"),
    SavedPage("yanzhou_kjj", "dataproxy-9-23.xml", YANZHOU + DATAPROXY_9_23,
              form=hanweb_dataproxy_form(46, 25873, 74512, "中国·兖州")),
    SavedPage("yanzhou_kjj", "report-2021.html", YANZHOU + "/art/2022/1/12/art_25873_2734512.html"),
    SavedPage("yanzhou_kjj", "report-2022.html", YANZHOU + "/art/2023/1/16/art_25873_2851207.html"),
    SavedPage("yanzhou_kjj", "robots.txt", YANZHOU + "/robots.txt"),
    SavedPage("yanzhou_kjj", "tujie-2021.html", YANZHOU + "/art/2022/1/12/art_25873_2734538.html"),
    SavedPage("qixia_xxgk", "units.html", QIXIA + "/col/col31313/index.html"),
    # 民政局's directory: reports in the module, its 2022 report inside a 关于印发…的通知.
    SavedPage("qixia_xxgk", "directory-minzheng.html",
              QIXIA + "/module/xxgk/search.jsp?infotypeId=&jdid=&area=11370686835535852P&divid=div31313"
              "&sortfield=%2Ccompaltedate%3A0&currpage=1&standardXxgk=1"),
    SavedPage("qixia_xxgk", "report-minzheng-2021.html",
              QIXIA + "/module/xxgk/xxgkAnnualReport.jsp?area=11370686835535852P&fbtime=2021"),
    SavedPage("zhangdian_kjj", "directory-1.html", ZHANGDIAN_DIRECTORY.format(1)),
    SavedPage("zhangdian_kjj", "directory-2.html", ZHANGDIAN_DIRECTORY.format(2)),
    SavedPage("zhangdian_kjj", "report-2022.html",
              ZHANGDIAN_MODULE + "xxgkAnnualReport.jsp?area=11370303004305217R&fbtime=2022"),
    # What a client without a browser gets: the WAF's 521 script, and with the cookie that script sets, the shell.
    SavedPage("zibo_gxq", "challenge.html", ZIBO_GXQ_CHANNEL + "index.html"),
    SavedPage("zibo_gxq", "shell.html", ZIBO_GXQ_CHANNEL + "index.html",
              headers={"Cookie": "__jsl_clearance=dfb22fc72080696d657b7d90"}),
    SavedPage("zibo_gxq", "list-page-1.html", ZIBO_GXQ_CHANNEL + "index.html", rendered_until=LIST_LINKS),
    SavedPage("zibo_gxq", "list-page-3.html", ZIBO_GXQ_CHANNEL + "index.html?page=3", rendered_until=LIST_LINKS),
    SavedPage("zibo_gxq", "report-2020.html", ZIBO_GXQ_CHANNEL + "doc_b35802018eff29844a309cb6.html"),
    SavedPage("zibo_kjj", "column.html", ZIBO_KJJ + "/col/col18932/index.html"),
    SavedPage("zibo_kjj", "dataproxy-9-23.xml", ZIBO_KJJ + DATAPROXY_9_23,
              form=hanweb_dataproxy_form(57, 18932, 60877, "淄博市科学技术局")),
    SavedPage("zibo_kjj", "report-2020.html", ZIBO_KJJ + "/art/2021/1/20/art_18932_7002.html"),
    # Homepages, where discovery starts (tests/test_discovery.py).
    *(SavedPage(spider, "homepage.html", homepage) for spider, homepage in HOMEPAGES.items()),
]
SAVED_PAGES += [
    SavedPage("xiangzhou_gkmlpt", "index.html", XIANGZHOU + "index"),
    SavedPage("xiangzhou_gkmlpt", "list-departments-1.json", XIANGZHOU + "api/all/2792?page=1&sid=756013"),
    SavedPage("xiangzhou_gkmlpt", "list-townships-1.json", XIANGZHOU + "api/all/2793?page=1&sid=756013"),
    SavedPage("xiangzhou_gkmlpt", "report-escaped-title.html", XIANGZHOU + "content/3/3871/post_3871269.html"),
    SavedPage("xiangzhou_gkmlpt", "report-docx-pdf.html", XIANGZHOU + "content/3/3865/post_3865548.html"),
    SavedPage("xiangzhou_gkmlpt", "report-no-publisher.html", XIANGZHOU + "content/3/3858/post_3858322.html"),
    SavedPage("xiangzhou_gkmlpt", "report-street-notice.html", XIANGZHOU + "content/3/3866/post_3866307.html"),
]


def served(web: ReplicaWeb, page: SavedPage) -> bytes:
    """The body the replica answers the page's request with, asked directly: no proxy, no socket."""
    if page.form is None:
        request = ReplicaRequest("GET", page.url, page.headers)
    else:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **page.headers}
        request = ReplicaRequest("POST", page.url, headers, urlencode(page.form).encode())
    return web.respond(request).body


def rendered(web: ReplicaWeb, pages: list[SavedPage]) -> dict[Path, bytes]:
    """The DOM of each page after Chromium ran its scripts, reached the way the crawl reaches the replica: the
    crawl's launch options, the replica as the browser's proxy (a local port: the browser cannot call
    ReplicaWeb.respond), and a fresh context per page, so each is a first visit that meets the WAF challenge."""
    server = ReplicaServer(web)
    server.start_in_thread()
    try:
        with sync_playwright() as playwright:
            options = {**PLAYWRIGHT_LAUNCH_OPTIONS, "proxy": {"server": server.proxy_url}}
            browser = playwright.chromium.launch(**options)
            doms = {}
            for page in pages:
                context = browser.new_context(ignore_https_errors=True)  # the replica's self-signed certificate
                tab = context.new_page()
                tab.goto(page.url, timeout=RENDER_TIMEOUT_MS)
                tab.wait_for_selector(page.rendered_until, timeout=RENDER_TIMEOUT_MS)
                doms[page.path] = tab.content().encode()
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return doms


def regenerated(pages: list[SavedPage]) -> dict[Path, bytes]:
    """What each page's file should hold, made from the replica now."""
    web = replica_web()
    contents = {page.path: served(web, page) for page in pages if not page.rendered_until}
    browser_pages = [page for page in pages if page.rendered_until]
    if browser_pages:
        contents.update(rendered(web, browser_pages))
    return contents


def saved_response(spider_name: str, filename: str, url: str, **request_kwargs) -> HtmlResponse:
    body = (PAGES / spider_name / filename).read_bytes()
    response_class = XmlResponse if filename.endswith(".xml") else HtmlResponse
    return response_class(url=url, body=body, encoding="utf-8", request=Request(url, **request_kwargs))


def main() -> None:
    for path, content in regenerated(SAVED_PAGES).items():
        if not path.exists() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            print(f"rewrote {path.relative_to(PAGES.parent.parent)}")
    print(f"{len(SAVED_PAGES)} saved pages match the replica")


if __name__ == "__main__":
    main()
