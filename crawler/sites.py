"""The crawl targets as data: sites.csv, one row per site or portal, which a person edits and no code repeats.

Columns (a header row names them; order free):

    key         the spider's name: `python -m crawler crawl KEY`, `scrapy crawl KEY`, the `spider` column in the
                database. Letters, digits and _, starting with a letter; unique.
    platform    the CMS the site runs, one of crawler.platforms.PLATFORMS (hanweb_column, hanweb_xxgk, trs_list,
                jsonlist_channel, …): which spider base reads it.
    entry_urls  the pages the crawl starts from, http(s), separated by spaces. Their hosts are the only ones the
                spider fetches from (allowed_domains), with whatever the platform adds.
    agency      the publishing body; blank for a portal, whose reports name their own.
    region      where it sits, province to county (山东省淄博市): a facet in Datasette.
    level       省级, 市级, 区县级 or 乡镇级: a facet in Datasette.
    notes       anything a maintainer should know: what is unverified, what the site does oddly.

`SiteSpiderLoader` (the crawl's SPIDER_LOADER_CLASS) turns every row into a spider class at start, beside the
spiders of spiders/ (the exception a site must earn: code of its own). A bad row stops the crawl with one line
naming the file and the line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.spiderloader import SpiderLoader

from crawler.platforms import PLATFORMS
from crawler.platforms.base import AnnualReportSpider

COLUMNS = ("key", "platform", "entry_urls", "agency", "region", "level", "notes")
REQUIRED = ("key", "platform", "entry_urls")
LEVELS = ("省级", "市级", "区县级", "乡镇级")
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class SitesFileError(ValueError):
    """A sites file that cannot be read as written; the message is one line naming the file and the line."""


@dataclass(frozen=True)
class Site:
    key: str
    platform: str
    entry_urls: tuple[str, ...]
    agency: str = ""
    region: str = ""
    level: str = ""
    notes: str = ""

    @property
    def hosts(self) -> list[str]:
        """The entry URLs' hosts, each once, in order."""
        return list(dict.fromkeys(urlsplit(url).hostname for url in self.entry_urls))


def read_sites(path: str | Path) -> list[Site]:
    """Every row of the sites file at `path`, checked. Raises SitesFileError naming the file and line of the first
    problem: a missing column, an unknown platform, a URL that is not http(s), a key used twice, an unknown level."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            missing = [column for column in REQUIRED if column not in (reader.fieldnames or ())]
            if missing:
                raise SitesFileError(f"{path}:1: no column {', '.join(missing)} (columns: {', '.join(COLUMNS)})")
            unknown = [column for column in reader.fieldnames if column not in COLUMNS]
            if unknown:
                raise SitesFileError(f"{path}:1: unknown column {', '.join(unknown)} (columns: {', '.join(COLUMNS)})")
            sites: dict[str, Site] = {}
            for row in reader:
                line = reader.line_num
                if not any((value or "").strip() for value in row.values()):
                    continue
                site = _site(row, f"{path}:{line}")
                if site.key in sites:
                    raise SitesFileError(f"{path}:{line}: key {site.key!r} is used by an earlier row too")
                sites[site.key] = site
    except OSError as exc:
        raise SitesFileError(f"{path}: cannot read the sites file: {exc.strerror or exc}") from None
    except csv.Error as exc:
        raise SitesFileError(f"{path}: not a CSV file as expected: {exc}") from None
    return list(sites.values())


def _site(row: dict, where: str) -> Site:
    values = {column: (row.get(column) or "").strip() for column in COLUMNS}
    for column in REQUIRED:
        if not values[column]:
            raise SitesFileError(f"{where}: {column} is empty")
    if not _KEY.fullmatch(values["key"]):
        raise SitesFileError(f"{where}: key {values['key']!r} is not letters, digits and _ starting with a letter")
    if values["platform"] not in PLATFORMS:
        raise SitesFileError(
            f"{where}: unknown platform {values['platform']!r} (known: {', '.join(sorted(PLATFORMS))})"
        )
    if values["level"] and values["level"] not in LEVELS:
        raise SitesFileError(f"{where}: level {values['level']!r} is not one of {', '.join(LEVELS)}")
    urls = tuple(values["entry_urls"].split())
    for url in urls:
        try:
            parts = urlsplit(url)
            ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            ok = False
        if not ok:
            raise SitesFileError(f"{where}: entry URL {url!r} is not an http(s) URL with a host")
    return Site(values["key"], values["platform"], urls, values["agency"], values["region"], values["level"],
                values["notes"])


def spider_class(site: Site) -> type[AnnualReportSpider]:
    """The spider that crawls `site`: its platform's base with the row's values."""
    base = PLATFORMS[site.platform]
    attributes = {
        "name": site.key,
        "agency": site.agency,
        "region": site.region,
        "level": site.level,
        "allowed_domains": site.hosts,
        "entry_urls": list(site.entry_urls),
        "notes": site.notes,
        "__module__": __name__,
        "__doc__": f"{site.agency or site.key}: a {site.platform} site (a row of sites.csv). {site.notes}".strip(),
    }
    return type(f"{_camel(site.key)}Spider", (base,), attributes)


def _camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


class SiteSpiderLoader(SpiderLoader):
    """Scrapy's spider loader, plus a spider for every row of the SITES_FILE setting's file."""

    def __init__(self, settings):
        super().__init__(settings)
        for site in read_sites(settings.get("SITES_FILE")):
            if site.key in self._spiders:
                module = self._spiders[site.key].__module__
                raise SitesFileError(f"{settings.get('SITES_FILE')}: key {site.key!r} is also a spider in {module}")
            self._spiders[site.key] = spider_class(site)
