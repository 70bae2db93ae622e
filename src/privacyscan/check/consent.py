"""Consent under test: what happens before the visitor says yes, and does "no" mean no?

The rules compare the three phases the crawler records (before consent, after "reject all", after
"accept all"), each in a fresh browser, and read the banner the consent driver recorded. Whether a host or
cookie is a tracker (analytics, advertising, social, session replay) comes from the shared classification
(`ctx.classification`, read through `ctx.trackers`, a `check.trackers.TrackerView`), never from a list of
our own. Titles, legal references and generic fixes are the rule registry's (`data/rules.json`).

Double reporting: a site with no consent mechanism at all gets one `no_banner_but_tracking` finding that
lists every tracker, not a `tracking_before_consent` finding per tracker as well. A banner that was found
but could not be answered still counts as a consent mechanism.
"""

from __future__ import annotations

import re

from ..classify.identifying import UNKNOWN_ID_MIN_DAYS, unknown_visitor_ids
from ..data.banner_phrases import banner_phrases
from ..models import BannerRecord, Confidence, EvidenceItem, Finding, Phase, Severity, Wording, WordingList
from ..urls import host_of
from ..wording import counted, listing, words
from .banner import banner_items, consent_mechanism, first_banner
from .context import CheckContext
from .finding import evidence_item, finding
from .trackers import category_words, hit_items, hit_summary, tracking

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
    view = ctx.trackers
    findings = []
    for recipient, hits in sorted(tracking(before, view).items()):
        label = hits.label
        service = label.service or recipient
        findings.append(
            finding(
                "tracking_before_consent",
                title=words("tracking_before_consent.title", service=service, category=category_words(label)),
                phase=Phase.before_consent,
                explanation=words(
                    "tracking_before_consent.explanation", recipient=recipient, received=hit_summary(hits),
                    unknown_banner=None if consent_mechanism(evidence) else words("tracking_before_consent.no_driver"),
                ),
                fix=words("tracking_before_consent.fix", service=service),
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
    view = ctx.trackers
    before = ctx.evidence.phase(Phase.before_consent)
    before_hits = tracking(before, view) if before else {}
    via_api = action.method == "api"
    how = (
        words("reject_not_honoured.how_api", detail=action.detail)
        if via_api
        else words("reject_not_honoured.how_click", button=action.button_text or action.selector or "")
    )
    findings = []
    for recipient, hits in sorted(tracking(after, view, since_ms=action.at_ms).items()):
        label = hits.label
        service = label.service or recipient
        earlier = before_hits.get(recipient)
        compared = (
            words("reject_not_honoured.before", received=hit_summary(earlier))
            if earlier
            else words("reject_not_honoured.before_nothing")
        )
        findings.append(
            finding(
                "reject_not_honoured",
                title=words("reject_not_honoured.title", service=service, category=category_words(label)),
                confidence=Confidence.medium if via_api else Confidence.high,
                phase=Phase.after_reject,
                explanation=words("reject_not_honoured.explanation", how=how, recipient=recipient,
                                  received=hit_summary(hits), compared=compared),
                fix=words("reject_not_honoured.fix", service=service),
                evidence=[
                    evidence_item(
                        words("evidence.reject_action", method=action.method, detail=action.detail),
                        kind="note",
                        phase=Phase.after_reject,
                        at_ms=0.0,
                        selector=action.selector,
                    ),
                    *hit_items(hits, Phase.after_reject, zero_ms=action.at_ms, what="reject"),
                ][:MAX_ITEMS],
                subject=recipient,
            )
        )
    tcf = action.tcf
    if tcf is not None and (tcf.purposes_consent or tcf.vendor_consents):
        findings.append(
            finding(
                "reject_not_honoured",
                title=words("reject_not_honoured.tcf_title"),
                confidence=Confidence.medium if via_api else Confidence.high,
                # the visitor withdrew nothing here: the platform's record is wrong from the start
                legal=[*_LEGAL_WITHOUT_WITHDRAWAL],
                phase=Phase.after_reject,
                explanation=counted(
                    "reject_not_honoured.tcf_explanation", len(tcf.vendor_consents), cmp_id=str(tcf.cmp_id),
                    purposes=str(tcf.purposes_consent) if tcf.purposes_consent else words("none"),
                ),
                fix=words("reject_not_honoured.tcf_fix"),
                evidence=[
                    evidence_item(
                        words("evidence.tc_string", event=str(tcf.event_status),
                              vendors=", ".join(map(str, tcf.vendor_consents[:20]))),
                        kind="quote",
                        phase=Phase.after_reject,
                        quote=tcf.tc_string[:500],
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
                title=words("no_reject_on_first_layer.title"),
                confidence=Confidence.medium,
                phase=phase,
                explanation=words("no_reject_on_first_layer.explanation",
                                  accepts=listing([_quoted(b.text) for b in accepts])),
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
                title=words("no_reject_on_first_layer.prominence_title"),
                severity=Severity.low,
                confidence=Confidence.medium,
                legal=[GDPR_CONSENT, TASKFORCE],
                phase=phase,
                explanation=words("no_reject_on_first_layer.prominence_explanation",
                                  percent=round(100 * reject_area / accept_area)),
                fix=words("no_reject_on_first_layer.prominence_fix"),
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
            evidence_item(words("evidence.matched_phrase", phrase=phrase), kind="quote", quote=quote,
                          page_url=page_url, phase=phase)
        ]
        if banner is not None:
            evidence += banner_items(banner, phase)
        closes_only = banner is not None and _closes_only(banner)
        findings.append(
            finding(
                "implied_consent",
                title=words("implied_consent.closes_only_title", buttons=_button_names(banner))
                if closes_only else None,
                confidence=Confidence.medium if banner is not None else Confidence.low,
                phase=phase,
                explanation=words(
                    "implied_consent.explanation_banner" if banner else "implied_consent.explanation_page",
                    quote=quote,
                    closes_only=words("implied_consent.closes_only") if closes_only else None,
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


def _quoted(text: str) -> Wording:
    return words("quoted", text=text)


def _button_names(banner: BannerRecord | None) -> Wording | WordingList:
    buttons = (banner.buttons if banner else [])[:3]
    if not buttons:
        return words("implied_consent.a_close_button")
    return listing([_quoted(b.text) for b in buttons], "and")


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
        evidence_item(
            words("evidence.toggle_on", label=(t.label or t.nearby_text)[:120],
                  legitimate=words("evidence.toggle_legitimate") if li else None,
                  hidden=None if t.visible else words("evidence.toggle_in_settings")),
            kind="form_control",
            phase=phase,
            page_url=banner.page_url,
            selector=t.selector,
            screenshot=screenshot,
        )
        for t, li in ticked
    ]
    if screenshot:
        evidence.append(
            evidence_item(
                words("evidence.toggle_layer"),
                kind="screenshot",
                phase=phase,
                screenshot=screenshot,
                page_url=banner.page_url,
            )
        )
    names = listing([_quoted((t.label or t.nearby_text)[:60]) for t, _ in ticked[:6]])
    return [
        finding(
            "preticked_purposes",
            title=counted("preticked_purposes.title", len(ticked),
                          legitimate=counted("preticked_purposes.title_legitimate", legitimate_count)
                          if legitimate_count else None),
            confidence=Confidence.high if banner.detected_by.startswith("autoconsent") else Confidence.medium,
            phase=phase,
            explanation=words("preticked_purposes.explanation", names=names),
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
    view = ctx.trackers
    trackers = tracking(before, view)
    if not trackers:
        return []
    items: list[EvidenceItem] = []
    for _, hits in sorted(trackers.items()):
        items.extend(hit_items(hits, Phase.before_consent)[:4])
    recipients = listing(
        [words("no_banner_but_tracking.recipient", service=h.label.service or r, category=category_words(h.label))
         for r, h in sorted(trackers.items())]
    )
    looked = next((p.consent_action.detail for p in evidence.phases if p.consent_action), "")
    return [
        finding(
            "no_banner_but_tracking",
            phase=Phase.before_consent,
            explanation=words("no_banner_but_tracking.explanation", recipients=recipients,
                              looked=looked or words("no_banner_but_tracking.none_detected")),
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
        lifetime = (words("lifetime.years_decimal", years=years) if years >= 1
                    else words("lifetime.days_whole", days=round(cookie.lifetime_days or 0)))
        sent = (words("unknown_identifier.sent_to", hosts=", ".join(found.sent_to[:6])) if found.sent_to
                else words("unknown_identifier.not_sent"))
        shape = _shape_words(found.shape)
        findings.append(
            finding(
                "unknown_identifier_before_consent",
                title=words("unknown_identifier.title", name=cookie.name),
                confidence=Confidence.medium,
                phase=Phase.before_consent,
                explanation=words("unknown_identifier.explanation", name=cookie.name, domain=cookie.domain,
                                  shape=shape, lifetime=lifetime, min_days=round(UNKNOWN_ID_MIN_DAYS), sent=sent),
                fix=words("unknown_identifier.fix", name=cookie.name),
                evidence=[
                    evidence_item(
                        words("evidence.unknown_identifier", name=cookie.name, domain=cookie.domain, shape=shape,
                              lifetime=lifetime, set_by=words(f"set_by.{cookie.set_by}"), sent=sent),
                        kind="cookie",
                        phase=Phase.before_consent,
                        page_url=cookie.first_seen_page,
                        at_ms=cookie.first_seen_ms,
                        url=cookie.set_by_url,
                    )
                ],
                subject=f"{cookie.name}@{cookie.domain}",
            )
        )
    return findings[:MAX_ITEMS]


_SHAPES = (
    (re.compile(r"UUID"), "id_shape.uuid"),
    (re.compile(r"hexadecimal, (?P<n>\d+) characters"), "id_shape.hex"),
    (re.compile(r"dotted numbers, (?P<n>\d+) characters"), "id_shape.dotted"),
    (re.compile(r"random-looking token, (?P<n>\d+) characters \((?P<kinds>[a-z+]+)\)"), "id_shape.token"),
)


def _shape_words(shape: str) -> Wording | str:
    """The value's shape as `classify.identifying.value_shape` states it ('hexadecimal, 32 characters'), worded
    for the report; a shape of another form stays as it is."""
    for pattern, key in _SHAPES:
        matched = pattern.fullmatch(shape)
        if matched:
            values = matched.groupdict()
            kinds = values.pop("kinds", None)
            return words(key, **{k: int(v) for k, v in values.items()},
                         **({"kinds": listing([words(f"id_shape.kind.{k}") for k in kinds.split("+")], "plus")}
                            if kinds else {}))
    return shape


RULES = [
    tracking_before_consent,
    unknown_identifier_before_consent,
    reject_not_honoured,
    no_reject_on_first_layer,
    implied_consent,
    preticked_purposes,
    no_banner_but_tracking,
]
