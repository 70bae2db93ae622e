"""Findings about the privacy notice: none found, an Art. 13 item missing from it, or a notice that does
not match what the crawl saw (recipients it does not name, US transfers it does not mention)."""

from __future__ import annotations

from ..models import Confidence, Finding, Severity
from ..notice.model import ItemStatus, NoticeAssessment
from ..wording import country_words, words
from .context import CheckContext
from .finding import evidence_item, finding

_ART_13 = "GDPR Art. 13"
# Why an absent source of the data is still reported (`privacy_notice_item_missing.when_source_applies`): the
# law asks for it only when data come from others, but the notice is the only place a visitor can learn
# whether they do.
_SOURCE_OF_DATA = 11


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
            explanation=words("privacy_notice_missing.explanation"),
            evidence=[
                evidence_item(words("evidence.unreadable_candidates", pages=", ".join(notice.candidates)),
                              kind="note")
            ]
            if notice.candidates
            else [evidence_item(words("evidence.no_notice_candidates"), kind="note")],
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
                title=words("privacy_notice_item_missing.title", number=item.number,
                            item=words(f"notice_item.title.{item.key}")),
                severity=Severity(item.severity),
                confidence=Confidence(item.confidence),
                legal=[f"{_ART_13} (item {item.number})"],
                explanation=words(
                    "privacy_notice_item_missing.explanation", law=words(f"notice_item.law.{item.key}"),
                    source=words("privacy_notice_item_missing.when_source_applies")
                    if item.number == _SOURCE_OF_DATA else None,
                ),
                fix=words("privacy_notice_item_missing.fix", example=item.example),
                evidence=[
                    evidence_item(
                        words("evidence.read_as_notice", role=words(f"notice_role.{document.role}"),
                              characters=document.characters),
                        kind="page",
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
                title=words("notice_inconsistent.unnamed_title", org=mention.organisation),
                confidence=Confidence.medium,
                legal=[f"{_ART_13}(1)(e)"],
                explanation=words("notice_inconsistent.unnamed_explanation", org=mention.organisation,
                                  hosts=", ".join(mention.hosts) or words("notice_inconsistent.hosts_not_recorded")),
                fix=words("notice_inconsistent.unnamed_fix", org=mention.organisation),
                evidence=[
                    evidence_item(words("evidence.requests_to", host=host), kind="note") for host in mention.hosts[:5]
                ]
                + [evidence_item(words("evidence.notice_read"), kind="page", page_url=url)],
                subject=f"recipient:{mention.organisation}",
            )
        )
    for transfer in notice.transfers:
        if transfer.mentioned and not transfer.denied:
            continue
        organisations = ", ".join(transfer.organisations)
        country = country_words(transfer.country)
        title = words("notice_inconsistent.denied_title" if transfer.denied else "notice_inconsistent.transfer_title",
                      country=country)
        evidence = [
            evidence_item(words("evidence.recipients_in", country=country, orgs=organisations), kind="note")
        ]
        if transfer.quote:
            evidence.append(
                evidence_item(words("evidence.notice_says"), kind="quote", page_url=url, quote=transfer.quote)
            )
        findings.append(
            finding(
                "privacy_notice_inconsistent_with_observed",
                title=title,
                severity=Severity.medium if transfer.denied else Severity.low,
                confidence=Confidence.medium,
                legal=[f"{_ART_13}(1)(f)", "GDPR Art. 44-46"],
                explanation=words("notice_inconsistent.transfer_explanation", orgs=organisations, country=country),
                fix=words("notice_inconsistent.transfer_fix"),
                evidence=evidence,
                subject=f"transfer:{transfer.country}",
            )
        )
    return findings


RULES = [privacy_notice_missing, privacy_notice_item_missing, privacy_notice_inconsistent_with_observed]
