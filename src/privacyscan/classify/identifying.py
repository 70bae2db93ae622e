"""Whether a vendor or a cookie identifies the visitor, judged by what it did, not by its catalogue category.

The catalogue's category says *why* a vendor receives data; it does not say whether the visitor was
identified. What does: an identifier stored on the device (a cookie or storage key) or sent in a request
(a cookie sent back, an id-like request parameter, see `identifiers.py`), its reach across sites (a third
party) and its lifetime.

- Analytics whose vendor documents a cookieless design (Plausible, Fathom ...) counts as tracking only
  with such behaviour; a self-hosted counter is first party and never a recipient. Other analytics counts
  by its category (an identifier kept server-side is invisible to a browser).
- Advertising, social and session-recording vendors count by their purpose alone.
- Every other vendor (a video embed, a customer-data platform filed as a tag manager, an unknown third
  party) counts when it sets or receives identifiers; consent platforms and strictly necessary site
  cookies never do.
- A first-party cookie no catalogue names, with a multi-month lifetime and an id-shaped value, is an unknown
  visitor identifier (`unknown_visitor_ids`): reported with medium confidence and its value's shape only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import CookieRecord, PhaseEvidence, RequestRecord, StorageItem
from .identifiers import looks_like_identifier
from .model import TRACKING_CATEGORIES, Category, CookieLabel

# Their purpose is profiling or recording the person: no identifier needs to be seen.
TRACKING_BY_PURPOSE = frozenset({Category.advertising, Category.social, Category.session_replay})
# Never tracking, whatever they set: the consent record itself and the site's own machinery.
NEVER_TRACKING = frozenset({Category.consent_management, Category.essential})
# A first-party cookie lasting at least this long, with an id-like value and no known owner, is an
# unknown visitor identifier ("multi-month": session ids and short-lived load-balancer cookies stay out).
UNKNOWN_ID_MIN_DAYS = 180.0


def _category(value: Category | str) -> Category:
    try:
        return Category(value)
    except ValueError:
        return Category.unknown


def needs_behaviour(category: Category | str, sets_no_identifiers: bool = False) -> bool:
    """True when a recipient counts as a tracker only if it was seen setting or receiving identifiers.

    Analytics counts without that unless its vendor documents that it sets and sends none (Plausible,
    Fathom ...): a request whose identifier privacyscan cannot see (a server-side id, the IP address kept)
    is not proof of its absence, but a vendor's documented cookieless design plus no identifier observed is.
    Other watched categories (video, tag managers, unknown third parties) always need the behaviour."""
    category = _category(category)
    if category in TRACKING_BY_PURPOSE:
        return False
    if category in TRACKING_CATEGORIES:
        return sets_no_identifiers
    return True


def watched_category(category: Category | str) -> bool:
    """Vendors outside the tracking categories that may still track by behaviour."""
    category = _category(category)
    return category not in TRACKING_CATEGORIES and category not in NEVER_TRACKING


def identifying_by_behaviour(requests: Iterable[RequestRecord], cookies: Iterable[CookieRecord],
                             storage: Iterable[StorageItem], cookies_sent: Iterable[str]) -> bool:
    """A recipient identifies the visitor when it stored something on the device (a cookie or storage key
    attributed to it), got a cookie back, or received an id-like request parameter."""
    return (
        any(True for _ in cookies)
        or any(True for _ in storage)
        or any(True for _ in cookies_sent)
        or any(r.identifier_params for r in requests)
    )


def value_shape(value: str) -> str:
    """What a value looks like, never the value: 'uuid', 'hex(32)', 'token(27, letters+digits)' ..."""
    value = value.strip()
    if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value, re.I):
        return "UUID"
    if re.fullmatch(r"[0-9a-f]+", value, re.I):
        return f"hexadecimal, {len(value)} characters"
    if re.fullmatch(r"\d+(\.\d+)+", value):
        return f"dotted numbers, {len(value)} characters"
    kinds = [name for name, pattern in (("letters", r"[A-Za-z]"), ("digits", r"\d"), ("symbols", r"[^A-Za-z0-9]"))
             if re.search(pattern, value)]
    return f"random-looking token, {len(value)} characters ({'+'.join(kinds)})"


@dataclass(frozen=True)
class UnknownVisitorId:
    """A first-party cookie that behaves like a visitor id although no catalogue names it."""

    cookie: CookieRecord
    shape: str
    sent_to: tuple[str, ...]


def unknown_visitor_ids(phase: PhaseEvidence, labels: Iterable[CookieLabel]) -> list[UnknownVisitorId]:
    """First-party cookies of the phase with no known owner, a lifetime of at least `UNKNOWN_ID_MIN_DAYS`
    and an id-shaped value; with the hosts each was sent to."""
    unowned = {(label.name, label.domain) for label in labels if label.party.value == "first" and not label.service}
    out = []
    for cookie in phase.cookies:
        if (cookie.name, cookie.domain) not in unowned or not cookie.stored:
            continue
        if cookie.lifetime_days is None or cookie.lifetime_days < UNKNOWN_ID_MIN_DAYS:
            continue
        if not looks_like_identifier(cookie.value):
            continue
        sent_to = tuple(sorted({r.host for r in phase.requests if cookie.name in r.cookies_sent}))
        out.append(UnknownVisitorId(cookie, value_shape(cookie.value), sent_to))
    return out
