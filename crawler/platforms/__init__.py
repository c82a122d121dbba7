"""Spider base classes, one per publishing platform (CMS), by the name sites.csv gives them in its `platform` column.

A site on one of these platforms is a row of sites.csv (crawler/sites.py), not code."""

from __future__ import annotations

from crawler.platforms.base import AnnualReportSpider
from crawler.platforms.generic import GenericSpider
from crawler.platforms.gkmlpt import GkmlptSpider
from crawler.platforms.hanweb import HanwebColumnSpider, HanwebXxgkPortalSpider, HanwebXxgkSpider
from crawler.platforms.jsonlist import JsonListChannelSpider
from crawler.platforms.trs import TrsListSpider

PLATFORMS: dict[str, type[AnnualReportSpider]] = {
    base.platform: base
    for base in (
        HanwebColumnSpider,
        HanwebXxgkSpider,
        HanwebXxgkPortalSpider,
        GkmlptSpider,
        JsonListChannelSpider,
        TrsListSpider,
        # The fallback for a CMS none of the bases knows: a bounded crawl of 信息公开/年报-like links.
        GenericSpider,
    )
}
