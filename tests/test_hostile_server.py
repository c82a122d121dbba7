"""The crawl against a hostile publisher (tests/hostile_web.py): links to local files, other hosts and other schemes,
redirects out of the site or in a loop, error pages, challenges, slow and oversized answers. Each must end as a
recorded document failure of the right kind, the report must be kept, the one real attachment must arrive, and no
byte of anything the crawl must not fetch may reach the archive."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crawler.fetch_policy import refusal
from crawler.middlewares import FetchPolicyMiddleware, RefusedRequest
from replica.server import ReplicaServer, ReplicaWeb
from tests.crawling import ROOT, open_database, printed_summaries, provenance_records
from tests.hostile_web import GOOD_PDF, HOST, OVERSIZED_BYTES, REPORT_PATH, SECRET, TRICKS, HostileSite

pytestmark = pytest.mark.e2e
DOWNLOAD_TIMEOUT = 2


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    server = ReplicaServer(ReplicaWeb([HostileSite(slow_seconds=DOWNLOAD_TIMEOUT + 2)]))
    server.start_in_thread()
    archive = tmp_path_factory.mktemp("hostile") / "archive"
    settings = {"SPIDER_MODULES": "tests.hostile_spiders", "AUTOTHROTTLE_ENABLED": "0", "LOG_LEVEL": "WARNING",
                "DOWNLOAD_TIMEOUT": str(DOWNLOAD_TIMEOUT), "RETRY_TIMES": "0",
                "DOWNLOAD_MAXSIZE": str(OVERSIZED_BYTES // 2)}
    command = [sys.executable, "-m", "crawler", "crawl", "hostile", "--proxy", server.proxy_url,
               "--archive", str(archive)]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    try:
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
    db = open_database(archive)
    yield archive, db, result
    db.close()


def test_the_report_is_kept_with_every_link_as_a_document(hostile_crawl):
    _archive, db, result = hostile_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    (report,) = list(db["reports"].rows)
    assert report["page_url"] == f"http://{HOST}{REPORT_PATH}"
    urls = {row["url"] for row in db["documents"].rows_where("role = 'attachment'")}
    assert urls == {href for href, _ in TRICKS} | {GOOD_PDF}


@pytest.mark.parametrize("href, kind", TRICKS, ids=[kind + ":" + href[:40] for href, kind in TRICKS])
def test_each_trick_is_a_recorded_failure(hostile_crawl, href, kind):
    _archive, db, _result = hostile_crawl
    (document,) = list(db["documents"].rows_where("url = ?", [href]))
    assert document["failure_kind"] == kind, document["failure"]
    assert document["failure"]  # a reason a person can read
    if not href.startswith(f"http://{HOST}/"):  # refused before any request: nothing was received to archive
        assert document["sha256"] is None


def test_the_real_attachment_arrives(hostile_crawl):
    archive, db, _result = hostile_crawl
    (document,) = list(db["documents"].rows_where("url = ?", [GOOD_PDF]))
    assert document["failure_kind"] is None and document["kind"] == "pdf"
    assert (archive / document["archive_path"]).is_file()


def test_nothing_local_reaches_the_archive(hostile_crawl):
    archive, _db, _result = hostile_crawl
    secret = SECRET.read_bytes()
    assert not [path for path in (archive / "objects").rglob("*") if path.is_file() and secret in path.read_bytes()]
    fetched = {record["url"] for record in provenance_records(archive) if record.get("sha256")}
    assert all(url.startswith(f"http://{HOST}/") for url in fetched), fetched


def test_the_summary_counts_the_failures(hostile_crawl):
    _archive, _db, result = hostile_crawl
    summary = printed_summaries(result)["hostile"]
    expected = {}
    for _href, kind in TRICKS:
        expected[kind] = expected.get(kind, 0) + 1
    assert summary["failures"] == expected
    assert summary["reports"] == 1 and summary["documents"] == len(TRICKS) + 1


class _Spider:
    allowed_domains = ["kjj.zibo.gov.cn"]
    attachment_domains = ["file.zibo.gov.cn"]


class _Crawler:
    spider = _Spider()


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://evil.example.com/x.html", "javascript:void(0)", "http://127.0.0.1/",
     "https://kjj.zibo.gov.cn.evil.com/x.html", "http://u:p@kjj.zibo.gov.cn/x.html", "gopher://kjj.zibo.gov.cn/"],
)
def test_the_policy_refuses_pages_that_skip_the_offsite_check(url):
    from scrapy import Request

    middleware = FetchPolicyMiddleware(_Crawler())
    request = Request("http://kjj.zibo.gov.cn/", dont_filter=True)
    request._url = url  # Request itself rejects some of these; the middleware must not rely on that
    with pytest.raises(RefusedRequest):
        middleware.process_request(request)


@pytest.mark.parametrize(
    "url",
    ["http://kjj.zibo.gov.cn/col/col1/index.html", "https://kjj.zibo.gov.cn:8443/a.pdf",
     "http://www.kjj.zibo.gov.cn/a.pdf", "http://file.zibo.gov.cn/upload/a.pdf", "HTTP://KJJ.ZIBO.GOV.CN/a.pdf"],
)
def test_the_policy_lets_the_spiders_hosts_through(url):
    assert refusal(url, ("kjj.zibo.gov.cn", "file.zibo.gov.cn")) is None
