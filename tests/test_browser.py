"""A journalist's path through the published site in a real browser (Playwright driving Debian's Chromium) over the
replica crawl's database: home page, a Chinese search, a facet, a report, and its archived original file.
Screenshots of each step are saved in test-artifacts/ (git-ignored)."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from crawler.publish import datasette_app
from tests.crawling import ROOT

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
REPORT_TITLE = "淄博市科学技术局2021年政府信息公开工作年度报告"


@pytest.fixture(scope="module")
def site_url(crawled_replica):
    """The published site over the replica crawl, served by uvicorn on a free local port for the module's tests."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = datasette_app(crawled_replica.archive / "reports.db", crawled_replica.archive).app()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-{name}.png"), full_page=True)


def test_search_facet_report_and_archived_original(site_url, browser, replica_db, crawled_replica):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)

    page.goto(site_url + "/")
    assert page.locator("h1").first.inner_text() == "政府信息公开工作年度报告档案"
    screenshot(page, "1-home")

    page.fill("#archive-search-q", "政府信息公开")
    page.press("#archive-search-q", "Enter")
    page.wait_for_url("**/reports/report_text?_search=*")
    hits = page.locator("ol.search-hits > li")
    assert hits.count() > 0 and "政府信息公开" in page.locator("ol.search-hits mark").first.inner_text()
    screenshot(page, "2-search")

    page.locator("#facet-year a", has_text="2021").first.click()
    page.wait_for_url("**year=2021**")
    assert all("2021 年度" in text for text in hits.locator("small").all_inner_texts())
    screenshot(page, "3-facet")

    page.locator("a.search-hit-report", has_text=REPORT_TITLE).first.click()
    page.wait_for_url("**/reports/reports/*")
    assert page.locator("h1").first.inner_text() == REPORT_TITLE
    assert page.locator("table.report-facts").count() == 1  # the applications table as printed
    screenshot(page, "4-report")

    link = page.locator("table.report-documents tr", has_text=".docx").locator("a.archived-original")
    with page.expect_download() as download:
        link.click()
    original = Path(download.value.path()).read_bytes()
    (document,) = replica_db.query("select d.sha256, d.archive_path, d.filename from documents d "
                                   "join reports r on r.id = d.report_id where r.title = ? and d.kind = 'docx'",
                                   [REPORT_TITLE])
    assert hashlib.sha256(original).hexdigest() == document["sha256"]
    assert original == (crawled_replica.archive / document["archive_path"]).read_bytes()
    assert download.value.suggested_filename == document["filename"]
    page.close()


def test_the_chart_is_drawn(site_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/reports/outcomes_by_year")
    assert page.locator("figure.outcomes-chart svg rect").count() > 6
    screenshot(page, "5-chart")
    page.close()
