"""Site identity and URL hygiene: registrable domains, same-site tests, normalisation for the crawl
frontier, and the ids that name a site and a scan in the store."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from publicsuffixlist import PublicSuffixList

ALLOWED_SCHEMES = ("http", "https")
# A calendar or faceted-search page links to endlessly many query variants; keeping a few parameters
# (sorted) keeps real pages apart while bounding the variants of one path.
MAX_QUERY_PARAMS = 3
MAX_QUERY_VARIANTS_PER_PATH = 5


class BadUrl(ValueError):
    """A URL privacyscan will not scan (scheme, syntax, missing host)."""


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@lru_cache(maxsize=8192)
def registrable_domain(host: str) -> str:
    """eTLD+1 of a host (`www.bbc.co.uk` -> `bbc.co.uk`); IP addresses and single labels are their own."""
    host = host.lower().strip(".")
    if not host or _is_ip(host) or "." not in host:
        return host
    return _psl().privatesuffix(host) or host


def same_site(host_a: str, host_b: str) -> bool:
    return registrable_domain(host_a) == registrable_domain(host_b)


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def parse_site_url(raw: str) -> str:
    """Validate a user-given start URL; a bare host gets https://. Raises BadUrl with a one-line reason."""
    raw = raw.strip()
    if not raw:
        raise BadUrl("empty URL")
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw) or re.match(r"^[^:/]+:\d+(/|$)", raw):
        raw = "https://" + raw
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BadUrl(f"unsupported URL scheme '{scheme}:' (only http and https can be scanned)")
    try:
        port = parts.port
    except ValueError as exc:
        raise BadUrl(f"invalid port in {raw!r}") from exc
    host = parts.hostname
    if not host:
        raise BadUrl(f"no host name in {raw!r}")
    if not re.fullmatch(r"[a-z0-9.\-_\[\]:]+", host) or ".." in host:
        raise BadUrl(f"invalid host name {host!r}")
    bracketed = f"[{host}]" if ":" in host else host
    netloc = bracketed if port is None else f"{bracketed}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def normalise(url: str) -> str | None:
    """The frontier key of a URL: no fragment, lower-case host, default port dropped, no trailing slash
    (except the root), at most MAX_QUERY_PARAMS query parameters in sorted order. None when not http(s)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname:
        return None
    host = parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:
        return None
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True))[:MAX_QUERY_PARAMS])
    return urlunsplit((parts.scheme, host, path, query, ""))


def site_id(url: str) -> str:
    """A readable, filesystem- and S3-safe id for a site: its host plus a short hash of the start URL."""
    host = host_of(url) or "site"
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return f"{re.sub(r'[^a-z0-9.-]', '-', host)}-{digest}"


def scan_id(site_url: str, started_at_iso: str) -> str:
    """Deterministic for one (site, start time): a retried message for the same scan writes the same keys."""
    stamp = re.sub(r"[^0-9TZ]", "", started_at_iso)[:15]
    digest = hashlib.sha256(f"{site_url}|{started_at_iso}".encode()).hexdigest()[:6]
    return f"{stamp}-{digest}"
