"""Spider base classes, one per publishing platform (CMS), by the name sites.csv gives them in its `platform` column.

A site on one of these platforms is a row of sites.csv (crawler/sites.py), not code."""

from __future__ import annotations

from crawler.platforms.base import AnnualReportSpider
from crawler.platforms.gkmlpt import GkmlptSpider
from crawler.platforms.hanweb import HanwebColumnSpider, HanwebXxgkSpider
from crawler.platforms.jsonlist import JsonListChannelSpider
from crawler.platforms.trs import TrsListSpider

PLATFORMS: dict[str, type[AnnualReportSpider]] = {
    base.platform: base for base in (HanwebColumnSpider, HanwebXxgkSpider, JsonListChannelSpider, TrsListSpider)
}
PLATFORMS[GkmlptSpider.platform] = GkmlptSpider

