"""Judging what a server sent back for an attachment link: its real filename, and whether it is a document at all;
and naming what went wrong when a download raised instead of answering."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
)
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from crawler.extract.kinds import is_html
from crawler.fetch_policy import REFUSED_KIND, RefusedRequest
from crawler.items import Capture, Failure
from crawler.text import decode_chinese

# Request.meta key marking an attachment download (made by the pipelines, not the spider): page failures are
# counted by crawler.middlewares.PageFailureMiddleware, attachment failures on the item.
ATTACHMENT_META = "archive_attachment"
# Scrapy ≥ 2.13 raises its own exception types; older code paths (and Playwright's) still raise Twisted's.
# Playwright's own TimeoutError: a browser-rendered page that never showed what the spider waits for.
_TIMEOUTS = (DownloadTimeoutError, TimeoutError, TCPTimedOutError, PlaywrightTimeoutError)
_TIMEOUT_SECONDS = re.compile(r"(?:longer than|Timeout) ([\d.]+) ?(seconds|ms)")
_UNREACHABLE = (CannotResolveHostError, DownloadConnectionRefusedError, DNSLookupError, ConnectionRefusedError)

_FILENAME_STAR = re.compile(r"filename\*\s*=\s*([\w-]*)'[^']*'([^;]+)", re.IGNORECASE)
_FILENAME = re.compile(r'filename\s*=\s*(?:"([^"]*)"|([^;]+))', re.IGNORECASE)

# Markers of anti-bot interstitials (field guide §8): 瑞数 `$_ts`, 加速乐 `__jsl_clearance`, Aliyun `acw_sc__v2`.
_CHALLENGE_MARKERS = ("$_ts", "__jsl_clearance", "acw_sc__v2", "Just a moment", "请稍候", "安全验证", "访问异常")
_CHALLENGE_STATUSES = {412, 521}


def filename_from_content_disposition(value: str | None) -> str | None:
    """The filename a Content-Disposition header names, decoded however the server encoded it.

    `value` is the header as received, decoded as latin-1 (so each character is one original byte).
    Handles RFC 5987 `filename*=UTF-8''…`, percent-encoded UTF-8, and the raw GBK bytes Chinese servers send.
    """
    if not value:
        return None
    star = _FILENAME_STAR.search(value)
    if star:
        return unquote(star.group(2).strip().strip('"'), encoding=star.group(1) or "utf-8", errors="replace")
    plain = _FILENAME.search(value)
    if not plain:
        return None
    raw = (plain.group(1) if plain.group(1) is not None else plain.group(2)).strip()
    raw_bytes = raw.encode("latin-1", errors="replace")
    if re.search(rb"%[0-9A-Fa-f]{2}", raw_bytes):
        raw_bytes = unquote_to_bytes(raw_bytes)
    return (decode_chinese(raw_bytes) or raw_bytes.decode("latin-1")) or None


def safe_filename(name: str | None) -> str | None:
    """`name` reduced to a plain file name: no directories, no `..`, no control characters.

    Servers are not trusted: a name like `../../etc/passwd` or `C:\\x\\report.pdf` must never become a path.
    """
    if not name:
        return None
    name = PureWindowsPath(PurePosixPath(name).name).name  # last component under either separator
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return name[:200] or None


def attachment_filename(capture: Capture, link_text: str) -> str | None:
    """The document's human name: Content-Disposition, else the link text when it looks like a file name,
    else the URL's last path segment."""
    for candidate in (
        filename_from_content_disposition(capture.header("Content-Disposition")),
        link_text if re.search(r"\.\w{2,5}$", link_text.strip()) else None,
        unquote(PurePosixPath(urlsplit(capture.url).path).name),
    ):
        name = safe_filename(candidate)
        if name:
            return name
    return None


def challenge_reason(capture: Capture) -> str | None:
    """Why this response looks like an anti-bot challenge page rather than content, or None."""
    text = capture.body[:20000].decode("utf-8", errors="replace")
    marker = next((m for m in _CHALLENGE_MARKERS if m in text), None)
    if capture.status in _CHALLENGE_STATUSES and (marker or len(capture.body) < 20000):
        return f"HTTP {capture.status} challenge page" + (f" ({marker})" if marker else "")
    if marker and len(capture.body) < 5000 and "document.cookie" in text:
        return f"challenge script setting a cookie ({marker})"
    return None


def attachment_failure(capture: Capture) -> Failure | None:
    """Why this response to an attachment link is not the document, or None when it plausibly is."""
    reason = challenge_reason(capture)
    if reason:
        return Failure("waf_challenge", reason)
    if 300 <= capture.status < 400 and capture.header("Location"):
        # Scrapy follows http(s) redirects; one it hands back points elsewhere (file://, javascript:, …).
        return Failure(REFUSED_KIND, f"redirected to a URL the crawl does not fetch: {capture.header('Location')[:200]!r}")
    if capture.status != 200:
        return Failure(f"http_{capture.status}", f"HTTP {capture.status} for {capture.url}")
    if not capture.body:
        return Failure("empty", f"empty body for {capture.url}")
    if is_html(capture.body):
        return Failure("not_a_document", f"an HTML page was served where a document was linked: {capture.url}")
    return None


def failure_from_exception(exc: Exception, url: str) -> Failure:
    """A download that raised instead of answering, as a recorded failure kind."""
    if isinstance(exc, _TIMEOUTS):
        # "Getting … took longer than 5.0 seconds." / "Timeout 30000ms exceeded.": how long it was given.
        limit = _TIMEOUT_SECONDS.search(str(exc))
        if limit is None:
            return Failure("timeout", f"no answer in time from {url}")
        seconds = float(limit[1]) / (1000 if limit[2] == "ms" else 1)
        return Failure("timeout", f"no answer within {seconds:g} s from {url}")
    if isinstance(exc, IgnoreRequest):
        if isinstance(exc, RefusedRequest):  # crawler.middlewares.FetchPolicyMiddleware
            return Failure(REFUSED_KIND, f"refused to fetch it: {exc}")
        if "max redirections" in str(exc):  # RedirectMiddleware: REDIRECT_MAX_TIMES redirects and still no answer
            return Failure("too_many_redirects", f"{url}: redirected too many times ({exc})")
        if "robots.txt" in str(exc):  # Scrapy's RobotsTxtMiddleware: "Forbidden by robots.txt"
            return Failure("robots_forbidden", f"{url}: the site's robots.txt disallows it")
        return Failure("not_fetched", f"{url}: {exc or 'request ignored by a downloader rule'}")
    if isinstance(exc, DownloadCancelledError) and "max size" in str(exc):  # DOWNLOAD_MAXSIZE
        return Failure("too_large", f"{url}: larger than the crawl downloads ({exc})")
    if isinstance(exc, _UNREACHABLE):
        return Failure("unreachable", f"{url}: {exc}")
    if isinstance(exc, NotSupported):  # a scheme with no download handler (crawler/settings.py turns most off)
        return Failure(REFUSED_KIND, f"refused to fetch it: {exc}")
    if isinstance(exc, ValueError):  # Scrapy could not make a request of the link at all
        return Failure("bad_link", f"not a URL that can be fetched: {url[:200]!r} ({exc})")
    return Failure("network_error", f"{url}: {type(exc).__name__}: {exc}")
