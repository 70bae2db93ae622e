"""Which requests, cookies and storage keys of a phase went to trackers, grouped by recipient: read from the
shared classification (`privacyscan.classify`), never from a list of our own. Used by the consent rules and
the per-phase consent comparison.

Behaviour decides, the category explains (`classify.identifying`): a measurement-only vendor (analytics) that
set and sent no identifier (cookieless Plausible) is not tracking; a vendor of any other category (a video
embed, a customer-data platform filed as a tag manager, an unknown third party) that sets or sends identifiers
is. Advertising, social and session-recording vendors count by their purpose alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..classify.identifying import identifying_by_behaviour, needs_behaviour, watched_category
from ..classify.model import TRACKING_CATEGORIES, Category, Classification
from ..models import (
    CookieRecord,
    EvidenceItem,
    Phase,
    PhaseEvidence,
    RequestRecord,
    StorageItem,
    Wording,
    WordingList,
)
from ..urls import registrable_domain
from ..wording import counted, listing, words
from .finding import evidence_item


@dataclass(frozen=True)
class TrackerLabel:
    """Why something counts as a tracker: the service, its organisation and its category."""

    category: str
    service: str | None = None
    organisation: str | None = None
    sets_no_identifiers: bool = False  # the catalogue says so; behaviour decides (`classify.identifying`)

    @property
    def recipient(self) -> str:
        return self.organisation or self.service or self.category


@dataclass(frozen=True)
class TrackerView:
    """Answers "is this request, cookie or storage key a tracker?" from one scan's classification."""

    hosts: dict[str, TrackerLabel]
    cookies: dict[tuple[Phase, str, str], TrackerLabel]
    storage_keys: dict[tuple[Phase, str, str], TrackerLabel]
    # Vendors outside the tracking categories (video, tag managers, unknown third parties ...): trackers
    # only when the phase shows them setting or receiving identifiers.
    watched_hosts: dict[str, TrackerLabel] = field(default_factory=dict)
    watched_cookies: dict[tuple[Phase, str, str], TrackerLabel] = field(default_factory=dict)
    watched_storage: dict[tuple[Phase, str, str], TrackerLabel] = field(default_factory=dict)

    @classmethod
    def from_classification(cls, classification: Classification) -> TrackerView:
        hosts = {
            h.host: TrackerLabel(h.category.value, h.service, h.organisation, h.sets_no_identifiers)
            for h in classification.hosts
            if h.category in TRACKING_CATEGORIES
        }
        cookies = {
            (phase.phase, c.name, c.domain): TrackerLabel(c.category.value, c.service, c.organisation)
            for phase in classification.phases
            for c in phase.cookies
            if c.category in TRACKING_CATEGORIES
        }
        storage = {
            (phase.phase, s.origin, s.key): TrackerLabel(s.category.value, s.service, s.organisation)
            for phase in classification.phases
            for s in phase.storage
            if s.category in TRACKING_CATEGORIES
        }
        watched_hosts = {
            h.host: TrackerLabel(h.category.value, h.service or h.registrable_domain, h.organisation)
            for h in classification.hosts
            if h.party.value == "third" and watched_category(h.category)
        }
        watched_cookies = {
            (phase.phase, c.name, c.domain): TrackerLabel(c.category.value, c.service, c.organisation)
            for phase in classification.phases
            for c in phase.cookies
            if c.service and watched_category(c.category)
        }
        watched_storage = {
            (phase.phase, s.origin, s.key): TrackerLabel(s.category.value, s.service, s.organisation)
            for phase in classification.phases
            for s in phase.storage
            if s.service and watched_category(s.category)
        }
        return cls(hosts, cookies, storage, watched_hosts, watched_cookies, watched_storage)

    def host(self, host: str) -> TrackerLabel | None:
        return self.hosts.get(host.lower())

    def cookie(self, phase: Phase, cookie: CookieRecord) -> TrackerLabel | None:
        return self.cookies.get((phase, cookie.name, cookie.domain))

    def storage(self, phase: Phase, item: StorageItem) -> TrackerLabel | None:
        return self.storage_keys.get((phase, item.origin, item.key))

    def host_by_behaviour(self, host: str) -> TrackerLabel | None:
        return self.hosts.get(host.lower()) or self.watched_hosts.get(host.lower())

    def cookie_by_behaviour(self, phase: Phase, cookie: CookieRecord) -> TrackerLabel | None:
        key = (phase, cookie.name, cookie.domain)
        label = self.cookies.get(key) or self.watched_cookies.get(key)
        if label is None and cookie.party.value == "third":  # a third party nobody catalogued
            domain = registrable_domain(cookie.domain.lstrip("."))
            label = next((h for host, h in self.watched_hosts.items() if registrable_domain(host) == domain), None)
        return label

    def storage_by_behaviour(self, phase: Phase, item: StorageItem) -> TrackerLabel | None:
        key = (phase, item.origin, item.key)
        return self.storage_keys.get(key) or self.watched_storage.get(key)


_TRACKING_VALUES = frozenset(c.value for c in TRACKING_CATEGORIES)


@dataclass
class Hits:
    """What one recipient received in one phase."""

    label: TrackerLabel
    requests: list[RequestRecord] = field(default_factory=list)
    cookies: list[CookieRecord] = field(default_factory=list)
    storage: list[StorageItem] = field(default_factory=list)
    cookies_sent: list[str] = field(default_factory=list)


def tracking(phase: PhaseEvidence, view: TrackerView, since_ms: float | None = None) -> dict[str, Hits]:
    """Tracker requests, cookies and storage keys of a phase (only those from `since_ms` on), by recipient.
    A recipient whose category does not make it a tracker by purpose counts only when it set or received
    identifiers (`classify.identifying`)."""
    out: dict[str, Hits] = {}

    def hits(label: TrackerLabel) -> Hits:
        found = out.setdefault(label.recipient, Hits(label))
        # One organisation, several products (Google's tag manager script and its analytics): the product
        # in a tracking category names the recipient, whichever request came first.
        if label.category in _TRACKING_VALUES and found.label.category not in _TRACKING_VALUES:
            found.label = label
        return found

    tracker_cookies = {c.name: view.cookie_by_behaviour(phase.phase, c) for c in phase.cookies}
    for r in phase.requests:
        if r.blocked_reason or (since_ms is not None and r.started_ms < since_ms):
            continue
        label = view.host_by_behaviour(r.host)
        if label is not None:
            hits(label).requests.append(r)
        for name in r.cookies_sent:
            sent_label = tracker_cookies.get(name)
            if sent_label is not None and name not in hits(sent_label).cookies_sent:
                hits(sent_label).cookies_sent.append(name)
    for c in phase.cookies:
        label = view.cookie_by_behaviour(phase.phase, c)
        if label is not None and (since_ms is None or c.first_seen_ms >= since_ms):
            hits(label).cookies.append(c)
    if since_ms is None:  # storage is read per page, not timed: only the whole phase can be judged
        for s in phase.storage:
            label = view.storage_by_behaviour(phase.phase, s)
            if label is not None:
                hits(label).storage.append(s)
    return {
        k: v
        for k, v in out.items()
        if (v.requests or v.cookies or v.storage)
        and (not needs_behaviour(v.label.category, v.label.sets_no_identifiers)
             or identifying_by_behaviour(v.requests, v.cookies, v.storage, v.cookies_sent))
    }


def hit_items(hits: Hits, phase: Phase, zero_ms: float = 0.0, what: str = "") -> list[EvidenceItem]:
    """Evidence items for one recipient; `zero_ms` is subtracted from times (the click, after a choice);
    `what` names the click (`reject`, `accept`) when there was one."""

    def when(ms: float) -> Wording:
        if what:
            return words(f"when.after_{what}_click", ms=round(ms - zero_ms))
        return words("when.at", ms=round(ms))

    items: list[EvidenceItem] = []
    first_per_host = list({r.host: r for r in reversed(hits.requests)}.values())[::-1]
    chosen = sorted(
        [*first_per_host, *(r for r in hits.requests if r not in first_per_host)][:8],
        key=lambda r: r.started_ms,
    )
    for r in chosen:
        items.append(
            evidence_item(
                words("evidence.request_at", method=r.method, host=r.host, when=when(r.started_ms)),
                kind="request",
                url=r.url,
                page_url=r.page_url,
                phase=phase,
                at_ms=round(r.started_ms - zero_ms, 1),
            )
        )
    for c in hits.cookies[:8]:
        life = words("lifetime.session") if c.lifetime_days is None else words("lifetime.days", days=c.lifetime_days)
        items.append(
            evidence_item(
                words("evidence.cookie_on", name=c.name, domain=c.domain, lifetime=life, when=when(c.first_seen_ms)),
                kind="cookie",
                page_url=c.first_seen_page,
                phase=phase,
                at_ms=round(c.first_seen_ms - zero_ms, 1),
                url=c.set_by_url,
            )
        )
    for s in hits.storage[:4]:
        items.append(
            evidence_item(
                words(f"evidence.storage_key.{s.kind}", key=s.key, origin=s.origin),
                kind="storage",
                page_url=s.page_url,
                phase=phase,
            )
        )
    if hits.cookies_sent:
        items.append(
            evidence_item(
                words("evidence.tracker_cookies_sent", names=", ".join(hits.cookies_sent[:10])),
                kind="note",
                phase=phase,
            )
        )
    return items


def hit_summary(hits: Hits) -> WordingList:
    """What one recipient received, as a phrase: "11 request(s) to …; cookie(s) _ga, _gid"."""
    parts: list[Wording] = []
    if hits.requests:
        hosts = sorted({r.host for r in hits.requests})
        parts.append(counted("hits.requests", len(hits.requests), hosts=", ".join(hosts[:4])))
    if hits.cookies:
        names = sorted({c.name for c in hits.cookies})
        parts.append(counted("hits.cookies", len(names), names=", ".join(names[:6])))
    if hits.storage:
        keys = sorted({s.key for s in hits.storage})
        parts.append(counted("hits.storage_keys", len(keys), keys=", ".join(keys[:4])))
    return listing(parts, "semicolon")


_CATEGORY_WORDS = {
    Category.analytics.value: "category_words.analytics",
    Category.advertising.value: "category_words.advertising",
    Category.social.value: "category_words.social",
    Category.session_replay.value: "category_words.session_replay",
    Category.tag_manager.value: "category_words.tag_manager",
    Category.video.value: "category_words.video",
    Category.unknown.value: "category_words.unknown",
}


def category_words(label: TrackerLabel) -> Wording:
    """Why this recipient counts as a tracker, in a few words: its purpose, or that it sets identifiers."""
    key = _CATEGORY_WORDS.get(label.category)
    if key:
        return words(key)
    return words("category_words.other", category=category_name(label.category))


def category_name(category: str) -> Wording:
    """A classification category (`tag_manager`) as a reader says it ("tag manager", "taggstyring")."""
    return words(f"category.{category}")
