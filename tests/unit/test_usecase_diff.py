"""The diff a stored scan carries (`diff.json`, the CLI's summary line) compares with the same scan the
change alert compares with: the previous comparable one (`store.previous_comparable`), not merely the latest."""

from __future__ import annotations

import json

from privacyscan.models import Phase
from privacyscan.service.alerts import previous_comparable
from privacyscan.store import LocalStore
from privacyscan.usecase import ScanStatus, store_report

from .test_service_alerts import report

FULL = (Phase.before_consent, Phase.after_reject)


def _store(tmp_path, new):
    store = LocalStore(tmp_path / "store")
    workdir = tmp_path / "work"
    workdir.mkdir()
    return store, store_report(new, store, workdir, formats=("json",), lang=None, chromium=None,
                               fallback_dir=tmp_path / "fallback")


def test_the_stored_diff_skips_a_narrower_latest_scan_like_the_alert(tmp_path):
    store = LocalStore(tmp_path / "store")
    baseline = report("20261120T060000Z-aaaaaaaaaa", [("tracking_before_consent", "Google LLC")], phases=FULL)
    narrower = report("20261121T060000Z-bbbbbbbbbb", [], phases=(Phase.before_consent,))  # decoy: the latest
    for r in (baseline, narrower):
        store.put_report(r)
    assert store.latest("s").scan_id == narrower.scan_id
    new = report("20261123T060000Z-cccccccccc", [], phases=FULL)
    _, outcome = _store(tmp_path, new)
    assert outcome.status == ScanStatus.written
    assert outcome.diff is not None and outcome.diff.comparable
    assert outcome.diff.old_scan_id == baseline.scan_id == previous_comparable(store, new).scan_id
    assert [f.subject for f in outcome.diff.resolved_findings] == ["Google LLC"]
    stored = json.loads((tmp_path / "store/sites/s/scans" / new.scan_id / "diff.json").read_text())
    assert stored["old_scan_id"] == baseline.scan_id


def test_with_no_comparable_scan_the_diff_says_why_it_did_not_compare(tmp_path):
    store = LocalStore(tmp_path / "store")
    narrower = report("20261121T060000Z-bbbbbbbbbb", [], phases=(Phase.before_consent,))
    store.put_report(narrower)
    _, outcome = _store(tmp_path, report("20261123T060000Z-cccccccccc", [], phases=FULL))
    assert outcome.diff is not None and not outcome.diff.comparable
    assert outcome.diff.old_scan_id == narrower.scan_id and "phases" in outcome.diff.not_comparable_reason


def test_a_first_scan_and_a_later_latest_get_no_diff(tmp_path):
    store = LocalStore(tmp_path / "store")
    later = report("sched-20261124T060000Z", [], phases=FULL)  # decoy: started after the new scan
    store.put_report(later)
    _, outcome = _store(tmp_path, report("20261123T060000Z-cccccccccc", [], phases=FULL))
    assert outcome.status == ScanStatus.written and outcome.diff is None
