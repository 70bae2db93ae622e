"""Findings about the scan itself."""

from __future__ import annotations

from datetime import UTC, datetime

from privacyscan.check import CheckContext
from privacyscan.check.crawl_health import pages_that_failed
from privacyscan.models import Evidence, PageRecord, Phase, PhaseEvidence

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def test_a_page_failing_in_every_phase_is_reported_once_and_a_redirected_page_not_at_all():
    pages = [PageRecord(url="https://x.example/gone", status=404),
             PageRecord(url="https://x.example/old", final_url="https://x.example/new", status=200)]
    phases = [PhaseEvidence(phase=p, started_at=NOW, pages=pages) for p in Phase]
    evidence = Evidence(site_url="https://x.example/", site_id="x", registrable_domain="x.example", scan_id="s",
                        started_at=NOW, phases=phases)
    findings = pages_that_failed(CheckContext(evidence=evidence))
    assert [(f.subject, f.phase) for f in findings] == [("https://x.example/gone", Phase.before_consent)]
