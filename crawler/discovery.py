"""Discovery: from a portal's homepage to the sites.csv rows that crawl its annual reports.

`python -m crawler discover URL…`: each homepage is fetched, its CMS recognised by fingerprints (field guide
§1–§4: link shapes, scripts, classes its templates print), and its annual-report entry points found among its
links (menu texts and path slugs of §7, scored as the generic crawl scores them), on the homepage or, when it has
none, one level down its 信息公开 links. A CMS with a platform base gets that base's row for the entry link that
has the base's entry shape; anything else gets a `generic` row starting at the best 信息公开 link (or the
homepage). Every decision carries its reason: which fingerprint, which link.

Fetching is plain HTTP (requests), one page at a time with a timeout: discovery reads a handful of pages a person
names, so Scrapy's scheduler and reactor would add nothing; the pages become Scrapy responses, so links and
encodings are read exactly as the crawl reads them. Certificates are not verified, as in the crawl (Scrapy
verifies none either: many government hosts serve broken chains, field guide §8).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse

from crawler.fetch_policy import refusal
from crawler.platforms import PLATFORMS
from crawler.platforms.base import link_title
from crawler.platforms.generic import DISCLOSURE_SECTION, NEXT_PAGE, REPORT, REPORT_COLUMN, link_score
from crawler.sites import Site


@dataclass(frozen=True)
class Fingerprint:
    cms: str  # the CMS family it shows
    pattern: re.Pattern
    says: str  # what the match is, for the reason printed


def _fingerprint(cms: str, pattern: str, says: str) -> Fingerprint:
    return Fingerprint(cms, re.compile(pattern), says)


FINGERPRINTS = (
    _fingerprint("hanweb", r"/col/col\d+/index\.html", "Hanweb column links /col/col<id>/index.html"),
    _fingerprint("hanweb", r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", "Hanweb article links /art/…/art_<col>_<id>.html"),
    _fingerprint("hanweb", r"/module/(?:web/)?jpage/|dataproxy\.jsp", "Hanweb jpage list component"),
    _fingerprint("hanweb", r"/module/xxgk/", "Hanweb 信息公开 module /module/xxgk/"),
    _fingerprint("trs", r"createPageHTML\(", "TRS createPageHTML pager"),
    _fingerprint("trs", r"/t\d{8}_\d+\.s?html", "TRS detail links t<yyyymmdd>_<id>.html"),
    _fingerprint("trs", r"TRS_Editor|trs_editor_view", "TRS editor body"),
    _fingerprint("jsonlist", r"/channel_[0-9a-f]{24}/", "JS-list channel pages /channel_<24 hex>/"),
    _fingerprint("jsonlist", r"/doc_[0-9a-f]{24}\.html", "JS-list documents doc_<24 hex>.html"),
    _fingerprint("gkmlpt", r"/gkmlpt/", "Guangdong gkmlpt directory /gkmlpt/"),
    _fingerprint("vsb", r"/system/_content/|vsb_content|/info/\d+/\d+\.htm", "博达 VSB /info/<tree>/<id>.htm, vsb_content"),
    _fingerprint("empirecms", r"/e/action/(?:ShowInfo|ListInfo)", "EmpireCMS (帝国CMS) /e/action/ShowInfo.php, ListInfo"),
)
# The platform bases that read each CMS, and the shape of the page each base starts from (its entry URL).
CMS_PLATFORMS = {
    "hanweb": ("hanweb_column", "hanweb_xxgk"),
    "trs": ("trs_list",),
    "jsonlist": ("jsonlist_channel",),
    "gkmlpt": ("gkmlpt",),
}
ENTRY_SHAPES = {
    "hanweb_column": re.compile(r"/col/col\d+/index\.html$"),
    "hanweb_xxgk": re.compile(r"/module/xxgk/search\.jsp\?.*\barea="),
    "trs_list": re.compile(r"/[\w-]+/(?:index\.s?html?)?$"),
    "jsonlist_channel": re.compile(r"/channel_[0-9a-f]{24}/(?:index\.html)?$"),
    "gkmlpt": re.compile(r"/gkmlpt/index"),
}
# Platforms whose entry is one agency's directory: every such link is a row of its own, named by its text.
PER_AGENCY_PLATFORMS = ("hanweb_xxgk",)
# How many 信息公开 pages are read, one level down, when the homepage links no entry point.
SECOND_LEVEL_PAGES = 3
_LEVELS = (("街道", "乡镇级"), ("镇", "乡镇级"), ("乡", "乡镇级"), ("县", "区县级"), ("区", "区县级"), ("市", "市级"),
           ("省", "省级"), ("自治区", "省级"))
_TITLE_SUFFIX = re.compile(r"\s*[-_|].*$")


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    score: int
    on: str  # the page it was found on


@dataclass
class Proposal:
    """One row discovery would add, and why."""

    homepage: str
    platform: str
    entry_url: str
    agency: str
    reasons: list[str] = field(default_factory=list)


def cms_evidence(html: str) -> dict[str, list[str]]:
    """The CMS families the page's markup shows, each with what showed it (fingerprint and first match)."""
    evidence: dict[str, list[str]] = {}
    for fingerprint in FINGERPRINTS:
        match = fingerprint.pattern.search(html)
        if match:
            evidence.setdefault(fingerprint.cms, []).append(f"{fingerprint.says} (e.g. {match.group(0)!r})")
    return evidence


def scored_links(response: HtmlResponse) -> list[Link]:
    """The page's links to its own host with a generic link score > 0, in page order, each URL once."""
    host = urlsplit(response.url).hostname or ""
    links: dict[str, Link] = {}
    for anchor in response.css("a[href]"):
        href = anchor.attrib["href"].strip()
        if href.startswith(("javascript:", "mailto:", "#")):
            continue
        try:
            url = response.urljoin(href).split("#", 1)[0]
        except ValueError:
            continue
        text = re.sub(r"\s+", "", link_title(anchor))
        score = link_score(text, href)
        if score and refusal(url, [host]) is None:
            links.setdefault(url, Link(url, text, score, response.url))
    return list(links.values())


def entry_links(platform: str, links: list[Link]) -> list[Link]:
    """The links with `platform`'s entry shape, best score first (page order among equals)."""
    shape = ENTRY_SHAPES.get(platform)
    matching = [link for link in links if shape and shape.search(link.url)]
    return sorted(matching, key=lambda link: -link.score)


def level_of(agency: str) -> str:
    """The administrative level an agency's name implies: its last place word (淄博市张店区… → 区县级)."""
    last = max(((agency.rfind(word), level) for word, level in _LEVELS if word in agency), default=(-1, ""))
    return last[1]


def site_name(response: HtmlResponse) -> str:
    """The site's name: its SiteName meta, else its <title> up to the first separator."""
    name = response.css('meta[name="SiteName"]::attr(content)').get("").strip()
    return name or _TITLE_SUFFIX.sub("", response.css("title::text").get("").strip())


Fetch = Callable[[str], HtmlResponse]


def discover(homepage: str, fetch: Fetch) -> list[Proposal]:
    """The rows that would crawl the annual reports of the portal at `homepage`. `fetch` gets a page (raising
    OSError-like exceptions for a page it cannot get)."""
    response = fetch(homepage)
    evidence = cms_evidence(response.text)
    reasons = [f"{cms}: {'; '.join(found)}" for cms, found in evidence.items()] or ["no CMS fingerprint matched"]
    platforms = [platform for cms in evidence for platform in CMS_PLATFORMS.get(cms, ()) if platform in PLATFORMS]
    links = scored_links(response)
    best = max((link.score for platform in platforms for link in entry_links(platform, links)), default=0)
    if best < REPORT_COLUMN:  # no 年报 entry on the homepage: look one level down its 信息公开 links
        links += _second_level(links, fetch, reasons)
    # The best entry over all recognised platforms: the highest score, then a homepage link before a deeper one.
    candidates = sorted(((link, platform) for platform in platforms for link in entry_links(platform, links)),
                        key=lambda candidate: (-candidate[0].score, candidate[0].on != response.url))
    for platform in platforms:
        if not entry_links(platform, links):
            reasons.append(f"{platform}: no link of its entry shape {ENTRY_SHAPES[platform].pattern}")
    if candidates:
        best, platform = candidates[0]
        if platform in PER_AGENCY_PLATFORMS:  # every agency directory beside the best: a row each, by its name
            return [Proposal(homepage, platform, link.url, link.text, [*reasons, _entry_reason(link, platform)])
                    for link, other in candidates if other == platform and link.on == best.on]
        return [Proposal(homepage, platform, best.url, site_name(response), [*reasons, _entry_reason(best, platform)])]
    unknown = [cms for cms in evidence if not any(p in PLATFORMS for p in CMS_PLATFORMS.get(cms, ()))]
    if unknown:
        reasons.append(f"no platform base reads {', '.join(unknown)}")
    sections = [link for link in links if link.on == response.url and link.score == DISCLOSURE_SECTION]
    if sections:
        entry, why = sections[0].url, f"entry: the first 信息公开 link {sections[0].text!r} on the homepage"
    else:
        entry, why = homepage, "entry: the homepage (it links no 信息公开 section)"
    return [Proposal(homepage, "generic", entry, site_name(response), [*reasons, f"platform generic: {why}"])]


def _entry_reason(link: Link, platform: str) -> str:
    kind = {REPORT: "a report's", REPORT_COLUMN: "a 年报 column's", NEXT_PAGE: "a list page's",
            DISCLOSURE_SECTION: "a 信息公开"}[link.score]
    return f"platform {platform}: entry: {kind} link {link.text!r} of its entry shape, on {link.on}"


def _second_level(links: list[Link], fetch: Fetch, reasons: list[str]) -> list[Link]:
    """The scored links of the homepage's first few 信息公开 pages (one level down)."""
    found = []
    for link in [link for link in links if link.score >= DISCLOSURE_SECTION][:SECOND_LEVEL_PAGES]:
        try:
            found += scored_links(fetch(link.url))
        except Exception as exc:  # noqa: BLE001 - any failure of one page is a reason, not the end
            reasons.append(f"could not read {link.url}: {exc}")
    return found


def row_key(homepage: str, taken: set[str]) -> str:
    """A key from the host's distinctive labels (kjj.zibo.gov.cn → kjj_zibo), made unique among `taken`."""
    labels = [label for label in (urlsplit(homepage).hostname or "").split(".")
              if label not in ("www", "gov", "cn", "com", "org", "net")]
    base = re.sub(r"\W", "_", "_".join(labels) or "site")
    base = base if base[0].isalpha() else f"site_{base}"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def proposed_site(proposal: Proposal, taken: set[str]) -> Site:
    notes = f"discovered from {proposal.homepage}: " + "; ".join(proposal.reasons) + ". UNVERIFIED: region to fill in"
    return Site(row_key(proposal.homepage, taken), proposal.platform, (proposal.entry_url,), proposal.agency, "",
                level_of(proposal.agency), notes)
