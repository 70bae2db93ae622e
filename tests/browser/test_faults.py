"""Faults a real scan meets: each ends in a one-line error with a documented exit code, or a finding,
and whatever was gathered is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from privacyscan.cli import EXIT_OK, EXIT_REFUSED, EXIT_UNREACHABLE, run_scan
from privacyscan.netguard import HostMapping

from .conftest import scan_options

pytestmark = pytest.mark.browser


def stored_report(out: Path) -> dict:
    reports = list(out.glob("sites/*/scans/*/report.json"))
    assert len(reports) == 1, reports
    return json.loads(reports[0].read_text())


def test_a_page_that_never_answers_is_written_as_unreachable(fixture_web, tmp_path, capsys):
    options = scan_options(fixture_web, "http://never-loads.example/", page_timeout_s=2.0)
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert "could not be reached" in err and "timed out" in err and "Traceback" not in err
    page = stored_report(tmp_path)["evidence"]["phases"][0]["pages"][0]
    assert page["error"].startswith("timed out")


def test_a_500_start_page_becomes_a_finding(fixture_web, tmp_path):
    options = scan_options(fixture_web, "http://error-500.example/")
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_OK
    report = stored_report(tmp_path)
    failed = {f["subject"]: f for f in report["findings"] if f["rule_id"] == "page_failed"}
    assert failed["http://error-500.example/"]["title"].endswith("HTTP 500")
    assert failed["http://error-500.example/privacy"]["title"].endswith("HTTP 404")  # its footer link


def test_redirects_into_private_addresses_are_refused(fixture_web, tmp_path):
    from privacyscan.pipeline import scan_site

    report = scan_site(scan_options(fixture_web, "http://ssrf-redirect.example/"), tmp_path)
    phase = report.evidence.phases[0]
    metadata = [r for r in phase.requests if r.host == "169.254.169.254"]
    assert metadata and all(r.blocked_reason for r in metadata)
    loopback_page = next(p for p in phase.pages if p.url.endswith("/to-loopback"))
    assert loopback_page.error.startswith("refused") and "127.0.0.1" in loopback_page.error
    # No request reached the fixture web through the loopback redirect.
    assert not [h for h in fixture_web.hits if h.host == "127.0.0.1"]
    rules = {f.rule_id for f in report.findings}
    assert "request_to_private_network" in rules


def test_tls_errors_are_not_ignored_by_default(fixture_web, tmp_path, capsys):
    options = scan_options(fixture_web, "https://shop.example/", ignore_https_errors=False)
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert "CERT" in err and "--ignore-https-errors" in err


def test_a_refused_connection_is_unreachable(fixture_web, tmp_path, capsys):
    options = scan_options(fixture_web, "http://closed-port.example/",
                           mappings=(HostMapping("closed-port.example", "127.0.0.1", 9),))
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_UNREACHABLE
    assert "cannot connect" in capsys.readouterr().err


def test_an_unresolvable_host_is_unreachable(fixture_web, tmp_path, capsys):
    options = scan_options(fixture_web, "https://no-such-host.invalid/", mappings=())
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_UNREACHABLE
    assert "cannot resolve" in capsys.readouterr().err


def test_a_browser_crash_is_survived_and_noted(fixture_web, tmp_path):
    from privacyscan.pipeline import scan_site

    report = scan_site(scan_options(fixture_web, "http://crashy.example/"), tmp_path)
    pages = {p.url: p for p in report.evidence.phases[0].pages}
    assert pages["http://crashy.example/crash"].error.startswith("browser crashed")
    assert pages["http://crashy.example/after"].error is None  # the scan went on in a new browser
    assert "crashed" in report.evidence.phases[0].incomplete_reason


def test_private_targets_are_refused_before_anything_is_sent(fixture_web, tmp_path, capsys):
    for url in ("http://127.0.0.1:8080/", "http://169.254.169.254/latest/", "http://[::1]/", "http://10.1.2.3/",
                "http://localhost/"):
        options = scan_options(fixture_web, url, mappings=())
        assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_REFUSED, url
        assert "--allow-private-network" in capsys.readouterr().err
    assert not list(tmp_path.glob("sites/*"))


def test_a_scan_out_of_time_keeps_what_it_gathered(fixture_web, tmp_path, capsys):
    from privacyscan.cli import EXIT_INCOMPLETE

    options = scan_options(fixture_web, "http://shop.example/", time_budget_s=6.0, settle_s=1.0)
    assert run_scan(options, str(tmp_path), ["json", "html"], quiet=True) == EXIT_INCOMPLETE
    assert "time budget" in capsys.readouterr().err
    report = stored_report(tmp_path)
    assert report["complete"] is False and "time budget of 6s ran out" in report["incomplete_reason"]
    pages = report["evidence"]["phases"][0]["pages"]
    assert 1 <= len(pages) < 10 and pages[0]["url"] == "http://shop.example/"
    assert {c["name"] for c in report["evidence"]["phases"][0]["cookies"]} >= {"js_cookie", "srv_session"}
    assert list(tmp_path.glob("sites/*/scans/*/report.html"))


def test_hostile_pages_neither_hang_the_scan_nor_run_in_the_report(fixture_web, tmp_path):
    options = scan_options(fixture_web, "http://hostile.example/")
    assert run_scan(options, str(tmp_path), ["json", "html"], quiet=True) == EXIT_OK
    report = stored_report(tmp_path)
    pages = {p["url"]: p for p in report["evidence"]["phases"][0]["pages"]}
    assert "did not answer" in pages["http://hostile.example/spin"]["error"]
    assert pages["http://hostile.example/calm"]["error"] is None  # the scan went on after the busy page
    assert "http://hostile.example/popup" not in pages  # popups are closed, not crawled
    assert "<script>" in {c["name"] for c in report["evidence"]["phases"][0]["cookies"]}
    html = next(tmp_path.glob("sites/*/scans/*/report.html")).read_text()
    assert "<script" not in html.lower() and "<img src=x" not in html and "&lt;script&gt;" in html


def test_a_rescan_writes_a_diff_against_the_previous_scan(fixture_web, tmp_path, capsys):
    import time

    options = scan_options(fixture_web, "http://error-500.example/", max_pages=1)
    assert run_scan(options, str(tmp_path), ["json"]) == EXIT_OK
    time.sleep(1.1)  # scan ids are per second: a scan in the same second is a retry of the same scan
    assert run_scan(options, str(tmp_path), ["json"]) == EXIT_OK
    assert "since scan" in capsys.readouterr().out
    diffs = list(tmp_path.glob("sites/*/scans/*/diff.json"))
    assert len(diffs) == 1 and json.loads(diffs[0].read_text())["new_findings"] == []
    assert len(list(tmp_path.glob("sites/*/scans/*/report.json"))) == 2


def test_an_unexpected_error_mid_phase_keeps_the_pages_gathered(fixture_web, tmp_path):
    from privacyscan.pipeline import scan_site

    def progress(_phase, n, _url):
        if n == 3:
            raise RuntimeError("disk full")

    report = scan_site(scan_options(fixture_web, "http://shop.example/"), tmp_path, progress=progress)
    phase = report.evidence.phases[0]
    assert len(phase.pages) == 2 and phase.cookies and phase.requests
    assert report.complete is False and "RuntimeError: disk full" in report.incomplete_reason
