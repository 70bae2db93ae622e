"""One scan, end to end: crawl -> classify -> check -> report. The CLI and the Lambda handlers both call
`scan_site`; neither holds a rule of its own."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .check import CheckContext, run_checks
from .crawl.crawler import ConsentDriver, ProgressCallback, crawl_site
from .models import Evidence, ReportSummary, ScanReport
from .settings import ScanOptions
from .urls import scan_id as make_scan_id
from .urls import site_id as make_site_id


def default_consent_driver() -> ConsentDriver | None:
    try:
        from .crawl.consent import make_consent_driver
    except ImportError:
        return None
    return make_consent_driver()


def report_from_evidence(evidence: Evidence) -> ScanReport:
    """Everything after the crawl: pure, so a stored report's evidence can be re-checked with newer rules."""
    from .classify import classify_evidence, observed_recipients
    from .notice.assess import assess_privacy_notice

    classification = classify_evidence(evidence)
    privacy_notice = assess_privacy_notice(evidence, observed_recipients(classification))
    context = CheckContext(evidence=evidence, privacy_notice=privacy_notice, classification=classification)
    findings = run_checks(context)
    pages = [p for phase in evidence.phases for p in phase.pages]
    first = evidence.phases[0] if evidence.phases else None
    summary = ReportSummary(
        pages_visited=len(first.pages) if first else 0,
        pages_failed=sum(1 for p in pages if p.error or (p.status or 200) >= 400),
        cookies=len({(c.name, c.domain) for phase in evidence.phases for c in phase.cookies}),
        third_party_hosts=len({h for phase in evidence.phases for h in phase.third_party_hosts}),
        requests=sum(len(phase.requests) for phase in evidence.phases),
        findings_by_severity=dict(Counter(f.severity.value for f in findings)),
    )
    return ScanReport(
        tool_version=__version__,
        site_url=evidence.site_url,
        site_id=evidence.site_id,
        scan_id=evidence.scan_id,
        started_at=evidence.started_at,
        finished_at=evidence.finished_at,
        complete=evidence.complete,
        incomplete_reason=evidence.incomplete_reason,
        summary=summary,
        findings=findings,
        evidence=evidence,
        privacy_notice=privacy_notice,
        classification=classification,
    )


def scan_site(options: ScanOptions, workdir: Path, consent: ConsentDriver | None = None,
              progress: ProgressCallback | None = None, started_at: datetime | None = None) -> ScanReport:
    started_at = started_at or datetime.now(UTC).replace(microsecond=0)
    site_id = make_site_id(options.site_url)
    scan_id = make_scan_id(options.site_url, started_at.isoformat())
    evidence = asyncio.run(
        crawl_site(options, workdir, started_at, scan_id, site_id, consent=consent, progress=progress)
    )
    return report_from_evidence(evidence)
