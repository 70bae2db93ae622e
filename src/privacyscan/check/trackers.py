"""Which requests, cookies and storage keys of a phase went to trackers (analytics, advertising, social,
session replay), grouped by recipient: read from the shared classification (`privacyscan.classify`), never
from a list of our own. Used by the consent rules and the per-phase consent comparison."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..classify.model import TRACKING_CATEGORIES, Category, Classification
from ..models import CookieRecord, EvidenceItem, Phase, PhaseEvidence, RequestRecord, StorageItem


@dataclass(frozen=True)
class TrackerLabel:
    """Why something counts as a tracker: the service, its organisation and its category."""

    category: str
    service: str | None = None
    organisation: str | None = None

    @property
    def recipient(self) -> str:
        return self.organisation or self.service or self.category


@dataclass(frozen=True)
class TrackerView:
    """Answers "is this request, cookie or storage key a tracker?" from one scan's classification."""

    hosts: dict[str, TrackerLabel]
    cookies: dict[tuple[Phase, str, str], TrackerLabel]
    storage_keys: dict[tuple[Phase, str, str], TrackerLabel]

    @classmethod
    def from_classification(cls, classification: Classification) -> TrackerView:
        hosts = {
            h.host: TrackerLabel(h.category.value, h.service, h.organisation)
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
        return cls(hosts, cookies, storage)

    def host(self, host: str) -> TrackerLabel | None:
        return self.hosts.get(host.lower())

    def cookie(self, phase: Phase, cookie: CookieRecord) -> TrackerLabel | None:
        return self.cookies.get((phase, cookie.name, cookie.domain))

    def storage(self, phase: Phase, item: StorageItem) -> TrackerLabel | None:
        return self.storage_keys.get((phase, item.origin, item.key))


@dataclass
class Hits:
    """What one recipient received in one phase."""

    label: TrackerLabel
    requests: list[RequestRecord] = field(default_factory=list)
    cookies: list[CookieRecord] = field(default_factory=list)
    storage: list[StorageItem] = field(default_factory=list)
    cookies_sent: list[str] = field(default_factory=list)


def tracking(phase: PhaseEvidence, view: TrackerView, since_ms: float | None = None) -> dict[str, Hits]:
    """Tracker requests, cookies and storage keys of a phase (only those from `since_ms` on), by recipient."""
    out: dict[str, Hits] = {}

    def hits(label: TrackerLabel) -> Hits:
        return out.setdefault(label.recipient, Hits(label))

    tracker_cookies = {c.name: view.cookie(phase.phase, c) for c in phase.cookies}
    for r in phase.requests:
        if r.blocked_reason or (since_ms is not None and r.started_ms < since_ms):
            continue
        label = view.host(r.host)
        if label is not None:
            hits(label).requests.append(r)
        for name in r.cookies_sent:
            sent_label = tracker_cookies.get(name)
            if sent_label is not None and name not in hits(sent_label).cookies_sent:
                hits(sent_label).cookies_sent.append(name)
    for c in phase.cookies:
        label = view.cookie(phase.phase, c)
        if label is not None and (since_ms is None or c.first_seen_ms >= since_ms):
            hits(label).cookies.append(c)
    if since_ms is None:  # storage is read per page, not timed: only the whole phase can be judged
        for s in phase.storage:
            label = view.storage(phase.phase, s)
            if label is not None:
                hits(label).storage.append(s)
    return {k: v for k, v in out.items() if v.requests or v.cookies or v.storage}


def hit_items(hits: Hits, phase: Phase, zero_ms: float = 0.0, what: str = "") -> list[EvidenceItem]:
    """Evidence items for one recipient; `zero_ms` is subtracted from times (the click, after a choice)."""

    def when(ms: float) -> str:
        return f"{ms - zero_ms:+.0f} ms after the {what}" if what else f"at {ms:.0f} ms"

    items: list[EvidenceItem] = []
    first_per_host = list({r.host: r for r in reversed(hits.requests)}.values())[::-1]
    chosen = sorted(
        [*first_per_host, *(r for r in hits.requests if r not in first_per_host)][:8],
        key=lambda r: r.started_ms,
    )
    for r in chosen:
        items.append(
            EvidenceItem(
                kind="request",
                description=f"{r.method} {r.host} ({when(r.started_ms)})",
                url=r.url,
                page_url=r.page_url,
                phase=phase,
                at_ms=round(r.started_ms - zero_ms, 1),
            )
        )
    for c in hits.cookies[:8]:
        life = "session" if c.lifetime_days is None else f"{c.lifetime_days:g} days"
        items.append(
            EvidenceItem(
                kind="cookie",
                description=f"cookie {c.name} on {c.domain}, {life} ({when(c.first_seen_ms)})",
                page_url=c.first_seen_page,
                phase=phase,
                at_ms=round(c.first_seen_ms - zero_ms, 1),
                url=c.set_by_url,
            )
        )
    for s in hits.storage[:4]:
        items.append(
            EvidenceItem(
                kind="storage",
                description=f"{s.kind}Storage key {s.key} on {s.origin}",
                page_url=s.page_url,
                phase=phase,
            )
        )
    if hits.cookies_sent:
        items.append(
            EvidenceItem(
                kind="note",
                phase=phase,
                description="tracker cookies sent back: " + ", ".join(hits.cookies_sent[:10]),
            )
        )
    return items


def hit_summary(hits: Hits) -> str:
    parts = []
    if hits.requests:
        hosts = sorted({r.host for r in hits.requests})
        parts.append(f"{len(hits.requests)} request(s) to {', '.join(hosts[:4])}")
    if hits.cookies:
        parts.append("cookie(s) " + ", ".join(sorted({c.name for c in hits.cookies})[:6]))
    if hits.storage:
        parts.append("storage key(s) " + ", ".join(sorted({s.key for s in hits.storage})[:4]))
    return "; ".join(parts)


def category_words(label: TrackerLabel) -> str:
    return {
        Category.analytics.value: "analytics",
        Category.advertising.value: "advertising",
        Category.social.value: "social media",
        Category.session_replay.value: "session recording",
    }.get(label.category, label.category)
