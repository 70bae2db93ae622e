"""Findings about who receives the visitor's data: transfers to third countries (GDPR Chapter V),
cookies that live too long, and cookies and recipients nobody has classified yet.

The rules read `ctx.classification` (the classify stage's output); they never classify anything themselves.
"""

from __future__ import annotations

from ..classify.model import (
    TRACKING_CATEGORIES,
    Adequacy,
    Category,
    CookieLabel,
    DpfStatus,
    Recipient,
)
from ..models import Confidence, Finding, Phase, Severity, Wording, WordingList
from ..wording import counted, country_words, listing, words
from .context import CheckContext
from .finding import evidence_item, finding
from .trackers import category_name

# CNIL's guidelines and recommendation on cookies (deliberations 2020-091 and 2020-092 of 17 September
# 2020) cap the lifetime of consent and tracking cookies at 13 months; 13 x 30.4 days is about 395.
MAX_COOKIE_DAYS = 395
MAX_EVIDENCE_ITEMS = 30
MAX_LISTED = 40

CHAPTER_V = ["GDPR Art. 44", "GDPR Art. 45", "GDPR Art. 46", "GDPR Art. 49", "CJEU C-311/18 (Schrems II)"]
EPRIVACY = "ePrivacy Directive 2002/58/EC Art. 5(3)"

# Each sentence is a finding text (data/finding_texts/{en,nb}.json): Schrems II and the Austrian DSB's Google
# Analytics decision; the DPF adequacy decision (EU) 2023/1795 and Latombe v Commission (T-553/23); no
# adequacy; LG München I on Google Fonts (3 O 17493/20).
FIX_BY_CATEGORY: dict[Category, str] = {
    category: f"third_country_transfer.fix.{category.value}"
    for category in (Category.fonts, Category.video, Category.maps, Category.captcha, Category.analytics,
                     Category.session_replay, Category.tag_manager, Category.advertising, Category.social)
}
_FIX_ORDER = [
    Category.analytics,
    Category.session_replay,
    Category.advertising,
    Category.social,
    Category.tag_manager,
    Category.video,
    Category.maps,
    Category.captcha,
    Category.fonts,
]


def _lower(severity: Severity) -> Severity:
    order = list(Severity)
    return order[max(0, order.index(severity) - 1)]


def transfer_severity(recipient: Recipient) -> Severity | None:
    """How serious sending data to this recipient is under Chapter V; None when it is not a transfer
    privacyscan should report (EEA or adequate country, unknown country, or a CDN that received no
    identifier)."""
    jurisdiction = recipient.jurisdiction
    identifying = recipient.carries_identifiers
    if recipient.categories and all(c is Category.cdn for c in recipient.categories) and not identifying:
        return None
    if jurisdiction.adequacy in (Adequacy.eea, Adequacy.adequacy_decision):
        # The catalogue records onward countries only where a vendor or regulator says data go there.
        if not jurisdiction.onward_countries:
            return None
        severity = Severity.medium if identifying else Severity.low
    elif jurisdiction.adequacy is Adequacy.dpf_certified:
        severity = Severity.medium if identifying else Severity.low
    elif jurisdiction.adequacy is Adequacy.none:
        severity = Severity.high if identifying else Severity.medium
    else:
        return None
    if recipient.privacy_enhanced_only and not identifying:
        severity = _lower(severity)
    return severity


def _what_was_sent(recipient: Recipient) -> WordingList:
    parts = []
    if recipient.cookies_sent:
        parts.append(words("transfer.sent.cookies", names=", ".join(recipient.cookies_sent[:10])))
    if recipient.identifiers_sent:
        parts.append(words("transfer.sent.identifiers", names=", ".join(recipient.identifiers_sent[:10])))
    attributed = [c for c in recipient.cookies if c not in recipient.cookies_sent]
    if attributed:
        parts.append(words("transfer.sent.cookie_ids", names=", ".join(attributed[:10])))
    parts.append(words("transfer.sent.ip_address"))
    return listing(parts, "semicolon")


def _legal_context(recipient: Recipient) -> Wording | WordingList | str:
    jurisdiction = recipient.jurisdiction
    org: Wording | str = recipient.organisation or words("transfer.the_recipient")
    dpf = recipient.dpf
    checked = dpf.checked_on.isoformat() if dpf.checked_on else words("transfer.dpf_never_checked")
    source = dpf.source or "https://www.dataprivacyframework.gov/list"
    notes = jurisdiction.explanation_wording or jurisdiction.explanation
    if jurisdiction.adequacy in (Adequacy.eea, Adequacy.adequacy_decision):
        return notes
    parts: list[Wording | WordingList | str] = []
    if jurisdiction.country == "US":
        if dpf.status is DpfStatus.certified:
            parts.append(words("transfer.dpf_certified", org=org, checked_on=checked, source=source))
        else:
            parts.append(words("transfer.dpf_missing", org=org, status=words(f"dpf_status.{dpf.status.value}"),
                               checked_on=checked, source=source))
        parts.append(words("transfer.schrems_context"))
    else:
        parts.append(words("transfer.no_adequacy", country=country_words(jurisdiction.country)))
    if jurisdiction.eea_entity and notes:
        parts.append(notes)
    return listing(parts, "space")


def _fix(recipient: Recipient) -> Wording:
    if recipient.privacy_enhanced_only:
        return words("third_country_transfer.fix.privacy_enhanced")
    for category in _FIX_ORDER:
        if category in recipient.categories:
            return words(FIX_BY_CATEGORY[category])
    return words("third_country_transfer.fix.default")


def _transfer_finding(phase: Phase, recipient: Recipient, severity: Severity) -> Finding:
    jurisdiction = recipient.jurisdiction
    if jurisdiction.adequacy in (Adequacy.eea, Adequacy.adequacy_decision):
        where = listing([country_words(c) for c in jurisdiction.onward_countries])
        title = words("third_country_transfer.title_accessed", org=recipient.organisation, where=where)
    else:
        title = words("third_country_transfer.title", org=recipient.organisation,
                      where=country_words(jurisdiction.country) if jurisdiction.country else "?")
    explanation = words(
        "third_country_transfer.explanation",
        requests=counted("transfer.requests", recipient.requests),
        pages=counted("transfer.pages", len(recipient.pages)),
        hosts=", ".join(recipient.hosts),
        services=", ".join(recipient.services) or words("transfer.no_catalogued_service"),
        sent=_what_was_sent(recipient),
        org=recipient.organisation,
        country=country_words(jurisdiction.country),
        context=_legal_context(recipient),
        fonts=words("transfer.fonts_context") if Category.fonts in recipient.categories else None,
        enhanced=words("transfer.privacy_enhanced") if recipient.privacy_enhanced_only else None,
    )
    evidence = [
        evidence_item(
            words("evidence.request_to", host=e.host),
            kind="request",
            url=e.url,
            page_url=e.page_url,
            phase=phase,
            at_ms=e.started_ms,
        )
        for e in recipient.examples
    ]
    evidence.extend(
        evidence_item(words("evidence.cookie_attributed", name=name, org=recipient.organisation), kind="cookie",
                      phase=phase)
        for name in recipient.cookies[:10]
    )
    legal = list(CHAPTER_V)
    if recipient.cookies or recipient.cookies_sent:
        legal.append(EPRIVACY)
    return finding(
        "third_country_transfer",
        title=title,
        severity=severity,
        confidence=Confidence.high if recipient.legal_entity else Confidence.medium,
        legal=legal,
        phase=phase,
        explanation=explanation,
        fix=_fix(recipient),
        evidence=evidence,
        subject=recipient.key,
    )


def third_country_transfer(ctx: CheckContext) -> list[Finding]:
    """Personal data (a cookie, an identifier parameter, or just the visitor's IP address by loading a
    resource) sent to an organisation outside the EU/EEA without an adequacy decision, or to a
    US organisation (whose DPF status decides the severity), or to an EEA company whose data are known
    to be accessed from such a country. One finding per organisation per phase.

    Decoys it must leave alone: a self-hosted tool on the site's own domain (Matomo), EEA vendors
    (Plausible, Criteo), vendors in adequate countries, a CDN host that received no identifier, and
    hosts whose organisation or country nobody knows (those go to `unknown_recipient`)."""
    findings: list[Finding] = []
    classification = ctx.classification
    for phase in classification.phases:
        for recipient in phase.recipients:
            if not recipient.organisation:
                continue
            severity = transfer_severity(recipient)
            if severity is not None:
                findings.append(_transfer_finding(phase.phase, recipient, severity))
    return findings


def _tracking_or_consent(label: CookieLabel) -> bool:
    return label.category in TRACKING_CATEGORIES or label.category is Category.consent_management


def cookie_lifetime_excessive(ctx: CheckContext) -> list[Finding]:
    """A consent or tracking cookie set to live longer than 13 months (CNIL: about 395 days), with its
    exact lifetime. One finding per cookie (name and domain), in the first phase it appears.

    Decoys: session cookies, a strictly necessary cookie of the site's framework with a long life, and a
    tracking cookie within 13 months."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for phase in ctx.classification.phases:
        for label in phase.cookies:
            key = (label.name, label.domain)
            if key in seen or label.lifetime_days is None or label.lifetime_days <= MAX_COOKIE_DAYS:
                continue
            if not _tracking_or_consent(label):
                continue
            seen.add(key)
            owner = label.organisation or label.service or words("transfer.the_site")
            days = float(round(label.lifetime_days, 1))
            findings.append(
                finding(
                    "cookie_lifetime_excessive",
                    title=words("cookie_lifetime_excessive.title", name=label.name, days=days),
                    confidence=Confidence.high if label.basis != "name only" else Confidence.medium,
                    phase=phase.phase,
                    explanation=words(
                        "cookie_lifetime_excessive.explanation", category=category_name(label.category.value),
                        name=label.name, domain=label.domain, owner=owner, days=days, months=days / 30.44,
                    ),
                    fix=words("cookie_lifetime_excessive.fix", name=label.name, days=days),
                    evidence=[
                        evidence_item(
                            words("evidence.cookie_lifetime", name=label.name, domain=label.domain, days=days),
                            kind="cookie",
                            page_url=label.page_url or None,
                            phase=phase.phase,
                            at_ms=label.at_ms,
                        )
                    ],
                    subject=f"{label.name}@{label.domain}",
                )
            )
    return findings


def unclassified_cookie(ctx: CheckContext) -> list[Finding]:
    """Cookies the catalogue cannot attribute: no vendor knows the name, or it is named like a vendor's
    cookie but the phase never talked to that vendor. One finding listing them all, for a person to
    review. Decoys: cookies of known vendors, of self-hosted tools and of the site's framework."""
    items: dict[tuple[str, str], tuple[CookieLabel, str]] = {}
    for phase in ctx.classification.phases:
        for label in phase.cookies:
            if label.basis not in ("none", "name only"):
                continue
            items.setdefault((label.name, label.domain), (label, phase.phase.value))
    if not items:
        return []
    names = [
        words("unclassified_cookie.item_named_like", name=label.name, domain=label.domain, service=label.service)
        if label.basis == "name only"
        else words("unclassified_cookie.item", name=label.name, domain=label.domain)
        for label, _ in items.values()
    ]
    evidence = [
        evidence_item(
            words("evidence.unclassified_cookie", name=label.name, domain=label.domain,
                  party=words(f"party.{label.party.value}"),
                  looks_like=words("evidence.looks_like_unseen", service=label.service)
                  if label.basis == "name only" else None),
            kind="cookie",
            page_url=label.page_url or None,
            phase=Phase(phase_name),
            at_ms=label.at_ms,
        )
        for label, phase_name in list(items.values())[:MAX_EVIDENCE_ITEMS]
    ]
    shown = names[:MAX_LISTED]
    more = words("list.more", n=len(names) - len(shown)) if len(names) > len(shown) else None
    return [
        finding(
            "unclassified_cookie",
            title=counted("unclassified_cookie.title", len(items)),
            confidence=Confidence.medium,
            explanation=words("unclassified_cookie.explanation", items=listing(shown, "semicolon"), more=more),
            evidence=evidence,
            subject="cookies",
        )
    ]


def unknown_recipient(ctx: CheckContext) -> list[Finding]:
    """Third-party recipients whose organisation or country nobody has recorded: hosts unknown to the
    catalogue and to the package data (named by registrable domain, never guessed), and brands known
    only by name. One finding listing them, for a person to review. Decoys: catalogued vendors and the
    site's own hosts."""
    items: dict[str, tuple[Recipient, str]] = {}
    for phase in ctx.classification.phases:
        for recipient in phase.recipients:
            if recipient.jurisdiction.country:
                continue
            items.setdefault(recipient.key, (recipient, phase.phase.value))
    if not items:
        return []
    identifying = any(r.carries_identifiers for r, _ in items.values())
    lines = [
        words("unknown_recipient.brand_only" if recipient.organisation else "unknown_recipient.unknown_organisation",
              name=key, hosts=", ".join(recipient.hosts[:3]))
        for key, (recipient, _) in items.items()
    ]
    evidence = [
        evidence_item(
            words("evidence.request_to", host=e.host),
            kind="request",
            url=e.url,
            page_url=e.page_url,
            phase=Phase(phase_name),
            at_ms=e.started_ms,
        )
        for recipient, phase_name in list(items.values())[:MAX_EVIDENCE_ITEMS]
        for e in recipient.examples[:1]
    ]
    shown = lines[:MAX_LISTED]
    more = words("list.more", n=len(lines) - len(shown)) if len(lines) > len(shown) else None
    return [
        finding(
            "unknown_recipient",
            title=counted("unknown_recipient.title", len(items)),
            severity=Severity.low if identifying else Severity.info,
            confidence=Confidence.medium,
            explanation=words("unknown_recipient.explanation", items=listing(shown, "semicolon"), more=more),
            evidence=evidence,
            subject="recipients",
        )
    ]


RULES = [third_country_transfer, cookie_lifetime_excessive, unclassified_cookie, unknown_recipient]
