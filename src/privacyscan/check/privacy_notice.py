"""Findings about the privacy notice: none found, an Art. 13 item missing from it, or a notice that does
not match what the crawl saw (recipients it does not name, US transfers it does not mention)."""

from __future__ import annotations

from ..models import Confidence, EvidenceItem, Finding, Severity
from ..notice.model import ItemStatus, NoticeAssessment
from .context import CheckContext
from .finding import finding

_ART_13 = "GDPR Art. 13"
# Why an absent source of the data is still reported: the law asks for it only when data come from
# others, but the notice is the only place a visitor can learn whether they do.
_SOURCE_OF_DATA = 11
_WHEN_SOURCE_APPLIES = (
    " It applies whenever personal data come from anyone other than the visitor (partners, public registers,"
    " social networks, an employer, advertising or analytics partners); Datatilsynet's guidance lists the source"
    " among what every notice must contain. If all data come from the visitor, one sentence saying so is enough."
)


def _notice_url(notice: NoticeAssessment) -> str | None:
    return notice.documents[0].url if notice.documents else None


def privacy_notice_missing(ctx: CheckContext) -> list[Finding]:
    """No crawled page looked like a privacy notice (no notice link in header, footer or banner, no page
    titled as one). The decoy: the notice stage did not run (`privacy_notice` is None), which says
    nothing about the site."""
    notice = ctx.privacy_notice
    if notice is None or notice.found:
        return []
    return [
        finding(
            "privacy_notice_missing",
            confidence=Confidence.medium,
            explanation=(
                "privacyscan found no link or page that reads as a privacy notice (e.g. 'Personvern', "
                "'Privacy policy', 'Datenschutz'). A site that collects personal data, including through "
                "cookies and third-party requests, must give visitors the Art. 13 information in an easily "
                "accessible form."
            ),
            evidence=[
                EvidenceItem(
                    kind="note",
                    description=f"candidate pages that were not readable: {', '.join(notice.candidates)}",
                )
            ]
            if notice.candidates
            else [
                EvidenceItem(kind="note", description="no notice-like link or page among the crawled pages")
            ],
            subject=ctx.evidence.site_url,
        )
    ]


def privacy_notice_item_missing(ctx: CheckContext) -> list[Finding]:
    """One finding per Art. 13 item the notice does not give. The decoy: an item that does not apply
    (no legitimate interest relied on, no consent asked for) is `not_applicable`, not missing. The source
    of the data is reported when absent, at low severity, with when it applies."""
    notice = ctx.privacy_notice
    if notice is None or not notice.found:
        return []
    url = _notice_url(notice)
    findings = []
    for item in notice.items:
        if item.status is not ItemStatus.absent:
            continue
        findings.append(
            finding(
                "privacy_notice_item_missing",
                title=f"Privacy notice lacks item {item.number}: {item.title}",
                severity=Severity(item.severity),
                confidence=Confidence(item.confidence),
                legal=[f"{_ART_13} (item {item.number})"],
                explanation=f"The law asks for {item.law[0].lower()}{item.law[1:]} No sentence in the notice gives it."
                + (_WHEN_SOURCE_APPLIES if item.number == _SOURCE_OF_DATA else ""),
                fix=f"Add it to the notice, for example: “{item.example}”",
                evidence=[
                    EvidenceItem(
                        kind="page",
                        description=f"read as the privacy notice ({document.role}, {document.characters} characters)",
                        page_url=document.url,
                    )
                    for document in notice.documents
                ],
                subject=f"{url or ''}#item-{item.number}",
            )
        )
    return findings


def privacy_notice_inconsistent_with_observed(ctx: CheckContext) -> list[Finding]:
    """The crawl saw a recipient the notice never names, or a recipient in a third country (e.g. the US)
    while the notice does not speak of third-country transfers or even says there are none. The decoy: a
    notice that names the brand ('Google Analytics' for Google LLC) or speaks of transfers to third
    countries in general is consistent."""
    notice = ctx.privacy_notice
    if notice is None or not notice.found:
        return []
    url = _notice_url(notice)
    findings = []
    for mention in notice.recipients:
        if mention.named:
            continue
        findings.append(
            finding(
                "privacy_notice_inconsistent_with_observed",
                title=f"Privacy notice does not name {mention.organisation}, which received data",
                confidence=Confidence.medium,
                legal=[f"{_ART_13}(1)(e)"],
                explanation=(
                    f"The browser sent requests to {mention.organisation} ({', '.join(mention.hosts) or 'hosts not recorded'}), "
                    "but the notice names neither it nor one of its services among the recipients."
                ),
                fix=f"Name {mention.organisation} (or its category of recipients) and what it receives in the notice.",
                evidence=[
                    EvidenceItem(kind="note", description=f"requests to {host}") for host in mention.hosts[:5]
                ]
                + [EvidenceItem(kind="page", description="the notice read", page_url=url)],
                subject=f"recipient:{mention.organisation}",
            )
        )
    for transfer in notice.transfers:
        if transfer.mentioned and not transfer.denied:
            continue
        organisations = ", ".join(transfer.organisations)
        if transfer.denied:
            title = f"Privacy notice says data stay in the EU/EEA, but recipients in {transfer.country} received data"
        else:
            title = f"Privacy notice does not mention transfers to {transfer.country}"
        evidence = [
            EvidenceItem(kind="note", description=f"recipients in {transfer.country}: {organisations}")
        ]
        if transfer.quote:
            evidence.append(
                EvidenceItem(
                    kind="quote", description="what the notice says", page_url=url, quote=transfer.quote
                )
            )
        findings.append(
            finding(
                "privacy_notice_inconsistent_with_observed",
                title=title,
                severity=Severity.medium if transfer.denied else Severity.low,
                confidence=Confidence.medium,
                legal=[f"{_ART_13}(1)(f)", "GDPR Art. 44-46"],
                explanation=(
                    f"The crawl saw data go to {organisations}, located in {transfer.country} (outside the EU/EEA). "
                    "The notice must say that data are transferred to a third country and on which safeguard "
                    "(adequacy decision such as the EU-US Data Privacy Framework, or standard contractual clauses)."
                ),
                fix="Describe the transfer, the country and the safeguard in the notice, or stop using the recipient.",
                evidence=evidence,
                subject=f"transfer:{transfer.country}",
            )
        )
    return findings


RULES = [privacy_notice_missing, privacy_notice_item_missing, privacy_notice_inconsistent_with_observed]
