"""Downloader middlewares."""

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.attachments import ATTACHMENT_META, failure_from_exception
from crawler.fetch_policy import RefusedRequest, refusal, spider_hosts


class FetchPolicyMiddleware:
    """Refuse every request that is not an http(s) URL on the spider's hosts (crawler.fetch_policy), whatever made
    it: a spider's link, an attachment, a redirect, a request with `dont_filter=True` (which Scrapy's own off-site
    check lets through). Placed first, so nothing else (robots.txt, the proxy) acts on a refused URL."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request):
        reason = refusal(request.url, spider_hosts(self.crawler.spider))
        if reason:
            raise RefusedRequest(reason)


class CrawlProxyMiddleware:
    """Send every request through the CRAWL_PROXY setting's proxy (robots.txt and retries included); off without
    one."""

    def __init__(self, proxy: str):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("CRAWL_PROXY"):
            raise NotConfigured("no CRAWL_PROXY")
        return cls(crawler.settings["CRAWL_PROXY"])

    def process_request(self, request: Request):
        request.meta.setdefault("proxy", self.proxy)


class CrawlProxy:
    """Scrapy add-on: the browser that renders JavaScript pages goes through CRAWL_PROXY too. Settings are final
    only once the command line's are in, and Playwright reads its launch options when the browser starts, so this
    runs as an add-on (Scrapy calls it after all settings are set, before any component is built)."""

    def update_settings(self, settings) -> None:
        proxy = settings.get("CRAWL_PROXY")
        if not proxy:
            return
        launch = {**settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"), "proxy": {"server": proxy}}
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch,
                     priority=settings.getpriority("PLAYWRIGHT_LAUNCH_OPTIONS") or "addon")
        # The proxy may terminate TLS itself (the replica does), so the browser must accept its certificate;
        # Scrapy's own TLS client does not verify certificates at all.
        contexts = settings.getdict("PLAYWRIGHT_CONTEXTS")
        default = {**contexts.get("default", {}), "ignore_https_errors": True}
        settings.set("PLAYWRIGHT_CONTEXTS", {**contexts, "default": default},
                     priority=settings.getpriority("PLAYWRIGHT_CONTEXTS") or "addon")


class PageFailureMiddleware:
    """Names every list or detail page the crawl could not get, with the reason, in the crawl's stats: the crawl
    summary reports them (`page_<kind>` counts and `failed_pages`), so a page lost to a timeout, an HTTP error or
    robots.txt is visible by its URL, not only as a number.

    Attachments are not pages: the pipelines fetch them (Request.meta[ATTACHMENT_META]) and record their failures on
    the report. Placed below RetryMiddleware and RedirectMiddleware (a lower number), it sees a response or an
    exception only when they are done with it: after the last retry, at the end of the redirects.

    A status the request's `handle_httpstatus_list` names is the spider's to judge (a WAF challenge's 521 that comes
    back with the page the browser rendered past it): it fails the page only if the callback says so."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request: Request, response):
        handled_by_spider = response.status in request.meta.get("handle_httpstatus_list", ())
        if response.status >= 400 and not handled_by_spider and self._is_page(request):
            self._record(request.url, f"http_{response.status}", f"{request.url}: HTTP {response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception):
        if self._is_page(request) and not _is_offsite(exception):
            failure = failure_from_exception(exception, request.url)
            self._record(request.url, failure.kind, failure.message)
        return None

    @staticmethod
    def _is_page(request: Request) -> bool:
        # robots.txt is fetched through the same middlewares; a site without one is no failure.
        return not request.meta.get(ATTACHMENT_META) and urlsplit(request.url).path != "/robots.txt"

    def _record(self, url: str, kind: str, message: str) -> None:
        self.stats.inc_value(f"page_failures/{kind}")
        failed = self.stats.get_value("page_failures", [])
        self.stats.set_value("page_failures", [*failed, {"url": url, "kind": kind, "message": message}])


def _is_offsite(exception: Exception) -> bool:
    # A link outside the spider's allowed_domains is left out on purpose, not lost.
    return isinstance(exception, IgnoreRequest) and "offsite" in str(exception)
