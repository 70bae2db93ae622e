"""A scan that could not look never becomes a verdict (issue 11 item 8), and outcomes have their own exit
codes (item 13): an unreachable site keeps its evidence and crawl-health findings only, never a "no privacy
notice" finding; diffs compare only scans that looked at the same scope; a store that cannot be written is
said before the scan, with its own exit code."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from privacyscan.cli import EXIT_STORE_FAILED, main
from privacyscan.models import CauseKind, Phase
from privacyscan.pipeline import report_from_evidence
from privacyscan.report.diff import diff_reports
from privacyscan.report.model import ScanScope

from ..builders import Shop, phase

SHOP = Shop("https://www.butikk.no/")


def _unreachable():
    page = SHOP.page(status=None, error="unreachable: net::ERR_NAME_NOT_RESOLVED", error_kind="no_document")
    return report_from_evidence(SHOP.evidence(phase(Phase.before_consent, pages=[page])))


def _looked(scope: ScanScope | None = None):
    evidence = SHOP.evidence(phase(Phase.before_consent, pages=[SHOP.page()]))
    return report_from_evidence(evidence, scope)


def test_an_unreachable_site_is_stored_as_unreachable_with_no_compliance_verdict() -> None:
    report = _unreachable()
    assert report.status == "unreachable" and not report.looked
    assert report.privacy_notice is None
    assert {f.rule_id for f in report.findings} <= {"page_failed"}
    assert not [f for f in report.findings if f.rule_id.startswith("privacy_notice")]
    assert [c.kind for c in report.causes] == [CauseKind.unreachable]


def test_the_same_site_reachable_does_get_its_notice_verdict() -> None:
    """The decoy: a site that answered is judged (here: no notice found)."""
    report = _looked()
    assert report.status == "complete" and report.looked
    assert any(f.rule_id.startswith("privacy_notice") for f in report.findings)


def test_a_diff_against_a_scan_that_could_not_look_invents_no_resolved_findings() -> None:
    diff = diff_reports(_looked(), _unreachable())
    assert not diff.comparable and not diff.resolved_findings and not diff.new_findings
    assert "could not look" in diff.summary_line()


def test_a_diff_between_scans_of_different_scopes_says_so() -> None:
    narrow = _looked(ScanScope(phases=[Phase.before_consent], max_pages=5, max_depth=1))
    wide = _looked(ScanScope(phases=list(Phase), max_pages=20, max_depth=3))
    diff = diff_reports(narrow, wide)
    assert not diff.comparable
    assert "max_depth" in diff.not_comparable_reason and "phases" in diff.not_comparable_reason
    assert diff_reports(wide, wide.model_copy(update={"scan_id": "later"})).comparable


def test_a_store_that_cannot_be_written_is_reported_before_the_scan_with_exit_7(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", "http://shop.example/", "--out", "/proc/privacyscan-reports",
                                       "--resolve", "shop.example:127.0.0.1:9", "--allow-private-network"])
    assert result.exit_code == EXIT_STORE_FAILED, result.output
    assert "not writable" in result.output and "Traceback" not in result.output
