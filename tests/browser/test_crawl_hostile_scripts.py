"""Pages whose scripts fight the crawler: they spin, open windows in a loop or ask to be kept open. None of
them may end the scan, hold it past its time budget, or keep the crawl from the rest of the site."""

from __future__ import annotations

import time

import pytest

from privacyscan.cli import EXIT_INCOMPLETE, EXIT_OK, run_scan

from .conftest import CHROMIUM_MARKER, scan_options
from .test_faults import stored_report

pytestmark = pytest.mark.browser

SUBPAGES = ("one", "two", "three")


def pages_by_url(report: dict) -> dict[str, dict]:
    return {p["url"]: p for p in report["evidence"]["phases"][0]["pages"]}


def test_a_start_page_that_spins_after_load_is_recorded_as_busy_and_the_site_is_scanned(fixture_web, tmp_path):
    options = scan_options(fixture_web, "http://spin-start.example/")
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_OK
    report = stored_report(tmp_path)
    assert report["status"] == "complete"  # the document arrived: the site is reachable
    pages = pages_by_url(report)
    start = pages["http://spin-start.example/"]
    assert start["error_kind"] == "busy" and "kept it busy" in start["error"]
    # The busy page answered nothing, so its links were not read; the crawl still went on, so a seed works.
    options = scan_options(fixture_web, "http://spin-start.example/", seeds=tuple(
        f"http://spin-start.example/{name}" for name in SUBPAGES))
    out = tmp_path / "seeded"
    assert run_scan(options, str(out), ["json"], quiet=True) == EXIT_OK
    pages = pages_by_url(stored_report(out))
    assert pages["http://spin-start.example/"]["error_kind"] == "busy"
    for name in SUBPAGES:
        assert pages[f"http://spin-start.example/{name}"]["error"] is None, name


def test_a_window_open_storm_is_survived_and_the_subpages_are_crawled(fixture_web, tmp_path):
    # The storm keeps the start page from answering, so its links are not read: the subpages come as seeds.
    options = scan_options(fixture_web, "http://popup-storm.example/", time_budget_s=60.0, seeds=tuple(
        f"http://popup-storm.example/{name}" for name in SUBPAGES))
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_OK
    report = stored_report(tmp_path)
    pages = pages_by_url(report)
    assert report["status"] == "complete"
    assert pages["http://popup-storm.example/"]["status"] == 200
    for name in SUBPAGES:
        assert pages[f"http://popup-storm.example/{name}"]["error"] is None, name
    assert not any("/popup-" in url.removeprefix("http://popup-storm.example") for url in pages)  # closed, not crawled


def test_a_popup_storm_under_a_small_time_budget_ends_within_a_few_seconds_of_it(fixture_web, tmp_path):
    # The popup blocker (on, as for a default Chrome user) stops most of a storm; turned off here, so the
    # storm runs for real and every browser call's deadline has to hold the budget.
    budget = 8.0
    options = scan_options(fixture_web, "http://popup-storm.example/", time_budget_s=budget, settle_s=2.0,
                           quiet_cap_s=6.0, extra_chromium_args=(CHROMIUM_MARKER, "--disable-popup-blocking"),
                           seeds=tuple(f"http://popup-storm.example/{name}" for name in SUBPAGES))
    started = time.monotonic()
    code = run_scan(options, str(tmp_path), ["json", "html"], quiet=True)
    elapsed = time.monotonic() - started
    report = stored_report(tmp_path)
    # Wall time of the whole scan (launch, crawl, close, render, store) stays within a few seconds of it.
    assert elapsed < budget + 6, f"scan took {elapsed:.1f}s under a {budget:g}s budget"
    assert pages_by_url(report)["http://popup-storm.example/"]["error_kind"] == "busy"
    assert code == EXIT_INCOMPLETE and report["status"] == "incomplete"
    assert [c["kind"] for c in report["causes"]] == ["time_budget"]
    assert list(tmp_path.glob("sites/*/scans/*/report.html"))


def test_a_beforeunload_handler_does_not_keep_the_crawl_on_its_page(fixture_web, tmp_path):
    options = scan_options(fixture_web, "http://beforeunload.example/")
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_OK
    report = stored_report(tmp_path)
    pages = pages_by_url(report)
    assert report["complete"] is True
    for name in SUBPAGES:
        page = pages[f"http://beforeunload.example/{name}"]
        assert page["error"] is None and page["title"] == f"Subpage {name}", page
    assert not any("ERR_ABORTED" in (p["error"] or "") for p in pages.values())
    for name in SUBPAGES:
        assert fixture_web.requests_to("beforeunload.example", f"/{name}")
