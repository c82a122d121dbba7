"""Which sites crawl at the same time: many hosts in parallel, one spider per host.

Scrapy keeps politeness per spider (CONCURRENT_REQUESTS_PER_DOMAIN, AutoThrottle, robots.txt), and a crawl process
would run every spider it is given at once. At thousands of rows that is thousands of downloaders, and two rows on
one portal (a department's own row beside its city's portal row) would each take their two connections to the same
server. So `python -m crawler crawl` starts at most CONCURRENT_SITES spiders at a time and never two whose hosts
overlap; each spider that ends makes room for the next row waiting.
"""

from __future__ import annotations

from collections.abc import Iterable


class SiteQueue:
    """The rows waiting to crawl and those crawling, in the order given.

    `hosts` maps each spider name to the hosts it fetches from; at most `max_running` run at once, and a spider
    waits while another that shares a host runs (the next one in order whose hosts are free goes first)."""

    def __init__(self, hosts: dict[str, Iterable[str]], max_running: int):
        if max_running < 1:
            raise ValueError(f"at least one site must be able to crawl (got {max_running})")
        self.max_running = max_running
        self._hosts = {name: frozenset(names) for name, names in hosts.items()}
        self.waiting: list[str] = list(self._hosts)
        self.running: set[str] = set()

    def ready(self) -> list[str]:
        """The spiders to start now, marked as running."""
        busy = set().union(*(self._hosts[name] for name in self.running))
        started = []
        for name in list(self.waiting):
            if len(self.running) >= self.max_running:
                break
            if self._hosts[name] & busy:
                continue
            self.waiting.remove(name)
            self.running.add(name)
            busy |= self._hosts[name]
            started.append(name)
        return started

    def finish(self, name: str) -> None:
        """`name` has ended; its hosts are free."""
        self.running.remove(name)

    def cancel(self) -> list[str]:
        """Start nothing more (the crawl is shutting down); the spiders that never started."""
        cancelled, self.waiting = self.waiting, []
        return cancelled


def crawl_sites(process, names: list[str], max_running: int) -> tuple[list, list[str]]:
    """Schedule the spiders `names` on a CrawlerProcess through a SiteQueue, before `process.start()`.

    Returns the crawlers started so far and the names of the spiders cancelled by a shutdown; both lists grow while
    the process runs (a spider that ends starts the next)."""
    queue = SiteQueue({name: process.spider_loader.load(name).allowed_domains for name in names}, max_running)
    crawlers: list = []
    cancelled: list[str] = []

    def start_ready() -> None:
        for name in queue.ready():
            crawler = process.create_crawler(name)
            crawlers.append(crawler)
            process.crawl(crawler).addBoth(ended, name, crawler)

    def ended(result, name: str, crawler):
        queue.finish(name)
        if crawler.stats.get_value("finish_reason") == "shutdown":  # Ctrl-C or SIGTERM: start nothing more
            cancelled.extend(queue.cancel())
        start_ready()
        return result

    start_ready()
    return crawlers, cancelled
