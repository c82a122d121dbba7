"""A hostile publisher for tests/test_hostile_server.py: one TRS-style column whose annual report links every trick a
page, a link or a server can play on the crawl, served by the replica's proxy (replica.server) like any replica site.

Each trick is an attachment link with the failure kind the crawl must record for it (`TRICKS`); the page also links
one real PDF, which must arrive intact, so a crawl that refuses everything cannot pass.
"""

from __future__ import annotations

from pathlib import Path

from replica.server import ReplicaRequest, ReplicaResponse

HOST = "xxgk.hostile.gov.cn"
LIST_URL = f"http://{HOST}/nb/index.html"
REPORT_PATH = "/nb/202301/t20230115_1.html"
REPORT_PDF = Path(__file__).resolve().parent.parent / "replica" / "documents" / "zibo_kjj" / "zibo-kjj-2022.pdf"
SECRET = Path(__file__).resolve().parent / "hostile_spiders" / "secret.txt"  # what file:// links aim at
OVERSIZED_BYTES = 3_000_000  # the crawl under test runs with DOWNLOAD_MAXSIZE below this, above REPORT_PDF

# (link href on the report page, the failure kind the crawl records for it)
TRICKS = [
    (f"{SECRET.as_uri()}?b.pdf", "refused"),  # a local file, dressed as a PDF
    (f"file://localhost{SECRET}?name=report.docx", "refused"),
    ("javascript:void(0);/nb/files/report.pdf", "refused"),  # Scrapy cannot even make a request of it
    ("data:application/pdf;base64,JVBERi0xLjQK.pdf", "refused"),
    ("http://127.0.0.1:8001/reports.db?x.pdf", "refused"),  # the machine's own services
    ("http://[::1]/admin.pdf", "refused"),
    ("http://169.254.169.254/latest/meta-data.pdf", "refused"),
    ("http://evil.example.com/report.pdf", "refused"),  # another host
    (f"http://user:secret@{HOST}/nb/files/creds.pdf", "refused"),
    (f"ftp://{HOST}/nb/files/report.pdf", "refused"),
    ("http://[broken/report.pdf", "refused"),  # not even a URL
    (f"http://{HOST}/nb/files/to-file.pdf", "refused"),  # 302 to file://
    (f"http://{HOST}/nb/files/to-metadata.pdf", "refused"),  # 302 to another host
    (f"http://{HOST}/nb/files/loop.pdf", "too_many_redirects"),  # 302 to itself, forever
    (f"http://{HOST}/nb/files/missing.pdf", "http_404"),
    (f"http://{HOST}/nb/files/error-page.pdf", "not_a_document"),  # 200 with an HTML error page
    (f"http://{HOST}/nb/files/challenge.pdf", "waf_challenge"),
    (f"http://{HOST}/nb/files/slow.pdf", "timeout"),
    (f"http://{HOST}/nb/files/oversized.pdf", "too_large"),
]
GOOD_PDF = f"http://{HOST}/nb/files/report.pdf"

_HTML = [("Content-Type", "text/html; charset=utf-8")]


def _page(title: str, body: str) -> ReplicaResponse:
    return ReplicaResponse(
        200,
        f'<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">'
        f'<meta name="PubDate" content="2023-01-15 09:00"><title>{title}</title></head><body>{body}</body></html>'
        .encode(),
        list(_HTML),
    )


class HostileSite:
    hosts = (HOST,)

    def __init__(self, slow_seconds: float):
        self.slow_seconds = slow_seconds

    def respond(self, request: ReplicaRequest) -> ReplicaResponse:
        path = request.path
        if path == "/robots.txt":
            return ReplicaResponse(200, b"User-agent: *\nAllow: /\n", [("Content-Type", "text/plain")])
        if path == "/nb/index.html":
            return self._list()
        if path == REPORT_PATH:
            return self._report()
        return self._file(path)

    @staticmethod
    def _list() -> ReplicaResponse:
        title = "恶意市某局2022年政府信息公开工作年度报告"
        items = [f'<li><a href="./202301/t20230115_1.html" title="{title}">{title}</a><span>2023-01-15</span></li>']
        # A list entry aiming the crawl at a local file: it must never become a page of the archive.
        items.append(f'<li><a href="{SECRET.as_uri()}" title="{title}（本地）">{title}</a></li>')
        return _page("年报", f"<ul>{''.join(items)}</ul><script>createPageHTML(1, 0, \"index\", \"html\");</script>")

    @staticmethod
    def _report() -> ReplicaResponse:
        title = "恶意市某局2022年政府信息公开工作年度报告"
        links = "".join(f'<li><a href="{href}">附件{n}.pdf</a></li>' for n, (href, _) in enumerate(TRICKS))
        links += f'<li><a href="{GOOD_PDF}">{title}.pdf</a></li>'
        body = (f'<div class="title">{title}</div><div><div class="TRS_Editor"><p>一、总体情况</p></div>'
                f'<div class="fj"><ul>{links}</ul></div></div>')
        return _page(title, body)

    def _file(self, path: str) -> ReplicaResponse:
        name = path.removeprefix("/nb/files/")
        if name == "report.pdf":
            return ReplicaResponse(200, REPORT_PDF.read_bytes(), [("Content-Type", "application/pdf")])
        if name == "to-file.pdf":
            return ReplicaResponse(302, b"", [("Location", SECRET.as_uri())])
        if name == "to-metadata.pdf":
            return ReplicaResponse(302, b"", [("Location", "http://169.254.169.254/latest/meta-data.pdf")])
        if name == "loop.pdf":
            return ReplicaResponse(302, b"", [("Location", f"http://{HOST}/nb/files/loop.pdf")])
        if name == "error-page.pdf":
            return ReplicaResponse.html("<html><head><title>出错了</title></head><body>文件不存在</body></html>")
        if name == "challenge.pdf":
            script = "<script>var $_ts={};document.cookie='__jsl_clearance=1';location.reload()</script>"
            return ReplicaResponse(521, script.encode(), list(_HTML))
        if name == "slow.pdf":
            return ReplicaResponse(200, b"%PDF-1.4\n", [("Content-Type", "application/pdf")], delay=self.slow_seconds)
        if name == "oversized.pdf":
            return ReplicaResponse(200, b"%PDF-1.4\n" + b"0" * OVERSIZED_BYTES, [("Content-Type", "application/pdf")])
        return ReplicaResponse.not_found()
