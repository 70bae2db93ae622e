"""Consent under test: what happens before the visitor says yes, and does "no" mean no?

The rules compare the three phases the crawler records (before consent, after "reject all", after
"accept all"), each in a fresh browser, and read the banner the consent driver recorded. Whether a host or
cookie is a tracker (analytics, advertising, social, session replay) comes from the shared classification
(`privacyscan.classify`), never from a list of our own; tests can pass a `TrackerView` instead.

Double reporting: a site with no consent mechanism at all gets one `no_banner_but_tracking` finding that
lists every tracker, not a `tracking_before_consent` finding per tracker as well. A banner that was found
but could not be answered still counts as a consent mechanism.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..classify.catalogue import load_catalogue
from ..classify.labels import label_cookie, seen_in_phase, site_domain_of
from ..classify.model import TRACKING_CATEGORIES, Category, Classification
from ..classify.stage import classify_evidence
from ..data.banner_phrases import banner_phrases
from ..models import (
    BannerRecord,
    Confidence,
    CookieRecord,
    Evidence,
    EvidenceItem,
    Finding,
    Phase,
    PhaseEvidence,
    RequestRecord,
    Severity,
    StorageItem,
)
from ..urls import host_of, registrable_domain
from .context import CheckContext

EPRIVACY = "ePrivacy Directive 2002/58/EC Art. 5(3)"
EKOM = "Ekomloven § 3-15 (Norway, in force 1 January 2025)"
GDPR_CONSENT = "GDPR Art. 4(11) and Art. 7"
GDPR_WITHDRAW = "GDPR Art. 7(3)"
PLANET49 = "CJEU C-673/17 (Planet49), paras 52-65"
TASKFORCE = "EDPB Cookie Banner Taskforce report (17 January 2023)"
CONSENT_GUIDELINES = "EDPB Guidelines 05/2020 on consent, paras 79-87"
MAX_ITEMS = 20
# A reject button smaller than this share of the accept button's area is not "equally prominent".
PROMINENCE_RATIO = 0.5


# ---------------------------------------------------------------------------------------- trackers


@dataclass(frozen=True)
class TrackerLabel:
    """Why something counts as a tracker: the service, its organisation and its category."""

    category: str
    service: str | None = None
    organisation: str | None = None

    @property
    def recipient(self) -> str:
        return self.organisation or self.service or self.category


@dataclass
class TrackerView:
    """Answers "is this request, cookie or storage key a tracker?" for one scan's evidence."""

    host: Callable[[str], TrackerLabel | None]
    cookie: Callable[[Phase, CookieRecord], TrackerLabel | None] = lambda _phase, _cookie: None
    storage: Callable[[Phase, StorageItem], TrackerLabel | None] = lambda _phase, _item: None

    @classmethod
    def from_classification(
        cls, classification: Classification, evidence: Evidence | None = None
    ) -> TrackerView:
        hosts = {
            h.host: TrackerLabel(h.category.value, h.service, h.organisation)
            for h in classification.hosts
            if h.category in TRACKING_CATEGORIES
        }
        cookies: dict[tuple[str, str, str], TrackerLabel] = {}
        for phase in classification.phases:
            for c in phase.cookies:
                if c.category in TRACKING_CATEGORIES:
                    cookies[(phase.phase.value, c.name, c.domain)] = TrackerLabel(
                        c.category.value, c.service, c.organisation
                    )
        storage = _storage_labels(evidence) if evidence is not None else {}
        return cls(
            host=lambda host: hosts.get(host.lower()),
            cookie=lambda phase, c: cookies.get((phase.value, c.name, c.domain)),
            storage=lambda phase, s: (
                storage.get((phase.value, s.origin, s.key)) or hosts.get(host_of(s.origin))
            ),
        )

    @classmethod
    def from_hosts(cls, categories: dict[str, str], vendor_of: dict[str, str] | None = None) -> TrackerView:
        """A view from plain mappings (tracker host -> category; cookie or storage name -> the tracker host
        it belongs to): for tests."""
        owners = vendor_of or {}

        def host(h: str) -> TrackerLabel | None:
            category = categories.get(h)
            return TrackerLabel(category, h, registrable_domain(h)) if category else None

        def cookie(_phase: Phase, c: CookieRecord) -> TrackerLabel | None:
            return host(owners[c.name]) if c.name in owners else host(c.domain.lstrip("."))

        return cls(
            host=host, cookie=cookie, storage=lambda _p, s: host(owners[s.key]) if s.key in owners else None
        )


def _storage_labels(evidence: Evidence) -> dict[tuple[str, str, str], TrackerLabel]:
    """Storage keys named like a tracker's cookie (`_hjSessionUser_*`), judged by the classifier's cookie
    rules (a vendor's name counts only when the phase also talked to that vendor)."""
    catalogue = load_catalogue()
    site_domain = site_domain_of(evidence)
    out: dict[tuple[str, str, str], TrackerLabel] = {}
    for phase in evidence.phases:
        if not phase.storage:
            continue
        services, organisations = seen_in_phase(phase, site_domain, catalogue)
        for item in phase.storage:
            pseudo = CookieRecord(
                name=item.key,
                value="",
                domain=host_of(item.origin) or site_domain,
                first_seen_page=item.page_url,
                first_seen_ms=0,
            )
            try:
                label = label_cookie(
                    pseudo, phase.phase, site_domain, services, organisations, catalogue
                )
            except Exception:  # the classifier's internals are not this rule's business
                continue
            if label.category in TRACKING_CATEGORIES:
                out[(phase.phase.value, item.origin, item.key)] = TrackerLabel(
                    label.category.value, label.service, label.organisation
                )
    return out


_VIEW_CACHE: list[tuple[Evidence, TrackerView]] = []


def tracker_view(ctx: CheckContext) -> TrackerView:
    """The shared classification's view of the evidence (classified here if the stage did not run)."""
    for evidence, view in _VIEW_CACHE:
        if evidence is ctx.evidence:
            return view
    classification = ctx.classification
    if classification is None:
        classification = classify_evidence(ctx.evidence)
    view = TrackerView.from_classification(classification, ctx.evidence)
    _VIEW_CACHE.insert(0, (ctx.evidence, view))
    del _VIEW_CACHE[4:]
    return view


@dataclass
class _Hits:
    """What one recipient received in one phase."""

    label: TrackerLabel
    requests: list[RequestRecord] = field(default_factory=list)
    cookies: list[CookieRecord] = field(default_factory=list)
    storage: list[StorageItem] = field(default_factory=list)
    cookies_sent: list[str] = field(default_factory=list)


def _tracking(phase: PhaseEvidence, view: TrackerView, since_ms: float | None = None) -> dict[str, _Hits]:
    """Tracker requests, cookies and storage keys of a phase (only those from `since_ms` on), by recipient."""
    out: dict[str, _Hits] = {}

    def hits(label: TrackerLabel) -> _Hits:
        return out.setdefault(label.recipient, _Hits(label))

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


def _items(hits: _Hits, phase: Phase, zero_ms: float = 0.0, what: str = "") -> list[EvidenceItem]:
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


def _summary(hits: _Hits) -> str:
    parts = []
    if hits.requests:
        hosts = sorted({r.host for r in hits.requests})
        parts.append(f"{len(hits.requests)} request(s) to {', '.join(hosts[:4])}")
    if hits.cookies:
        parts.append("cookie(s) " + ", ".join(sorted({c.name for c in hits.cookies})[:6]))
    if hits.storage:
        parts.append("storage key(s) " + ", ".join(sorted({s.key for s in hits.storage})[:4]))
    return "; ".join(parts)


def _category_words(label: TrackerLabel) -> str:
    return {
        Category.analytics.value: "analytics",
        Category.advertising.value: "advertising",
        Category.social.value: "social media",
        Category.session_replay.value: "session recording",
    }.get(label.category, label.category)


# ---------------------------------------------------------------------------------------- mechanism


def consent_mechanism(evidence: Evidence) -> bool | None:
    """True: a banner was found. False: the consent driver looked and found none. None: nobody looked."""
    if any(p.banners for p in evidence.phases):
        return True
    looked = any(p.consent_action is not None for p in evidence.phases)
    return False if looked else None


def first_banner(evidence: Evidence) -> tuple[BannerRecord, Phase] | None:
    """The banner as first seen, before consent when there."""
    for phase in sorted(evidence.phases, key=lambda p: list(Phase).index(p.phase)):
        if phase.banners:
            return phase.banners[0], phase.phase
    return None


def _banner_items(banner: BannerRecord, phase: Phase) -> list[EvidenceItem]:
    items = []
    if banner.screenshot:
        items.append(
            EvidenceItem(
                kind="screenshot",
                description="the banner as first shown",
                screenshot=banner.screenshot,
                page_url=banner.page_url,
                phase=phase,
                selector=banner.selector,
            )
        )
    buttons = (
        "; ".join(f"'{b.text}' ({b.role}, {b.width:.0f}x{b.height:.0f} px)" for b in banner.buttons) or "none"
    )
    items.append(
        EvidenceItem(
            kind="banner",
            description=f"banner ({banner.detected_by}) buttons: {buttons}",
            page_url=banner.page_url,
            phase=phase,
            selector=banner.selector,
            quote=banner.text[:500] or None,
        )
    )
    return items


# ---------------------------------------------------------------------------------------- rules


def tracking_before_consent(ctx: CheckContext, trackers: TrackerView | None = None) -> list[Finding]:
    """Trackers (analytics, advertising, social, session replay) that receive requests, set cookies or leave
    identifiers in storage before the visitor has answered the banner. Not: consent platforms, CDNs, fonts
    or the site's own cookies (the classification says which); and not on a site without any consent
    mechanism, which gets one `no_banner_but_tracking` finding instead."""
    evidence = ctx.evidence
    before = evidence.phase(Phase.before_consent)
    if before is None or consent_mechanism(evidence) is False:
        return []
    view = trackers or tracker_view(ctx)
    findings = []
    for recipient, hits in sorted(_tracking(before, view).items()):
        label = hits.label
        service = label.service or recipient
        findings.append(
            Finding(
                rule_id="tracking_before_consent",
                title=f"{service} ({_category_words(label)}) runs before the visitor consents",
                severity=Severity.high,
                confidence=Confidence.high,
                legal_reference=[EPRIVACY, EKOM, GDPR_CONSENT, PLANET49],
                phase=Phase.before_consent,
                explanation=(
                    f"Before any answer to the consent banner, {recipient} received {_summary(hits)}. Storing or "
                    "reading identifiers on the visitor's device for analytics or advertising needs prior consent "
                    "(ePrivacy Art. 5(3); in Norway ekomloven § 3-15 from 1 January 2025), and a consent that comes "
                    "after the fact is no consent."
                    + (
                        ""
                        if consent_mechanism(evidence)
                        else " (No consent driver ran in this scan, so whether a banner exists is unknown.)"
                    )
                ),
                fix=(
                    f"Load {service} only after the visitor has accepted its purpose: fire the tag from the consent "
                    "platform's consent event (or block the script until then), and make sure the tag manager's "
                    "default state is 'denied' before the page's tags run."
                ),
                evidence=_items(hits, Phase.before_consent)[:MAX_ITEMS],
                subject=recipient,
            )
        )
    return findings


def reject_not_honoured(ctx: CheckContext, trackers: TrackerView | None = None) -> list[Finding]:
    """After a successful "reject all", trackers still receive requests, set new cookies or get their cookies
    back, or the platform's own TCF string records consent. Timed from the click (`ConsentAction.at_ms`);
    compared with the before-consent phase. Not: a reject that could not be made (then there is nothing to
    honour), nor requests to the consent platform itself."""
    after = ctx.evidence.phase(Phase.after_reject)
    if after is None or after.consent_action is None:
        return []
    action = after.consent_action
    if action.action != "reject" or not action.succeeded or action.at_ms is None:
        return []
    view = trackers or tracker_view(ctx)
    before = ctx.evidence.phase(Phase.before_consent)
    before_hits = _tracking(before, view) if before else {}
    via_api = action.method == "api"
    how = (
        f"the reject was made through the consent platform's JavaScript ({action.detail}), not a visible "
        "click, so the banner's own button may behave differently"
        if via_api
        else f"privacyscan clicked '{action.button_text or action.selector}' as a visitor would"
    )
    findings = []
    for recipient, hits in sorted(_tracking(after, view, since_ms=action.at_ms).items()):
        label = hits.label
        service = label.service or recipient
        earlier = before_hits.get(recipient)
        compared = (
            f"Before consent it received {_summary(earlier)}."
            if earlier
            else "Before consent it received nothing: the reject click itself set it off."
        )
        findings.append(
            Finding(
                rule_id="reject_not_honoured",
                title=f"{service} ({_category_words(label)}) still runs after 'reject all'",
                severity=Severity.high,
                confidence=Confidence.medium if via_api else Confidence.high,
                legal_reference=[EPRIVACY, EKOM, GDPR_CONSENT, GDPR_WITHDRAW, TASKFORCE],
                phase=Phase.after_reject,
                explanation=(
                    f"After the visitor rejected all cookies ({how}), {recipient} received {_summary(hits)}. "
                    f"{compared} A refusal must be respected: no non-essential cookies and no tracking."
                ),
                fix=(
                    f"Wire the reject button to the consent platform's refusal and load {service} only on consent; "
                    "then reject on a fresh browser profile and check that no request reaches it and no cookie of "
                    "its is set."
                ),
                evidence=[
                    EvidenceItem(
                        kind="note",
                        phase=Phase.after_reject,
                        at_ms=0.0,
                        description=f"reject: {action.method} — {action.detail}",
                        selector=action.selector,
                    ),
                    *_items(hits, Phase.after_reject, zero_ms=action.at_ms, what="reject click"),
                ][:MAX_ITEMS],
                subject=recipient,
            )
        )
    tcf = action.tcf
    if tcf is not None and (tcf.purposes_consent or tcf.vendor_consents):
        findings.append(
            Finding(
                rule_id="reject_not_honoured",
                title="The consent platform records consent after 'reject all' (IAB TCF string)",
                severity=Severity.high,
                confidence=Confidence.medium if via_api else Confidence.high,
                legal_reference=[EPRIVACY, EKOM, GDPR_CONSENT, TASKFORCE],
                phase=Phase.after_reject,
                explanation=(
                    f"After the reject, the TCF consent string the platform hands to advertisers "
                    f"(CMP id {tcf.cmp_id}) says purposes {tcf.purposes_consent or 'none'} and "
                    f"{len(tcf.vendor_consents)} vendor(s) are consented to. Every vendor reading it will "
                    "treat the visitor as having agreed."
                ),
                fix="Make the reject button produce a TC string with no purpose and no vendor consent.",
                evidence=[
                    EvidenceItem(
                        kind="quote",
                        phase=Phase.after_reject,
                        quote=tcf.tc_string[:500],
                        description=f"TC string (event {tcf.event_status}); vendors: "
                        f"{', '.join(map(str, tcf.vendor_consents[:20]))}",
                        at_ms=None if tcf.read_at_ms is None else round(tcf.read_at_ms - action.at_ms, 1),
                    )
                ],
                subject="tcf",
            )
        )
    return findings


def no_reject_on_first_layer(ctx: CheckContext) -> list[Finding]:
    """A banner that offers "accept" on its first layer but no "reject" there, or a reject far less prominent
    (less than half the accept button's area). Not: a notice with only a close button (no consent asked
    for), nor a banner whose reject is merely worded differently but recognised."""
    found = first_banner(ctx.evidence)
    if found is None:
        return []
    banner, phase = found
    accepts = [b for b in banner.buttons if b.role == "accept"]
    rejects = [b for b in banner.buttons if b.role == "reject"]
    if not accepts:
        return []
    subject = banner.cmp or banner.selector or banner.page_url
    if not rejects:
        return [
            Finding(
                rule_id="no_reject_on_first_layer",
                title="The banner offers 'accept' but no 'reject' on its first layer",
                severity=Severity.medium,
                confidence=Confidence.medium,
                legal_reference=[GDPR_CONSENT, GDPR_WITHDRAW, EKOM, TASKFORCE],
                phase=phase,
                explanation=(
                    f"The banner's first layer has {', '.join(repr(b.text) for b in accepts)} but no button "
                    "to refuse. Refusing must be as easy as accepting; regulators (EDPB taskforce, Datatilsynet) "
                    "expect a reject option on the same layer as accept. Button roles were read from their "
                    "text, so check the screenshot."
                ),
                fix="Add a 'Reject all' ('Avvis alle') button next to 'Accept all', with the same size and style.",
                evidence=_banner_items(banner, phase),
                subject=subject,
            )
        ]
    accept_area = max(b.width * b.height for b in accepts)
    reject_area = max(b.width * b.height for b in rejects)
    if accept_area > 0 and reject_area < PROMINENCE_RATIO * accept_area:
        return [
            Finding(
                rule_id="no_reject_on_first_layer",
                title="The banner's reject option is much less prominent than accept",
                severity=Severity.low,
                confidence=Confidence.medium,
                legal_reference=[GDPR_CONSENT, TASKFORCE],
                phase=phase,
                explanation=(
                    f"The reject button is {reject_area / accept_area:.0%} of the accept button's size. "
                    "A design that steers the visitor to accept is a deceptive pattern."
                ),
                fix="Give reject and accept the same size, colour and weight.",
                evidence=_banner_items(banner, phase),
                subject=f"{subject}#prominence",
            )
        ]
    return []


def _quote(text: str, phrases) -> str:
    """The sentence of `text` in which a phrase matched."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        if phrases.search(sentence):
            return sentence.strip()[:400]
    return text[:400]


def implied_consent(ctx: CheckContext) -> list[Finding]:
    """Wording that treats browsing, scrolling, clicking through or closing as consent ("By continuing to
    browse you accept ...", "Ved å fortsette å bruke nettstedet godtar du ..."), in the banner or, when no
    banner was found, in the first page's text. Not: "By clicking 'Accept' you agree" (an affirmative act)."""
    phrases = banner_phrases()["implied_consent"]
    texts: list[tuple[str, str, Phase, BannerRecord | None]] = []
    found = first_banner(ctx.evidence)
    if found:
        texts.append((found[0].text, found[0].page_url, found[1], found[0]))
    else:
        before = ctx.evidence.phase(Phase.before_consent)
        if before and before.pages:
            texts.append((before.pages[0].text_excerpt, before.pages[0].url, Phase.before_consent, None))
    findings = []
    for text, page_url, phase, banner in texts:
        phrase = phrases.search(text)
        if not phrase:
            continue
        quote = _quote(text, phrases)
        evidence = [
            EvidenceItem(
                kind="quote", description=f"matched '{phrase}'", quote=quote, page_url=page_url, phase=phase
            )
        ]
        if banner is not None:
            evidence += _banner_items(banner, phase)
        findings.append(
            Finding(
                rule_id="implied_consent",
                title="The banner treats browsing on as consent",
                severity=Severity.medium,
                confidence=Confidence.medium if banner is not None else Confidence.low,
                legal_reference=[GDPR_CONSENT, CONSENT_GUIDELINES, EPRIVACY, EKOM, PLANET49],
                phase=phase,
                explanation=(
                    f'The {"banner" if banner else "page"} says: "{quote}". Continuing to browse, scrolling, '
                    "clicking through or closing a notice is not a clear affirmative act, so it is not consent "
                    "(EDPB Guidelines 05/2020, paras 86-87). Found by its wording, so read it in context."
                ),
                fix="Ask for consent with explicit 'Accept all' and 'Reject all' buttons and set no non-essential "
                "cookies until the visitor clicks accept.",
                evidence=evidence,
                subject=banner.cmp or banner.selector or page_url if banner else page_url,
            )
        )
    return findings


def preticked_purposes(ctx: CheckContext) -> list[Finding]:
    """Purpose or vendor toggles in the banner (or its settings layer) that are on before the visitor touches
    them, and toggles on by default for a claimed 'legitimate interest'. Not: strictly necessary categories
    (usually on and disabled), nor toggles that are off."""
    found = first_banner(ctx.evidence)
    if found is None:
        return []
    banner, phase = found
    phrases = banner_phrases()
    ticked = []
    for toggle in banner.toggles:
        if toggle.type == "radio" or not toggle.checked:
            continue
        text = toggle.label or toggle.nearby_text
        legitimate = phrases["legitimate_interest"].search(text)
        disabled = (toggle.attributes or {}).get("disabled") == "true"
        if not legitimate and (disabled or phrases["necessary"].search(text)):
            continue
        ticked.append((toggle, bool(legitimate)))
    if not ticked:
        return []
    legitimate_count = sum(1 for _, li in ticked if li)
    screenshot = banner.settings_screenshot or banner.screenshot
    evidence = [
        EvidenceItem(
            kind="form_control",
            phase=phase,
            page_url=banner.page_url,
            selector=t.selector,
            description=f"'{(t.label or t.nearby_text)[:120]}' is on by default"
            + (" (legitimate interest)" if li else "")
            + ("" if t.visible else " (in the settings layer)"),
            screenshot=screenshot,
        )
        for t, li in ticked
    ]
    if screenshot:
        evidence.append(
            EvidenceItem(
                kind="screenshot",
                description="the layer with the toggles",
                phase=phase,
                screenshot=screenshot,
                page_url=banner.page_url,
            )
        )
    names = ", ".join(repr((t.label or t.nearby_text)[:60]) for t, _ in ticked[:6])
    return [
        Finding(
            rule_id="preticked_purposes",
            title=f"{len(ticked)} consent toggle(s) on by default"
            + (f", {legitimate_count} as 'legitimate interest'" if legitimate_count else ""),
            severity=Severity.high,
            confidence=Confidence.high if banner.detected_by.startswith("autoconsent") else Confidence.medium,
            legal_reference=[PLANET49, GDPR_CONSENT, EPRIVACY, TASKFORCE],
            phase=phase,
            explanation=(
                f"These purposes are switched on before the visitor chooses: {names}. A pre-ticked box is not "
                "consent (Planet49), and purposes that need consent cannot be switched on by default as a "
                "'legitimate interest' (EDPB taskforce report)."
            ),
            fix="Leave every non-essential purpose and vendor off by default, including 'legitimate interest' toggles.",
            evidence=evidence[:MAX_ITEMS],
            subject=banner.cmp or banner.selector or banner.page_url,
        )
    ]


def no_banner_but_tracking(ctx: CheckContext, trackers: TrackerView | None = None) -> list[Finding]:
    """Trackers run and the site has no consent mechanism at all: no banner was found in any phase although
    the consent driver looked. One finding for the site (not one per tracker). Not: a site whose banner was
    found (tracking_before_consent covers it), nor a scan in which no consent driver ran."""
    evidence = ctx.evidence
    before = evidence.phase(Phase.before_consent)
    if before is None or consent_mechanism(evidence) is not False:
        return []
    view = trackers or tracker_view(ctx)
    tracking = _tracking(before, view)
    if not tracking:
        return []
    items: list[EvidenceItem] = []
    for _, hits in sorted(tracking.items()):
        items.extend(_items(hits, Phase.before_consent)[:4])
    recipients = ", ".join(
        f"{h.label.service or r} ({_category_words(h.label)})" for r, h in sorted(tracking.items())
    )
    looked = next((p.consent_action.detail for p in evidence.phases if p.consent_action), "")
    return [
        Finding(
            rule_id="no_banner_but_tracking",
            title="Trackers run and the site asks for no consent",
            severity=Severity.high,
            confidence=Confidence.high,
            legal_reference=[EPRIVACY, EKOM, GDPR_CONSENT],
            phase=Phase.before_consent,
            explanation=(
                f"The site sends visitors' data to {recipients} and offers no way to consent or refuse "
                f"(privacyscan found no consent banner: {looked or 'none detected'})."
            ),
            fix="Remove the trackers, or add a consent banner with equal 'Accept all' and 'Reject all' buttons and load "
            "them only after the visitor accepts.",
            evidence=items[:MAX_ITEMS],
            subject=ctx.evidence.registrable_domain or host_of(ctx.evidence.site_url),
        )
    ]


RULES = [
    tracking_before_consent,
    reject_not_honoured,
    no_reject_on_first_layer,
    implied_consent,
    preticked_purposes,
    no_banner_but_tracking,
]
