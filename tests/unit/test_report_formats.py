"""Report formats: hostile site content never becomes markup, CI formats carry every finding."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from privacyscan.gate import Policy, decide_report
from privacyscan.models import (
    Confidence,
    CookieRecord,
    Evidence,
    EvidenceItem,
    Finding,
    PageRecord,
    Phase,
    PhaseEvidence,
    Severity,
    StorageItem,
)
from privacyscan.pipeline import report_from_evidence
from privacyscan.report import render

HOSTILE = '<script>alert("x")</script>'
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def hostile_report():
    phase = PhaseEvidence(
        phase=Phase.before_consent, started_at=NOW,
        pages=[PageRecord(url="https://evil.example/", title=HOSTILE, status=200)],
        cookies=[CookieRecord(name=HOSTILE, value=HOSTILE, domain="evil.example", first_seen_page="https://evil.example/",
                              first_seen_ms=1.0)],
        storage=[StorageItem(kind="local", origin="https://evil.example", key="<img src=x onerror=alert(1)>",
                             page_url="https://evil.example/")],
    )
    evidence = Evidence(site_url="https://evil.example/", site_id="evil", registrable_domain="evil.example",
                        scan_id="s1", started_at=NOW, phases=[phase])
    report = report_from_evidence(evidence)
    report.findings.append(Finding(
        rule_id="demo_rule", title=f"Cookie {HOSTILE}", severity=Severity.high, confidence=Confidence.high,
        explanation=HOSTILE, fix="Remove it.", subject=HOSTILE, legal_reference=["ePrivacy Art. 5(3)"],
        evidence=[EvidenceItem(kind="cookie", description=HOSTILE, quote=HOSTILE, url="javascript:alert(1)")],
    ))
    return report


def test_a_cookie_named_script_cannot_run_in_the_html_report():
    html = render(hostile_report(), "html")["report.html"].decode()
    assert "<script" not in html.lower()
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html  # only ever as escaped text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert re.search(r"Content-Security-Policy\" content=\"default-src 'none'", html)
    assert 'href="javascript:' not in html


def test_sarif_and_junit_carry_every_finding():
    report = hostile_report()
    sarif = json.loads(render(report, "sarif")["report.sarif"])
    results = sarif["runs"][0]["results"]
    assert len(results) == len(report.findings)
    assert {r["ruleId"] for r in results} == {f.rule_id for f in report.findings}
    junit = ET.fromstring(render(report, "junit")["report.junit.xml"])
    # One test case per check now (tests/unit/test_junit_checks.py); every finding is still carried, in the
    # failure (or output) of its check's case, and a check fails exactly when the gate fails a finding of it.
    cases = {case.get("name").split(" [")[0]: case for case in junit.iter("testcase")}
    for f in report.findings:
        case = cases[f.rule_id]
        assert any(f.subject in (el.text or "") for el in case)
    gate = decide_report(report, Policy())
    failing_rules = {v.rule_id for v in gate.verdicts if v.fails}
    assert int(junit.get("failures")) == len(failing_rules) == sum(
        1 for case in cases.values() if case.find("failure") is not None)
    assert failing_rules == {r for r, case in cases.items() if case.find("failure") is not None}
