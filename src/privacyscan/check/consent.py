"""Consent under test: what happens before the visitor says yes, and does "no" mean no?

The rules compare the three phases the crawler records (before consent, after "reject all", after
"accept all"), each in a fresh browser, and read the banner the consent driver recorded. Whether a host or
cookie is a tracker (analytics, advertising, social, session replay) comes from the shared classification
(`ctx.classification`, read through `check.trackers.TrackerView`), never from a list of our own. Titles,
legal references and generic fixes are the rule registry's (`data/rules.json`).

Double reporting: a site with no consent mechanism at all gets one `no_banner_but_tracking` finding that
lists every tracker, not a `tracking_before_consent` finding per tracker as well. A banner that was found
but could not be answered still counts as a consent mechanism.
"""

from __future__ import annotations

import re

from ..classify.identifying import UNKNOWN_ID_MIN_DAYS, unknown_visitor_ids
from ..data.banner_phrases import banner_phrases
from ..models import BannerRecord, Confidence, EvidenceItem, Finding, Phase, Severity
from ..urls import host_of
from .banner import banner_items, consent_mechanism, first_banner
from .context import CheckContext
from .finding import finding
from .trackers import TrackerView, category_words, hit_items, hit_summary, tracking

GDPR_CONSENT = "GDPR Art. 4(11) and Art. 7"
TASKFORCE = "EDPB Cookie Banner Taskforce report (17 January 2023)"
MAX_ITEMS = 20
_LEGAL_WITHOUT_WITHDRAWAL = [
    "ePrivacy Directive 2002/58/EC Art. 5(3)",
    "Ekomloven § 3-15 (Norway, in force 1 January 2025)",
    GDPR_CONSENT,
    TASKFORCE,
]
# A reject button smaller than this share of the accept button's area is not "equally prominent".
PROMINENCE_RATIO = 0.5


# ---------------------------------------------------------------------------------------- rules


def tracking_before_consent(ctx: CheckContext) -> list[Finding]:
    """Trackers (analytics, advertising, social, session replay) that receive requests, set cookies or leave
    identifiers in storage before the visitor has answered the banner. Not: consent platforms, CDNs, fonts
    or the site's own cookies (the classification says which); and not on a site without any consent
    mechanism, which gets one `no_banner_but_tracking` finding instead."""
    evidence = ctx.evidence
    before = evidence.phase(Phase.before_consent)
    if before is None or consent_mechanism(evidence) is False:
        return []
    view = TrackerView.from_classification(ctx.classification)
    findings = []
    for recipient, hits in sorted(tracking(before, view).items()):
        label = hits.label
        service = label.service or recipient
        findings.append(
            finding(
                "tracking_before_consent",
                title=f"{service} ({category_words(label)}) runs before the visitor consents",
                phase=Phase.before_consent,
                explanation=(
                    f"Before any answer to the consent banner, {recipient} received {hit_summary(hits)}. Storing or "
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
                evidence=hit_items(hits, Phase.before_consent)[:MAX_ITEMS],
                subject=recipient,
            )
        )
    return findings


def reject_not_honoured(ctx: CheckContext) -> list[Finding]:
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
    view = TrackerView.from_classification(ctx.classification)
    before = ctx.evidence.phase(Phase.before_consent)
    before_hits = tracking(before, view) if before else {}
    via_api = action.method == "api"
    how = (
        f"the reject was made through the consent platform's JavaScript ({action.detail}), not a visible "
        "click, so the banner's own button may behave differently"
        if via_api
        else f"privacyscan clicked '{action.button_text or action.selector}' as a visitor would"
    )
    findings = []
    for recipient, hits in sorted(tracking(after, view, since_ms=action.at_ms).items()):
        label = hits.label
        service = label.service or recipient
        earlier = before_hits.get(recipient)
        compared = (
            f"Before consent it received {hit_summary(earlier)}."
            if earlier
            else "Before consent it received nothing: the reject click itself set it off."
        )
        findings.append(
            finding(
                "reject_not_honoured",
                title=f"{service} ({category_words(label)}) still runs after 'reject all'",
                confidence=Confidence.medium if via_api else Confidence.high,
                phase=Phase.after_reject,
                explanation=(
                    f"After the visitor rejected all cookies ({how}), {recipient} received {hit_summary(hits)}. "
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
                    *hit_items(hits, Phase.after_reject, zero_ms=action.at_ms, what="reject click"),
                ][:MAX_ITEMS],
                subject=recipient,
            )
        )
    tcf = action.tcf
    if tcf is not None and (tcf.purposes_consent or tcf.vendor_consents):
        findings.append(
            finding(
                "reject_not_honoured",
                title="The consent platform records consent after 'reject all' (IAB TCF string)",
                confidence=Confidence.medium if via_api else Confidence.high,
                # the visitor withdrew nothing here: the platform's record is wrong from the start
                legal=[*_LEGAL_WITHOUT_WITHDRAWAL],
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
            finding(
                "no_reject_on_first_layer",
                title="The banner offers 'accept' but no 'reject' on its first layer",
                confidence=Confidence.medium,
                phase=phase,
                explanation=(
                    f"The banner's first layer has {', '.join(repr(b.text) for b in accepts)} but no button "
                    "to refuse. Refusing must be as easy as accepting; regulators (EDPB taskforce, Datatilsynet) "
                    "expect a reject option on the same layer as accept. Button roles were read from their "
                    "text, so check the screenshot."
                ),
                evidence=banner_items(banner, phase),
                subject=subject,
            )
        ]
    accept_area = max(b.width * b.height for b in accepts)
    reject_area = max(b.width * b.height for b in rejects)
    if accept_area > 0 and reject_area < PROMINENCE_RATIO * accept_area:
        return [
            finding(
                "no_reject_on_first_layer",
                title="The banner's reject option is much less prominent than accept",
                severity=Severity.low,
                confidence=Confidence.medium,
                legal=[GDPR_CONSENT, TASKFORCE],
                phase=phase,
                explanation=(
                    f"The reject button is {reject_area / accept_area:.0%} of the accept button's size. "
                    "A design that steers the visitor to accept is a deceptive pattern."
                ),
                fix="Give reject and accept the same size, colour and weight.",
                evidence=banner_items(banner, phase),
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
            evidence += banner_items(banner, phase)
        closes_only = banner is not None and _closes_only(banner)
        findings.append(
            finding(
                "implied_consent",
                title=(f"The notice treats use as consent and offers only {_button_names(banner)}: no way to "
                       "refuse on its first layer") if closes_only else None,
                confidence=Confidence.medium if banner is not None else Confidence.low,
                phase=phase,
                explanation=(
                    f'The {"banner" if banner else "page"} says: "{quote}". Continuing to browse, scrolling, '
                    "clicking through or closing a notice is not a clear affirmative act, so it is not consent "
                    "(EDPB Guidelines 05/2020, paras 86-87). Found by its wording, so read it in context."
                    + (" Its only button closes it, so the first layer offers no way to refuse: a visitor who "
                       "wants to say no has nothing to press." if closes_only else "")
                ),
                evidence=evidence,
                subject=banner.cmp or banner.selector or page_url if banner else page_url,
            )
        )
    return findings


def _closes_only(banner: BannerRecord) -> bool:
    """A notice whose buttons only close or acknowledge it: no accept, no reject, no settings."""
    return bool(banner.buttons) and all(b.role in ("close", "other") for b in banner.buttons) and not any(
        b.role == "reject" for b in banner.buttons)


def _button_names(banner: BannerRecord | None) -> str:
    return " and ".join(repr(b.text) for b in (banner.buttons if banner else [])[:3]) or "a close button"


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
        finding(
            "preticked_purposes",
            title=f"{len(ticked)} consent toggle(s) on by default"
            + (f", {legitimate_count} as 'legitimate interest'" if legitimate_count else ""),
            confidence=Confidence.high if banner.detected_by.startswith("autoconsent") else Confidence.medium,
            phase=phase,
            explanation=(
                f"These purposes are switched on before the visitor chooses: {names}. A pre-ticked box is not "
                "consent (Planet49), and purposes that need consent cannot be switched on by default as a "
                "'legitimate interest' (EDPB taskforce report)."
            ),
            evidence=evidence[:MAX_ITEMS],
            subject=banner.cmp or banner.selector or banner.page_url,
        )
    ]


def no_banner_but_tracking(ctx: CheckContext) -> list[Finding]:
    """Trackers run and the site has no consent mechanism at all: no banner was found in any phase although
    the consent driver looked. One finding for the site (not one per tracker). Not: a site whose banner was
    found (tracking_before_consent covers it), nor a scan in which no consent driver ran."""
    evidence = ctx.evidence
    before = evidence.phase(Phase.before_consent)
    if before is None or consent_mechanism(evidence) is not False:
        return []
    view = TrackerView.from_classification(ctx.classification)
    trackers = tracking(before, view)
    if not trackers:
        return []
    items: list[EvidenceItem] = []
    for _, hits in sorted(trackers.items()):
        items.extend(hit_items(hits, Phase.before_consent)[:4])
    recipients = ", ".join(
        f"{h.label.service or r} ({category_words(h.label)})" for r, h in sorted(trackers.items())
    )
    looked = next((p.consent_action.detail for p in evidence.phases if p.consent_action), "")
    return [
        finding(
            "no_banner_but_tracking",
            phase=Phase.before_consent,
            explanation=(
                f"The site sends visitors' data to {recipients} and offers no way to consent or refuse "
                f"(privacyscan found no consent banner: {looked or 'none detected'})."
            ),
            evidence=items[:MAX_ITEMS],
            subject=ctx.evidence.registrable_domain or host_of(ctx.evidence.site_url),
        )
    ]


def unknown_identifier_before_consent(ctx: CheckContext) -> list[Finding]:
    """A first-party cookie that no catalogue names but that behaves like a visitor id (an id-shaped value
    kept for months or years) is set before the visitor has consented. Medium confidence: the tool knows
    its shape, not its purpose. Evidence: name, value shape (never the value), lifetime, hosts it was sent
    to. Not: session cookies, short-lived cookies, plain values (`lang=nb`, `consent=yes`), cookies the
    catalogue names (framework sessions, consent records, known vendors)."""
    before = ctx.evidence.phase(Phase.before_consent)
    labels = next((p.cookies for p in ctx.classification.phases if p.phase is Phase.before_consent), [])
    if before is None:
        return []
    findings = []
    for found in unknown_visitor_ids(before, labels):
        cookie = found.cookie
        years = (cookie.lifetime_days or 0) / 365
        lifetime = f"{years:.1f} years" if years >= 1 else f"{cookie.lifetime_days:.0f} days"
        sent = (f"sent to {', '.join(found.sent_to[:6])}" if found.sent_to
                else "not seen in a request's Cookie header during the scan")
        findings.append(
            finding(
                "unknown_identifier_before_consent",
                title=f"Cookie {cookie.name} looks like a visitor id and is set before consent",
                confidence=Confidence.medium,
                phase=Phase.before_consent,
                explanation=(
                    f"Before any consent, the site set the first-party cookie {cookie.name} on {cookie.domain}: "
                    f"its value is a {found.shape}, it lasts {lifetime} (at least {UNKNOWN_ID_MIN_DAYS:.0f} days "
                    f"counts as long-lived) and it was {sent}. No catalogue names it, so privacyscan judges it "
                    "by behaviour: a long-lived random id recognises the visitor on every return, which needs "
                    "consent unless it is strictly necessary for a service the visitor asked for."
                ),
                fix=(
                    f"Find what sets {cookie.name}. If it recognises returning visitors for statistics or "
                    "marketing, set it only after consent; if it is strictly necessary, shorten its lifetime "
                    "and describe it in the cookie notice."
                ),
                evidence=[
                    EvidenceItem(
                        kind="cookie",
                        phase=Phase.before_consent,
                        page_url=cookie.first_seen_page,
                        at_ms=cookie.first_seen_ms,
                        url=cookie.set_by_url,
                        description=f"cookie {cookie.name} on {cookie.domain}: value {found.shape}, "
                        f"lifetime {lifetime}, set by {cookie.set_by}; {sent}",
                    )
                ],
                subject=f"{cookie.name}@{cookie.domain}",
            )
        )
    return findings[:MAX_ITEMS]


RULES = [
    tracking_before_consent,
    unknown_identifier_before_consent,
    reject_not_honoured,
    no_reject_on_first_layer,
    implied_consent,
    preticked_purposes,
    no_banner_but_tracking,
]
