"""Which request parameters carry a visitor or client identifier.

The crawler calls `identifier_params` on every request it records, so a later check can tell a request
that merely loads a resource (it still sends the visitor's IP address) from one that ties the visit to a
persistent id. Two signals, either is enough:

- the parameter's name is one that vendors use for a client, user, click or device id (GA `cid`, Meta
  `fbp`/`fbc`/`ud[em]`, `uid`, `vid`, `gclid` ...), and its value is not empty;
- its value looks like an id regardless of the name: a UUID, a GA client id (`123.456`), a Meta
  browser id (`fb.1.<ms>.<n>`), or a long random token mixing letters and digits.

Decoys it must leave alone: versions and switches (`v=2`, `lang=nb`, `page=3`), the site's own account
or property ids (`tid=G-XXXX`, Meta's pixel `id`, a Maps API `key`, a reCAPTCHA `render` site key),
cache busters and timestamps (`_=1700000000000`, `z=...`), and URLs (`dl`, `dr`, `url`).
"""

from __future__ import annotations

import contextlib
import json
import re
from urllib.parse import parse_qsl, urlsplit

# Names vendors use for an id of the visitor, their browser, session or the ad click that brought them.
# Compared case-insensitively after stripping any `[...]` suffix (Meta's advanced matching `ud[em]`).
# fmt: off
IDENTIFIER_NAMES = frozenset(
    {
        # Google Analytics / Ads / DoubleClick
        "cid", "_gid", "gid", "_ga", "sid", "uid", "_u", "gclid", "dclid", "gbraid", "wbraid", "gclaw",
        # Meta pixel: browser id, click id, hashed user data
        "fbp", "_fbp", "fbc", "_fbc", "fbclid", "ud", "external_id",
        # generic client / user / visitor / device ids
        "user_id", "userid", "client_id", "clientid", "visitor_id", "visitorid", "vid", "_vid",
        "device_id", "deviceid", "anonymous_id", "anonymousid", "ajs_anonymous_id", "ajs_user_id",
        "distinct_id", "session_id", "sessionid", "guid", "uuid", "cuid", "puid", "tuid", "bid",
        # Matomo / Piwik PRO
        "_id", "_pk_id", "pk_vid", "_cvar",
        # HubSpot, LinkedIn, TikTok, Microsoft, Yandex, X/Twitter, Pinterest, Snap, Adform, Criteo
        "hutk", "hubspotutk", "li_fat_id", "ttp", "_ttp", "ttclid", "msclkid", "mid", "_uetsid",
        "_uetvid", "yclid", "_ym_uid", "ymclid", "twclid", "epik", "sccid", "uid2", "euid", "cto_bundle",
        "em", "ph", "hashed_email", "email_hash",
    }
)

# Names that hold the site's own account/property/pixel ids, versions, switches, cache busters or URLs:
# a long value here is not the visitor's id.
NOT_IDENTIFIER_NAMES = frozenset(
    {
        "v", "ver", "version", "sv", "tid", "id", "pid", "partner_id", "pixel_id", "pixelid", "sdkid",
        "key", "api_key", "apikey", "k", "render", "sitekey", "site_key", "client", "gtm", "gcs", "gcd",
        "lang", "hl", "locale", "page", "p", "dl", "dr", "dt", "dp", "url", "ref", "referrer", "href",
        "location", "uri", "r", "rnd", "random", "z", "_", "_z", "_s", "cb", "cachebuster", "t", "ts",
        "timestamp", "_t", "_r", "_p", "_et", "en", "ev", "ec", "ea", "el", "family", "display", "text",
        "callback", "jsonp", "format", "integrity", "hash", "nonce", "ctx", "sr", "vp", "ul", "de", "tz",
        "frm", "gtm_auth", "gtm_preview", "l", "cd", "it", "coo", "noscript", "origin", "co", "cx",
    }
)
# fmt: on

_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)
_GA_CLIENT_ID = re.compile(r"^(GA\d\.\d\.)?\d{6,12}\.\d{9,10}$")
_META_BROWSER_ID = re.compile(r"^fb\.\d\.\d{10,13}\.[\w-]+$")
_TOKEN = re.compile(r"^[A-Za-z0-9._~+/=-]{16,}$")
# Post bodies are read only this far: a beacon's ids come first and session-replay bodies are huge.
_MAX_BODY_CHARS = 65_536


def identifier_params(url: str, post_data: str | None) -> list[str]:
    """Names (as sent, in order, without repeats) of query or body parameters that carry a visitor id.

    Never raises: a body that is neither a query string nor JSON is ignored."""
    names: list[str] = []
    for name, value in _parameters(url, post_data):
        if name not in names and _carries_identifier(name, value):
            names.append(name)
    return names


def _parameters(url: str, post_data: str | None) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    with contextlib.suppress(ValueError):
        pairs.extend(parse_qsl(urlsplit(url).query, keep_blank_values=False))
    if post_data:
        body = post_data[:_MAX_BODY_CHARS].strip()
        if body[:1] in "[{":
            with contextlib.suppress(ValueError):
                pairs.extend(_json_pairs(json.loads(body)))
        else:
            # GA4 batches several hits as one query string per line.
            for line in body.splitlines():
                if "=" in line:
                    try:
                        pairs.extend(parse_qsl(line, keep_blank_values=False))
                    except ValueError:
                        continue
    return pairs


def _json_pairs(value: object, depth: int = 0) -> list[tuple[str, str]]:
    """Leaf key/value pairs of a JSON body, a few levels deep (Segment's `anonymousId`, `user_data.em`)."""
    if depth > 3:
        return []
    pairs: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list):
                pairs.extend(_json_pairs(item, depth + 1))
            elif item is not None:
                pairs.append((str(key), str(item)))
    elif isinstance(value, list):
        for item in value[:20]:
            pairs.extend(_json_pairs(item, depth + 1))
    return pairs


def _carries_identifier(name: str, value: str) -> bool:
    value = value.strip()
    if not value or value.lower() in {"undefined", "null", "none", "0", "false", "true"}:
        return False
    base = name.split("[", 1)[0].lower()
    if base in IDENTIFIER_NAMES:
        return True
    if base in NOT_IDENTIFIER_NAMES:
        return False
    return looks_like_identifier(value)


def looks_like_identifier(value: str) -> bool:
    """True for values shaped like a visitor id: a UUID, a GA client id, a Meta browser id, or a long
    random token with letters and digits. Plain numbers (timestamps, cache busters), words and URLs are not."""
    if _UUID.match(value) or _GA_CLIENT_ID.match(value) or _META_BROWSER_ID.match(value):
        return True
    if not _TOKEN.match(value) or "://" in value or value.count("/") > 1:
        return False
    letters = sum(c.isalpha() for c in value)
    digits = sum(c.isdigit() for c in value)
    if letters < 4 or digits < 4:
        return False
    # Words joined by dashes (a slug like `summer-sale-2024-campaign`) are not random.
    is_slug = re.fullmatch(r"[a-z]+([-_.][a-z0-9]+)+", value) is not None
    return not is_slug or re.search(r"[a-z]\d|\d[a-z]", value.lower()) is not None
