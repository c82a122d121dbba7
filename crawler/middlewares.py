"""Downloader middlewares."""

from scrapy import Request


class CrawlProxyMiddleware:
    """Send every request through the CRAWL_PROXY setting's proxy (robots.txt and retries included)."""

    def __init__(self, proxy: str):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings["CRAWL_PROXY"])

    def process_request(self, request: Request):
        request.meta.setdefault("proxy", self.proxy)
