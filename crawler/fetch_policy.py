"""What the crawl may fetch: http(s) URLs on the hosts a spider names, nothing else.

A report page is someone else's HTML, and its links are not trusted: `file:///etc/passwd?b.pdf`, `javascript:…`,
`http://127.0.0.1:8001/…` or a host the spider never meant to visit must not be fetched, archived and published
as a report's attachment. Every request of the crawl — list and report pages, attachments, redirects — passes
`refusal()` (crawler.middlewares.FetchPolicyMiddleware), including those with `dont_filter=True`, which skip Scrapy's
own off-site check; the attachment pipeline asks first, so that a refused link becomes a recorded document failure
with its reason.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

FETCHED_SCHEMES = ("http", "https")
REFUSED_KIND = "refused"  # the failure kind of a link the policy refuses (crawler.items.Failure.kind)


class RefusedRequest(IgnoreRequest):
    """A request the fetch policy does not allow; the message is the reason."""


def spider_hosts(spider) -> tuple[str, ...]:
    """The domains `spider` may fetch from: its `allowed_domains` and the platform's `attachment_domains` (hosts
    that serve a site's files from elsewhere). A domain covers its subdomains, as in Scrapy's off-site check."""
    domains = [*(getattr(spider, "allowed_domains", None) or ()), *(getattr(spider, "attachment_domains", None) or ())]
    return tuple(domain.lower().strip(".") for domain in domains if domain)


def refusal(url: str, hosts: Iterable[str]) -> str | None:
    """Why the crawl must not fetch `url`, or None when it may: only http(s) URLs, without credentials, on one of
    `hosts` (or a subdomain of one); an IP address only when it is itself one of `hosts`."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().strip(".")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"malformed URL {url[:200]!r}: {exc}"
    if parts.scheme.lower() not in FETCHED_SCHEMES:
        return f"not an http(s) URL: {url[:200]!r}"
    if not host:
        return f"URL without a host: {url[:200]!r}"
    if parts.username is not None or parts.password is not None:
        return f"URL with credentials: {parts.scheme}://…@{host}"
    hosts = tuple(hosts)
    if _is_ip_address(host):
        return None if host in hosts else f"an IP address, not one of the spider's hosts: {host}"
    if not any(host == domain or host.endswith("." + domain) for domain in hosts):
        return f"host {host} is not one of the spider's hosts ({', '.join(hosts) or 'none'})"
    return None


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
