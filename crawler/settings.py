"""Scrapy settings for the annual-report crawler.

Politeness is on by default (robots.txt, AutoThrottle, at most two requests at a time per site); every value
can be overridden per run: `python -m crawler crawl -s AUTOTHROTTLE_ENABLED=0`.

Set CRAWL_PROXY (`-s CRAWL_PROXY=URL`, or `python -m crawler crawl --proxy URL`) to send every request — Scrapy's
and the browser's — through one HTTP proxy; that is how the crawl reaches the replica web, with the spiders unchanged.
Paths and the proxy are settings like any other: components read them from `crawler.settings` when the crawl
starts, never from the environment at import time, so `-s` reaches them.
"""

import os
from pathlib import Path

BOT_NAME = "crawler"
# Every row of SITES_FILE is a spider (crawler/sites.py); spiders/ holds the sites that need code of their own.
SPIDER_LOADER_CLASS = "crawler.sites.SiteSpiderLoader"
SITES_FILE = str(Path(__file__).resolve().parent.parent / "sites.csv")
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# ASCII only: a request followed from a GBK page encodes its headers as GBK, and Scrapy's robots.txt check then
# fails to decode a non-ASCII user agent.
USER_AGENT = (
    "Mozilla/5.0 (compatible; gov-report-archive/0.1; "
    "civic archive of government information disclosure annual reports)"
)

# Politeness.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Sites crawled at once by `python -m crawler crawl`, never two on one host (crawler/site_queue.py): with the two
# connections each, up to 48 requests in flight over many servers, and none of them asked for more than two.
CONCURRENT_SITES = 24
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Government servers are slow and flaky: wait, retry a little, then record the failure and move on.
DOWNLOAD_TIMEOUT = 60
RETRY_ENABLED = True
RETRY_TIMES = 2
DOWNLOAD_MAXSIZE = 200 * 1024 * 1024  # a 300-page scanned report is big; anything beyond this is not a report

# Extraction runs in a worker process under these limits (crawler/extract/worker.py); a document that exceeds them
# is recorded as too_large or unreadable and the crawl goes on. `rebuild` uses them too, and `extract` by default.
# Memory: the most a real report took is 0.7 GB (a scanned PDF through OCR); every bound of crawler/extract/limits.py
# stays under 1.1 GB. LibreOffice and pdftoppm, started by the worker, get the same ceiling each.
EXTRACT_MEMORY_LIMIT_MB = 2048
# Seconds per document: the slowest real ones are scans, 30 pages OCRed at most (MAX_SCANNED_PAGES) at 3–10 s a
# page on 2 busy cores. A document past this is stopped with its worker.
EXTRACT_TIMEOUT = 600

# The generic platform (crawler/platforms/generic.py) crawls a site whose CMS no base knows by following
# 信息公开/年报-like links: at most this many links from an entry page, and this many pages per site. A county
# portal's reports sit three or four links from its homepage (信息公开 → 年报 → a year → the report).
GENERIC_MAX_DEPTH = 5
GENERIC_MAX_PAGES = 500

# Where the crawl keeps what it finds (see archive/README.md); DATABASE_PATH empty: ARCHIVE_DIR/reports.db.
ARCHIVE_DIR = "archive"
DATABASE_PATH = ""

ITEM_PIPELINES = {
    "pipelines.fetch.FetchAttachmentsPipeline": 100,
    "pipelines.archive.ArchivePipeline": 200,
    "pipelines.extract.ExtractPipeline": 300,
    "pipelines.database.DatabasePipeline": 400,
}
EXTENSIONS = {
    "crawler.summary.CrawlSummary": 500,
}
DOWNLOADER_MIDDLEWARES = {
    # Before everything else, Scrapy's off-site check (50) included: only http(s) URLs on the spider's hosts.
    "crawler.middlewares.FetchPolicyMiddleware": 60,
    # Below RetryMiddleware (550) and RedirectMiddleware (600): it sees what they give up on.
    "crawler.middlewares.PageFailureMiddleware": 500,
    # Switches itself off without a CRAWL_PROXY.
    "crawler.middlewares.CrawlProxyMiddleware": 740,
}

# Playwright renders only the pages a spider marks with meta["playwright"]; everything else, and every
# attachment, goes through Scrapy's own downloader (Chromium would hand back its PDF viewer, not the PDF).
# The crawl fetches web pages and nothing else: Scrapy's handlers for file://, data:, s3:// and ftp:// are off, so no
# link can make it read a local file or another store (crawler/fetch_policy.py refuses them before that).
DOWNLOAD_HANDLERS = {
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "file": None,
    "data": None,
    "s3": None,
    "ftp": None,
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 60_000

# One HTTP proxy for every request, empty for none: crawler.middlewares.CrawlProxyMiddleware for Scrapy's requests,
# the CrawlProxy add-on for the browser's (it must reach Playwright's launch options before the browser starts).
CRAWL_PROXY = ""
ADDONS = {"crawler.middlewares.CrawlProxy": 0}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
FEED_EXPORT_ENCODING = "utf-8"
