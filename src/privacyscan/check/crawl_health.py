"""Findings about the scan itself: pages that failed, requests the SSRF guard refused. They tell the
reader which parts of the site the other findings do not cover."""

from __future__ import annotations

from ..models import Finding
from ..wording import words
from .context import CheckContext
from .finding import evidence_item, finding


def pages_that_failed(ctx: CheckContext) -> list[Finding]:
    """A page that errored or answered >= 400 was not inspected as a visitor sees it; reported once, in
    the first phase it failed in (the consent phases revisit the same pages). The decoy: a page that
    answered 200 after a redirect is fine."""
    findings = []
    reported: set[str] = set()
    for phase in ctx.evidence.phases:
        for page in phase.pages:
            if (page.error is None and (page.status or 200) < 400) or page.url in reported:
                continue
            reported.add(page.url)
            reason = page.error or f"HTTP {page.status}"
            findings.append(
                finding(
                    "page_failed",
                    title=words("page_failed.title", reason=reason),
                    phase=phase.phase,
                    explanation=words("page_failed.explanation"),
                    evidence=[evidence_item(words("verbatim", text=reason), kind="page", page_url=page.url,
                                            phase=phase.phase)],
                    subject=page.url,
                )
            )
    return findings


def requests_refused(ctx: CheckContext) -> list[Finding]:
    """The site made the browser fetch a private, loopback or link-local address, which privacyscan
    refused (SSRF guard). Ordinary third-party requests are not this."""
    findings = []
    for phase in ctx.evidence.phases:
        for request in phase.requests:
            if not request.blocked_reason:
                continue
            findings.append(
                finding(
                    "request_to_private_network",
                    title=words("request_to_private_network.title", host=request.host),
                    phase=phase.phase,
                    explanation=words("request_to_private_network.explanation", reason=request.blocked_reason),
                    evidence=[
                        evidence_item(words("verbatim", text=request.blocked_reason), kind="request", url=request.url,
                                      page_url=request.page_url, phase=phase.phase, at_ms=request.started_ms)
                    ],
                    subject=request.url,
                )
            )
    return findings


RULES = [pages_that_failed, requests_refused]
