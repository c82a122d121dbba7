"""A spider for the hostile publisher of tests/hostile_web.py, loaded by the test crawl with
`-s SPIDER_MODULES=tests.hostile_spiders`: a production platform base with the hostile site's URL, nothing more."""

from crawler.platforms.trs import TrsListSpider
from tests.hostile_web import HOST, LIST_URL


class HostileSpider(TrsListSpider):
    name = "hostile"
    agency = "恶意市某局"
    region = "测试省恶意市"
    level = "市级"
    allowed_domains = [HOST]
    entry_urls = [LIST_URL]
