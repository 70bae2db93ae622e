"""Site identity and URL hygiene: registrable domains, same-site tests, normalisation for the crawl
frontier, and the ids that name a site and a scan in the store."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime
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
    """Validate a user-given start URL; a bare host gets https://. Raises BadUrl with a one-line reason.

    An internationalised host (`www.blåbær.no`) is converted to its ASCII (punycode) form, which is what
    the browser, DNS and the store use; `display_host` turns it back for people."""
    raw = raw.strip()
    if not raw:
        raise BadUrl("empty URL")
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw) or re.match(r"^[^:/]+:\d+(/|$)", raw):
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
    except ValueError as exc:  # "Invalid IPv6 URL", a bracketed host that is not an address ...
        raise BadUrl(f"malformed URL {raw!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BadUrl(f"unsupported URL scheme '{scheme}:' (only http and https can be scanned)")
    try:
        port = parts.port
    except ValueError:
        raise BadUrl(f"invalid port in {raw!r}") from None
    host = parts.hostname
    if not host:
        raise BadUrl(f"no host name in {raw!r}")
    if "[" in parts.netloc and not re.fullmatch(r"([^@/]*@)?\[[^\[\]]+\](:\d*)?", parts.netloc):
        raise BadUrl(f"malformed IPv6 literal in {raw!r}")
    host = _ipv6_literal(host, raw) if "[" in parts.netloc or ":" in host else ascii_host(host)
    bracketed = f"[{host}]" if ":" in host else host
    netloc = bracketed if port is None else f"{bracketed}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


MAX_HOST_LENGTH = 253  # RFC 1035: a name of at most 253 characters in dotted form, labels of at most 63
MAX_LABEL_LENGTH = 63


def _ipv6_literal(host: str, raw: str) -> str:
    import ipaddress

    try:
        return str(ipaddress.IPv6Address(host))
    except ValueError:
        raise BadUrl(f"invalid IPv6 address [{host}] in {raw!r}") from None


def ascii_host(host: str) -> str:
    """The host name as DNS and the browser use it: lower case, internationalised labels in punycode
    (IDNA 2008 with the UTS 46 mapping, as browsers do). Raises BadUrl with a one-line reason."""
    host = host.lower()
    if not host.isascii():
        import idna

        try:
            host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise BadUrl(f"invalid host name {host!r}: {exc}") from None
    if not re.fullmatch(r"[a-z0-9.\-_]+", host) or ".." in host or host.startswith("."):
        raise BadUrl(f"invalid host name {host!r}")
    if any(label.startswith("xn--") for label in host.split(".")):
        import idna

        try:  # a punycode label must decode, or no browser would resolve it either
            idna.decode(host, uts46=True)
        except (idna.IDNAError, UnicodeError) as exc:
            raise BadUrl(f"invalid host name {host!r}: {exc}") from None
    if len(host.rstrip(".")) > MAX_HOST_LENGTH:
        raise BadUrl(f"host name longer than {MAX_HOST_LENGTH} characters")
    if any(len(label) > MAX_LABEL_LENGTH for label in host.split(".")):
        raise BadUrl(f"a label of host name {host[:80]!r}... is longer than {MAX_LABEL_LENGTH} characters")
    return host


def display_host(host: str) -> str:
    """A host as people read it: punycode labels (`xn--...`) shown in Unicode (`www.blåbær.no`)."""
    if "xn--" not in host.lower():
        return host
    import idna

    try:
        return idna.decode(host)
    except (idna.IDNAError, UnicodeError):
        return host  # not valid punycode: show what the site used


def display_url(url: str) -> str:
    """`url` with its host shown in Unicode (for reports; the stored URL stays ASCII)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = parts.hostname or ""
    shown = display_host(host)
    if shown == host:
        return url
    return urlunsplit((parts.scheme, parts.netloc.replace(host, shown, 1), parts.path, parts.query, parts.fragment))


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


MAX_SITE_ID_PREFIX = 80  # a site id stays under ~90 characters: file names, S3 keys and paths stay short


def site_id(url: str) -> str:
    """A readable, filesystem- and S3-safe id for a site: its host (cut to MAX_SITE_ID_PREFIX characters)
    plus a short hash of the start URL. Deterministic, so every scan of a site lands in one folder; a
    253-character host name or a very long URL still gives an id of at most 89 characters."""
    host = host_of(url) or "site"
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    prefix = re.sub(r"[^a-z0-9.-]", "-", host)[:MAX_SITE_ID_PREFIX].rstrip(".-") or "site"
    return f"{prefix}-{digest}"


def scan_id(site_url: str, started_at: datetime | str, slot: datetime | None = None) -> str:
    """The id of one scan of a site, safe as a file name and an S3 key part.

    A scheduled scan (`slot` set: the time the schedule fired) gets `sched-<slot as UTC>`: every delivery
    of that schedule firing names the same scan, so a redelivered message finds the report and stops.
    Any other scan is unique: its start time to the second (UTC, so ids sort by time) plus a random
    suffix, so two scans of one site in the same second never collide. `started_at` may still be given
    as an ISO string (older callers)."""
    if slot is not None:
        return f"sched-{_utc_stamp(slot)}"
    if isinstance(started_at, str):
        started_at = datetime.fromisoformat(started_at)
    return f"{_utc_stamp(started_at)}-{secrets.token_hex(5)}"


def _utc_stamp(moment: datetime) -> str:
    if moment.tzinfo is None:  # a naive time is taken as UTC, as the scheduler sends it
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
