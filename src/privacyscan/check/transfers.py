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
from ..models import Confidence, EvidenceItem, Finding, Phase, Severity
from .context import CheckContext
from .finding import finding

# CNIL's guidelines and recommendation on cookies (deliberations 2020-091 and 2020-092 of 17 September
# 2020) cap the lifetime of consent and tracking cookies at 13 months; 13 x 30.4 days is about 395.
MAX_COOKIE_DAYS = 395
MAX_EVIDENCE_ITEMS = 30
MAX_LISTED = 40

CHAPTER_V = ["GDPR Art. 44", "GDPR Art. 45", "GDPR Art. 46", "GDPR Art. 49", "CJEU C-311/18 (Schrems II)"]
EPRIVACY = "ePrivacy Directive 2002/58/EC Art. 5(3)"

SCHREMS_CONTEXT = (
    "In Schrems II (CJEU C-311/18, 16 July 2020) the Court struck down the Privacy Shield because US "
    "surveillance law (FISA s.702, EO 12333) reaches data held by US providers; the Austrian DSB "
    "(decision of December 2021, published January 2022) then held that a site's use of Google Analytics "
    "transferred personal data (cookie ids and the IP address) to the US in breach of Art. 44, and Norway's "
    "Datatilsynet has taken the same line."
)
DPF_CERTIFIED = (
    "{org} is recorded as certified under the EU-US Data Privacy Framework (checked {checked_on}; verify at "
    "{source}), so the Commission's adequacy decision (EU) 2023/1795 can cover the transfer if the "
    "certification covers this data. The General Court upheld that decision in Latombe v Commission "
    "(T-553/23, 3 September 2025), but it rests on US Executive Order 14086 and can fall as the Privacy "
    "Shield did."
)
DPF_MISSING = (
    "No Data Privacy Framework certification is recorded for {org} (status: {status}, checked {checked_on}; "
    "verify at {source}): the transfer needs standard contractual clauses with supplementary measures "
    "that work in practice, or an Art. 49 derogation."
)
NO_ADEQUACY = (
    "{country} has no EU adequacy decision: a transfer needs Art. 46 safeguards that are effective against "
    "access by that country's public authorities, or an Art. 49 derogation."
)
FONTS_CONTEXT = (
    " A German court (LG München I, 20 January 2022, 3 O 17493/20) held that passing a visitor's IP address "
    "to Google by embedding Google Fonts, without consent, infringed their rights."
)

FIX_BY_CATEGORY: dict[Category, str] = {
    Category.fonts: "Self-host the fonts: download the font files and serve them from your own domain, so no "
    "third-party request is made.",
    Category.video: "Use youtube-nocookie.com (or the provider's privacy mode) and load the player only on "
    "click, showing a local preview image until the visitor asks for the video; or host the video yourself.",
    Category.maps: "Show a static map image and load the interactive map only on click, or use map tiles from "
    "an EEA provider.",
    Category.captcha: "Load the CAPTCHA only on the form that needs it, after telling the visitor, or switch to "
    "an EEA CAPTCHA service.",
    Category.analytics: "Switch to an EU analytics tool (self-hosted Matomo, Plausible, Piwik PRO) or to "
    "server-side tagging with IP truncation, so no identifier leaves the EEA.",
    Category.session_replay: "Switch to an EU session-replay tool, or record only after consent and document the "
    "Chapter V basis.",
    Category.tag_manager: "Self-host the container or use server-side tagging in the EEA with IP truncation; "
    "load vendor tags only after consent.",
    Category.advertising: "Load the pixel only after consent, and document the Chapter V basis (DPF "
    "certification or SCCs with a transfer impact assessment); prefer a server-side conversion API that "
    "strips identifiers.",
    Category.social: "Replace embedded social plugins with plain links, or load them only on click after "
    "consent.",
}
FIX_DEFAULT = (
    "Use an EEA-based provider or self-host the resource; otherwise document the Chapter V basis (DPF "
    "certification, or SCCs with a transfer impact assessment) and name the recipient and country in the "
    "privacy notice."
)
FIX_PRIVACY_ENHANCED = (
    "Load the youtube-nocookie.com player only on click (a local preview image until then): even without "
    "cookies it sends the visitor's IP address to Google."
)
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


def _what_was_sent(recipient: Recipient) -> str:
    parts = []
    if recipient.cookies_sent:
        parts.append("cookies " + ", ".join(recipient.cookies_sent[:10]))
    if recipient.identifiers_sent:
        parts.append("identifier parameters " + ", ".join(recipient.identifiers_sent[:10]))
    attributed = [c for c in recipient.cookies if c not in recipient.cookies_sent]
    if attributed:
        parts.append("ids from its cookies " + ", ".join(attributed[:10]))
    parts.append("the visitor's IP address")
    return "; ".join(parts)


def _legal_context(recipient: Recipient) -> str:
    jurisdiction = recipient.jurisdiction
    org = recipient.organisation or "the recipient"
    dpf = recipient.dpf
    checked = dpf.checked_on.isoformat() if dpf.checked_on else "never"
    source = dpf.source or "https://www.dataprivacyframework.gov/list"
    if jurisdiction.adequacy in (Adequacy.eea, Adequacy.adequacy_decision):
        return jurisdiction.explanation
    if jurisdiction.country == "US":
        if dpf.status is DpfStatus.certified:
            text = DPF_CERTIFIED.format(org=org, checked_on=checked, source=source)
        else:
            text = DPF_MISSING.format(org=org, status=dpf.status.value, checked_on=checked, source=source)
        text += " " + SCHREMS_CONTEXT
    else:
        text = NO_ADEQUACY.format(country=jurisdiction.country)
    if jurisdiction.eea_entity:
        text += " " + jurisdiction.explanation
    return text.strip()


def _fix(recipient: Recipient) -> str:
    if recipient.privacy_enhanced_only:
        return FIX_PRIVACY_ENHANCED
    for category in _FIX_ORDER:
        if category in recipient.categories:
            return FIX_BY_CATEGORY[category]
    return FIX_DEFAULT


def _transfer_finding(phase: Phase, recipient: Recipient, severity: Severity) -> Finding:
    jurisdiction = recipient.jurisdiction
    where = jurisdiction.country or "?"
    if jurisdiction.adequacy in (Adequacy.eea, Adequacy.adequacy_decision):
        where = ", ".join(jurisdiction.onward_countries)
        title = f"Data to {recipient.organisation}, which is accessed from {where}"
    else:
        title = f"Personal data sent to {recipient.organisation} ({where})"
    pages = len(recipient.pages)
    explanation = (
        f"{recipient.requests} request(s) from {pages} page(s) to {', '.join(recipient.hosts)} "
        f"({', '.join(recipient.services) or 'no catalogued service'}) sent {_what_was_sent(recipient)} "
        f"to {recipient.organisation}, established in {jurisdiction.country or 'an unknown country'}. "
        + _legal_context(recipient)
    )
    if Category.fonts in recipient.categories:
        explanation += FONTS_CONTEXT
    if recipient.privacy_enhanced_only:
        explanation += (
            " Only the privacy-enhanced host was used: no cookies before play, but the IP address "
            "still reaches the recipient, so this is reported at a lower severity."
        )
    evidence = [
        EvidenceItem(
            kind="request",
            description=f"request to {e.host}",
            url=e.url,
            page_url=e.page_url,
            phase=phase,
            at_ms=e.started_ms,
        )
        for e in recipient.examples
    ]
    evidence.extend(
        EvidenceItem(
            kind="cookie", description=f"cookie {name} attributed to {recipient.organisation}", phase=phase
        )
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
        subject=recipient.organisation or ",".join(recipient.registrable_domains),
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
            owner = label.organisation or label.service or "the site"
            days = round(label.lifetime_days, 1)
            findings.append(
                finding(
                    "cookie_lifetime_excessive",
                    title=f"Cookie {label.name} lives {days:g} days (over 13 months)",
                    confidence=Confidence.high if label.basis != "name only" else Confidence.medium,
                    phase=phase.phase,
                    explanation=(
                        f"The {label.category.value.replace('_', ' ')} cookie {label.name} on {label.domain} "
                        f"({owner}) expires {days:g} days after it was set ({days / 30.44:.1f} months). Regulators "
                        f"(CNIL) expect consent and tracking cookies to expire within 13 months, after which "
                        f"consent must be asked again."
                    ),
                    fix=f"Set the cookie's expiry to at most 13 months (395 days) in the tool's configuration "
                    f"(for Google Analytics: cookie_expires in seconds); {label.name} now asks for {days:g} days.",
                    evidence=[
                        EvidenceItem(
                            kind="cookie",
                            description=f"{label.name} ({label.domain}), {days:g} days",
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
        f"{label.name} ({label.domain})"
        + (f", named like {label.service}'s" if label.basis == "name only" else "")
        for label, _ in items.values()
    ]
    evidence = [
        EvidenceItem(
            kind="cookie",
            description=f"{label.name} on {label.domain}, {label.party.value} party"
            + (
                f"; looks like {label.service} but no request to it was seen"
                if label.basis == "name only"
                else ""
            ),
            page_url=label.page_url or None,
            phase=Phase(phase_name),
            at_ms=label.at_ms,
        )
        for label, phase_name in list(items.values())[:MAX_EVIDENCE_ITEMS]
    ]
    shown = names[:MAX_LISTED]
    more = f" and {len(names) - len(shown)} more" if len(names) > len(shown) else ""
    return [
        finding(
            "unclassified_cookie",
            title=f"{len(items)} cookie(s) privacyscan could not attribute",
            confidence=Confidence.medium,
            explanation="No catalogue entry names the organisation behind these cookies: "
            + "; ".join(shown)
            + more
            + ". A first-party cookie named like a vendor's can also come from a vendor "
            "reached through the site's own subdomain (CNAME or server-side tagging), which a browser cannot see.",
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
            key = recipient.organisation or ",".join(recipient.registrable_domains)
            items.setdefault(key, (recipient, phase.phase.value))
    if not items:
        return []
    identifying = any(r.carries_identifiers for r, _ in items.values())
    lines = []
    for key, (recipient, _) in items.items():
        if recipient.organisation:
            lines.append(f"{key} (brand only, country not recorded: {', '.join(recipient.hosts[:3])})")
        else:
            lines.append(f"{key} (unknown organisation: {', '.join(recipient.hosts[:3])})")
    evidence = [
        EvidenceItem(
            kind="request",
            description=f"request to {e.host}",
            url=e.url,
            page_url=e.page_url,
            phase=Phase(phase_name),
            at_ms=e.started_ms,
        )
        for recipient, phase_name in list(items.values())[:MAX_EVIDENCE_ITEMS]
        for e in recipient.examples[:1]
    ]
    shown = lines[:MAX_LISTED]
    more = f" and {len(lines) - len(shown)} more" if len(lines) > len(shown) else ""
    return [
        finding(
            "unknown_recipient",
            title=f"{len(items)} recipient(s) whose organisation or country is not known",
            severity=Severity.low if identifying else Severity.info,
            confidence=Confidence.medium,
            explanation="The visitor's browser sent requests to these third parties, but privacyscan's vendor "
            "catalogue does not say who runs them or where: " + "; ".join(shown) + more + ".",
            evidence=evidence,
            subject="recipients",
        )
    ]


RULES = [third_country_transfer, cookie_lifetime_excessive, unclassified_cookie, unknown_recipient]
