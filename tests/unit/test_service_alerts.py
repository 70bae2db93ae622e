"""Change alerts: new and resolved findings against the site's previous comparable scan, in words a person
reads; nothing is sent when nothing changed or when the scan could not look at the site."""

from __future__ import annotations

from datetime import UTC, datetime

from privacyscan.models import Evidence, Finding, PageRecord, Phase, PhaseEvidence, Severity, Wording
from privacyscan.pipeline import report_from_evidence
from privacyscan.service.alerts import (
    change_alert,
    comparable,
    previous_comparable,
    split_report_key,
)

NOW = datetime(2026, 11, 23, tzinfo=UTC)
UNREACHABLE_KIND = {"error_kind": "no_document"}
LINK = "s3://findings/sites/s/scans/b/report.json"


def report(scan_id: str, findings: list[tuple[str, str]], *, reached: bool = True,
           phases: tuple[Phase, ...] = (Phase.before_consent,), lang: str | None = None):
    page = PageRecord(url="https://example.no/", status=200, title="Home", lang=lang) if reached else \
        PageRecord(url="https://example.no/", error="net::ERR_NAME_NOT_RESOLVED", **UNREACHABLE_KIND)
    r = report_from_evidence(Evidence(
        site_url="https://example.no/", site_id="s", registrable_domain="example.no", scan_id=scan_id,
        started_at=NOW, phases=[PhaseEvidence(phase=p, started_at=NOW, pages=[page]) for p in phases]))
    r.findings = [Finding(rule_id=rule, title=f"{rule} by {subject}", severity=Severity.high, explanation="", fix="",
                          subject=subject, phase=Phase.before_consent) for rule, subject in findings]
    return r


def test_new_and_resolved_findings_make_a_readable_alert():
    old = report("20261122T060000-aaa", [("tracking_before_consent", "Google LLC")])
    new = report("20261123T060000-bbb", [("tracking_before_consent", "Meta Platforms, Inc.")])
    subject, body = change_alert(new, old, LINK)
    assert subject == "privacyscan: example.no: 1 new, 1 resolved"
    assert "New findings (1):\n  - [high] tracking_before_consent: tracking_before_consent by Meta Platforms, Inc." in body
    assert "Resolved findings (1):\n  - [high] tracking_before_consent: tracking_before_consent by Google LLC" in body
    assert f"Report: {LINK}" in body and "Compared with: 20261122T060000-aaa" in body


def test_a_norwegian_site_hears_in_norwegian_with_the_findings_own_titles():
    """The alert follows the report's language (the site's own, as its HTML report); subject ASCII for SNS."""
    old = report("20261122T060000-aaa", [("tracking_before_consent", "Google LLC")], lang="nb")
    new = report("20261123T060000-bbb", [("tracking_before_consent", "Meta Platforms, Inc.")], lang="nb")
    new.findings[0].title_wording = Wording(key="tracking_before_consent.title", values={
        "service": "Meta Pixel", "category": Wording(key="category.advertising")})
    subject, body = change_alert(new, old, LINK)
    assert subject == "privacyscan: example.no: 1 nye, 1 rettet" and subject.isascii()
    assert "Nye funn (1):\n  - [høy] tracking_before_consent: Meta Pixel (annonsering) kjører før" in body
    assert "Rettede funn (1):" in body and f"Rapport: {LINK}" in body and "Sammenlignet med: 20261122T060000-aaa" in body
    english_subject, english_body = change_alert(new, old, LINK, lang="en")  # asked for: English
    assert english_subject.endswith("1 new, 1 resolved") and "Meta Pixel (advertising) runs before" in english_body


def test_no_alert_when_nothing_changed():
    old = report("20261122T060000-aaa", [("tracking_before_consent", "Google LLC")])
    new = report("20261123T060000-bbb", [("tracking_before_consent", "Google LLC")])
    assert change_alert(new, old, LINK) is None


def test_first_scan_reports_every_finding_as_new_and_a_clean_first_scan_sends_nothing():
    subject, body = change_alert(report("b", [("implied_consent", "banner")]), None, LINK)
    assert subject.endswith("1 new, 0 resolved") and "First scan of this site" in body
    assert change_alert(report("b", []), None, LINK) is None


def test_an_unreachable_scan_is_no_verdict():
    old = report("20261122T060000-aaa", [("tracking_before_consent", "Google LLC")])
    unreachable = report("20261123T060000-bbb", [], reached=False)
    assert not unreachable.looked
    assert change_alert(unreachable, old, LINK) is None  # not "1 resolved"


def test_previous_comparable_skips_unreachable_and_narrower_scans(tmp_path):
    from privacyscan.store import LocalStore

    store = LocalStore(tmp_path)
    full = (Phase.before_consent, Phase.after_reject)
    baseline = report("20261120T060000-aaa", [("tracking_before_consent", "Google LLC")], phases=full)
    narrower = report("20261121T060000-bbb", [], phases=(Phase.before_consent,))
    unreachable = report("20261122T060000-ccc", [], reached=False, phases=full)
    later = report("20261124T060000-eee", [], phases=full)  # decoy: after the new scan
    new = report("20261123T060000-ddd", [], phases=full)
    for r in (baseline, narrower, unreachable, later, new):
        store.put_report(r)
    assert not comparable(narrower, new)
    previous = previous_comparable(store, new)
    assert previous is not None and previous.scan_id == baseline.scan_id
    subject, _ = change_alert(new, previous, LINK)
    assert subject.endswith("0 new, 1 resolved")


def test_previous_comparable_orders_scheduled_and_ad_hoc_scans_by_time(tmp_path):
    """Scheduled scans are `sched-<stamp>`, ad hoc ones `<stamp>-<random>` (urls.scan_id): as plain strings
    every scheduled id sorts after every ad hoc one. Decoys: a later ad hoc scan before a scheduled one,
    a later scheduled scan after an ad hoc one."""
    from privacyscan.store import LocalStore

    store = LocalStore(tmp_path)
    sched_early = report("sched-20261120T060000Z", [("tracking_before_consent", "Google LLC")])
    adhoc_mid = report("20261121T120000Z-aaaaaaaaaa", [("tracking_before_consent", "Meta")])
    sched_late = report("sched-20261122T060000Z", [])
    adhoc_late = report("20261123T120000Z-bbbbbbbbbb", [])
    for r in (sched_early, adhoc_mid, sched_late, adhoc_late):
        store.put_report(r)
    assert previous_comparable(store, adhoc_late).scan_id == sched_late.scan_id
    assert previous_comparable(store, sched_late).scan_id == adhoc_mid.scan_id
    assert previous_comparable(store, adhoc_mid).scan_id == sched_early.scan_id
    assert previous_comparable(store, sched_early) is None


def test_report_keys():
    assert split_report_key("prefix/a/sites/www.example.no-1/scans/20261123T060000-abc/report.json") == \
        ("prefix/a", "www.example.no-1", "20261123T060000-abc")
    assert split_report_key("sites/s/scans/x/report.json") == ("", "s", "x")
    assert split_report_key("sites/s/latest.json") is None
    assert split_report_key("sites/s/scans/x/report.html") is None
    assert split_report_key("sites/s/scans/x/screenshots/report.json") is None


def test_previous_comparable_passes_over_a_report_it_cannot_read(tmp_path):
    from privacyscan.store import LocalStore

    store = LocalStore(tmp_path)
    baseline = report("20261120T060000Z-aaaaaaaaaa", [("tracking_before_consent", "Google LLC")])
    new = report("20261123T060000Z-cccccccccc", [])
    store.put_report(baseline)
    broken = tmp_path / "sites/s/scans/20261121T060000Z-bbbbbbbbbb"  # decoy: newer than the baseline
    broken.mkdir(parents=True)
    (broken / "report.json").write_text("{not json")
    assert previous_comparable(store, new).scan_id == baseline.scan_id
