"""Findings about the scan itself."""

from __future__ import annotations

from privacyscan.check.crawl_health import pages_that_failed
from privacyscan.models import PageRecord, Phase

from ..builders import Shop, classified, phase

SHOP = Shop("https://x.example/")


def test_a_page_failing_in_every_phase_is_reported_once_and_a_redirected_page_not_at_all():
    pages = [PageRecord(url="https://x.example/gone", status=404),
             PageRecord(url="https://x.example/old", final_url="https://x.example/new", status=200)]
    evidence = SHOP.evidence(*(phase(p, pages=pages) for p in Phase))
    findings = pages_that_failed(classified(evidence))
    assert [(f.subject, f.phase) for f in findings] == [("https://x.example/gone", Phase.before_consent)]
