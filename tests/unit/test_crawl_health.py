"""Findings about the scan itself."""

from __future__ import annotations

from privacyscan.check.crawl_health import pages_that_failed, requests_refused
from privacyscan.models import PageRecord, Phase

from ..builders import Shop, classified, phase

SHOP = Shop("https://x.example/")


def test_a_page_failing_in_every_phase_is_reported_once_and_a_redirected_page_not_at_all():
    pages = [PageRecord(url="https://x.example/gone", status=404),
             PageRecord(url="https://x.example/old", final_url="https://x.example/new", status=200)]
    evidence = SHOP.evidence(*(phase(p, pages=pages) for p in Phase))
    findings = pages_that_failed(classified(evidence))
    assert [(f.subject, f.phase) for f in findings] == [("https://x.example/gone", Phase.before_consent)]


def test_a_request_the_ssrf_guard_refused_is_reported_with_its_reason_and_an_ordinary_one_is_not():
    refused = SHOP.request("http://192.168.1.10/admin", at=250.0, blocked_reason="private address 192.168.1.10")
    ordinary = SHOP.request("www.google-analytics.com")
    evidence = SHOP.evidence(phase(Phase.before_consent, pages=[SHOP.page()], requests=[refused, ordinary]))
    [finding] = requests_refused(classified(evidence))
    assert finding.rule_id == "request_to_private_network"
    assert (finding.subject, finding.phase) == ("http://192.168.1.10/admin", Phase.before_consent)
    assert "192.168.1.10" in finding.title and "private address 192.168.1.10" in finding.explanation
    [item] = finding.evidence
    assert (item.kind, item.url, item.at_ms, item.description) == (
        "request", "http://192.168.1.10/admin", 250.0, "private address 192.168.1.10")
    assert item.page_url == refused.page_url
