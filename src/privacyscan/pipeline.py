"""One scan's stages, end to end: crawl -> classify -> check -> assembled report. Pure after the crawl, so a
stored report's evidence can be re-checked with newer rules. The use case (`privacyscan.usecase`) wraps
this with storage and outcomes for the CLI and the Lambda handlers."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .check import CheckContext, run_checks
from .check.comparison import consent_comparison
from .check.crawl_health import RULES as CRAWL_HEALTH_RULES
from .classify import classify_evidence
from .classify.identifiers import identifier_params
from .crawl.consent import make_consent_driver
from .crawl.control import StopToken
from .crawl.crawler import ConsentDriver, OnePhaseCrawl, ProgressCallback, crawl_one_phase, crawl_site
from .models import CauseKind, Evidence, Finding, Phase
from .notice import assess_privacy_notice, notice_link_score, observed_recipients
from .report.model import ReportStatus, ReportSummary, ScanReport, ScanScope
from .settings import ScanOptions
from .urls import scan_id as make_scan_id
from .urls import site_id as make_site_id


def default_consent_driver() -> ConsentDriver:
    return make_consent_driver()


def scan_scope(options: ScanOptions) -> ScanScope:
    return ScanScope(phases=list(options.phases), max_pages=options.max_pages, max_depth=options.max_depth,
                     include=list(options.include), exclude=list(options.exclude), seeds=list(options.seeds))


def report_status(evidence: Evidence) -> ReportStatus:
    """Whether the scan looked: a site is reachable when at least one document of the first phase arrived."""
    first = evidence.phases[0] if evidence.phases else None
    attempted = [page for page in first.pages if page.error_kind != "crashed"] if first else []
    if not attempted:
        return "aborted"  # our own fault stopped it before any page: nothing is known about the site
    if not any(page.document_arrived for page in attempted):
        return "refused" if attempted[0].error_kind == "refused" else "unreachable"
    return "complete" if evidence.complete else "incomplete"


def report_from_evidence(evidence: Evidence, scope: ScanScope | None = None) -> ScanReport:
    """Everything after the crawl. A scan that could not look keeps its evidence and the crawl-health
    findings (what failed, and how), and nothing else: no compliance verdict rests on pages never seen."""
    classification = classify_evidence(evidence)
    status = report_status(evidence)
    if status in ("unreachable", "refused", "aborted"):
        privacy_notice = None
        findings = run_checks(CheckContext(evidence=evidence, classification=classification), CRAWL_HEALTH_RULES)
        if status != "aborted" and not any(c.kind.value == status for c in evidence.causes):
            start = evidence.phases[0].pages[0] if evidence.phases and evidence.phases[0].pages else None
            detail = start.error if start and start.error else "no page could be loaded"
            evidence.add_cause(CauseKind(status), detail, evidence.phases[0].phase if evidence.phases else None)
    else:
        privacy_notice = assess_privacy_notice(evidence, observed_recipients(classification))
        context = CheckContext(evidence=evidence, privacy_notice=privacy_notice, classification=classification)
        findings = run_checks(context)
    return ScanReport(
        tool_version=__version__,
        site_url=evidence.site_url,
        site_id=evidence.site_id,
        scan_id=evidence.scan_id,
        started_at=evidence.started_at,
        finished_at=evidence.finished_at,
        status=status,
        complete=evidence.complete,
        incomplete_reason=evidence.incomplete_reason,
        causes=list(evidence.causes),
        scope=scope,
        summary=_summary(evidence, findings),
        findings=findings,
        evidence=evidence,
        privacy_notice=privacy_notice,
        classification=classification,
        consent_comparison=consent_comparison(evidence, classification),
    )


def _summary(evidence: Evidence, findings: list[Finding]) -> ReportSummary:
    pages = [p for phase in evidence.phases for p in phase.pages]
    first = evidence.phases[0] if evidence.phases else None
    return ReportSummary(
        pages_visited=len(first.pages) if first else 0,
        pages_failed=sum(1 for p in pages if p.error or (p.status or 200) >= 400),
        cookies=len({(c.name, c.domain) for phase in evidence.phases for c in phase.cookies}),
        third_party_hosts=len({h for phase in evidence.phases for h in phase.third_party_hosts}),
        requests=sum(len(phase.requests) for phase in evidence.phases),
        findings_by_severity=dict(Counter(f.severity.value for f in findings)),
    )


def scan_site(options: ScanOptions, workdir: Path, consent: ConsentDriver | None = None,
              progress: ProgressCallback | None = None, *, scan_id: str | None = None, site_id: str | None = None,
              started_at: datetime | None = None, stop: StopToken | None = None) -> ScanReport:
    """Crawl the site (judgements the crawler needs are passed in from the later stages) and assemble the
    report. Ids default to fresh ones for this site and moment."""
    started_at = started_at or datetime.now(UTC).replace(microsecond=0)
    site_id = site_id or make_site_id(options.site_url)
    scan_id = scan_id or make_scan_id(options.site_url, started_at)
    evidence = asyncio.run(
        crawl_site(options, workdir, started_at, scan_id, site_id, consent=consent, progress=progress,
                   link_priority=notice_link_score, identifiers=identifier_params, stop=stop)
    )
    return report_from_evidence(evidence, scan_scope(options))


def crawl_phase(options: ScanOptions, workdir: Path, phase: Phase, pages: list[str] | None = None, *, scan_id: str,
                site_id: str, started_at: datetime, consent: ConsentDriver | None = None,
                progress: ProgressCallback | None = None, stop: StopToken | None = None) -> OnePhaseCrawl:
    """One phase of a scan on its own (a fanned-out scan's part), with the same judgements from the later
    stages as `scan_site`; its report comes later, from every part's evidence (`report_from_evidence`)."""
    return asyncio.run(
        crawl_one_phase(options, workdir, started_at, scan_id, site_id, phase, pages, consent=consent,
                        progress=progress, link_priority=notice_link_score, identifiers=identifier_params, stop=stop)
    )
