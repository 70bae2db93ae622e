"""The portfolio row's "change since the previous scan" compares with the same scan as the stored diff and
the alert (`store.previous_comparable`), reading the store through `LocalStore`, not every report of a site."""

from __future__ import annotations

from datetime import UTC, datetime

from privacyscan.models import Phase
from privacyscan.portfolio import build_portfolio
from privacyscan.store import LocalStore

from .test_service_alerts import report

FULL = (Phase.before_consent, Phase.after_reject)
NOW = datetime(2026, 11, 30, tzinfo=UTC)


def test_the_change_column_skips_a_narrower_scan_and_orders_batch_and_ad_hoc_scans_by_time(tmp_path):
    store = LocalStore(tmp_path)
    baseline = report("sched-20261120T060000Z", [("tracking_before_consent", "Google LLC")], phases=FULL)  # a batch
    narrower = report("20261121T060000Z-bbbbbbbbbb", [], phases=(Phase.before_consent,))  # decoy: not comparable
    current = report("20261123T060000Z-cccccccccc", [], phases=FULL)
    for r in (baseline, narrower, current):
        store.put_report(r)
    (row,) = build_portfolio(tmp_path, now=NOW).rows
    assert row.scan_id == current.scan_id
    assert (row.new_findings, row.resolved_findings) == (0, 1) and row.change == "+0 / -1"


def test_the_newest_scan_shows_even_unreachable_and_an_unreadable_report_is_passed_over(tmp_path):
    store = LocalStore(tmp_path)
    store.put_report(report("20261120T060000Z-aaaaaaaaaa", [("tracking_before_consent", "Google LLC")]))
    unreachable = report("20261122T060000Z-cccccccccc", [], reached=False)
    store.put_report(unreachable)
    broken = tmp_path / "sites/s/scans/20261123T060000Z-dddddddddd"
    broken.mkdir(parents=True)
    (broken / "report.json").write_text("{not json")
    (row,) = build_portfolio(tmp_path, now=NOW).rows
    assert row.scan_id == unreachable.scan_id and row.verdict == "no verdict" and row.change == "first scan"
    (chosen,) = build_portfolio(tmp_path, scans={"s": "20261120T060000Z-aaaaaaaaaa"}, now=NOW).rows
    assert chosen.scan_id == "20261120T060000Z-aaaaaaaaaa" and chosen.high_findings == 1
