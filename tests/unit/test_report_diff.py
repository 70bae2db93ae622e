"""The diff against the previous scan: new and resolved findings by fingerprint, cookies and hosts."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner

from privacyscan.cli import main
from privacyscan.models import (
    CookieRecord,
    Evidence,
    Finding,
    PageRecord,
    Phase,
    PhaseEvidence,
    RequestRecord,
    Severity,
)
from privacyscan.pipeline import report_from_evidence
from privacyscan.report.diff import diff_reports

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def report(scan_id: str, cookies: list[str], hosts: list[str], findings: list[tuple[str, str]]):
    phase = PhaseEvidence(
        phase=Phase.before_consent, started_at=NOW, pages=[PageRecord(url="https://example.no/", status=200)],
        cookies=[CookieRecord(name=c, value="1", domain="example.no", first_seen_page="https://example.no/",
                              first_seen_ms=1) for c in cookies],
        requests=[RequestRecord(url=f"https://{h}/x", host=h, page_url="https://example.no/", started_ms=1)
                  for h in hosts],
    )
    r = report_from_evidence(Evidence(site_url="https://example.no/", site_id="s", registrable_domain="example.no",
                                      scan_id=scan_id, started_at=NOW, phases=[phase]))
    r.findings = [Finding(rule_id=rule, title=rule, severity=Severity.high, explanation="", fix="", subject=subject,
                          phase=Phase.before_consent) for rule, subject in findings]
    return r


def test_new_and_resolved_findings_and_inventory_changes():
    old = report("a", ["_ga", "sid"], ["www.google-analytics.com"], [("tracking_before_consent", "Google LLC")])
    new = report("b", ["sid", "_fbp"], ["connect.facebook.net"], [("tracking_before_consent", "Meta Platforms, Inc.")])
    diff = diff_reports(old, new)
    assert [f.subject for f in diff.new_findings] == ["Meta Platforms, Inc."]
    assert [f.subject for f in diff.resolved_findings] == ["Google LLC"]
    assert diff.cookies_added == ["_fbp@example.no"] and diff.cookies_removed == ["_ga@example.no"]
    assert diff.third_party_hosts_added == ["connect.facebook.net"]
    assert diff.third_party_hosts_removed == ["www.google-analytics.com"]


def test_the_same_scan_twice_is_unchanged():
    a = report("a", ["sid"], ["cdn.example.com"], [("page_failed", "https://example.no/x")])
    assert diff_reports(a, a).unchanged


def test_diff_command_exits_1_on_new_findings(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(report("a", [], [], []).model_dump_json())
    new.write_text(report("b", [], [], [("implied_consent", "banner")]).model_dump_json())
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 1 and "1 new and 0 resolved findings" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    result = CliRunner().invoke(main, ["diff", str(bad), str(new)])
    assert result.exit_code == 2 and "not a privacyscan report" in result.output
