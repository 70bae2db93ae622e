"""Crashes are faults: Chromium's processes are really killed (SIGKILL, from the fixture web while a page is
requested); the crawl recovers where it can, keeps every cause, and the scan exits 5 with complete: false."""

from __future__ import annotations

import pytest

from privacyscan.cli import EXIT_INCOMPLETE, run_scan

from .conftest import scan_options
from .test_faults import stored_report

pytestmark = pytest.mark.browser


def pages_and_causes(out) -> tuple[dict[str, dict], list[dict]]:
    report = stored_report(out)
    assert report["complete"] is False and report["status"] == "incomplete"
    return {p["url"]: p for p in report["evidence"]["phases"][0]["pages"]}, report["causes"]


def test_renderers_killed_mid_scan_are_a_page_crash_and_the_later_pages_load_in_a_new_tab(fixture_web, tmp_path):
    options = scan_options(fixture_web, "http://renderer-killed.example/")
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_INCOMPLETE
    pages, causes = pages_and_causes(tmp_path)
    assert pages["http://renderer-killed.example/oom"]["error_kind"] == "crashed"
    assert "page crashed" in pages["http://renderer-killed.example/oom"]["error"]
    for name in ("one", "two", "three"):  # not "Page crashed" on every later page
        assert pages[f"http://renderer-killed.example/{name}"]["error"] is None, name
    assert [c["kind"] for c in causes] == ["page_crash"]
    assert "renderer-killed.example/oom" in causes[0]["detail"]


def test_the_browser_killed_once_is_exit_5_and_the_crash_outlives_the_page_limit(fixture_web, tmp_path):
    options = scan_options(fixture_web, "http://crashy.example/", max_pages=3)
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_INCOMPLETE
    pages, causes = pages_and_causes(tmp_path)
    assert pages["http://crashy.example/crash"]["error"].startswith("browser crashed")
    kinds = [c["kind"] for c in causes]
    assert kinds == ["browser_crash", "page_limit"]  # the bound does not overwrite the fault
    assert "restarted" in causes[0]["detail"]  # (the page after it loads: test_a_browser_crash_is_survived...)
    assert "crashed" in stored_report(tmp_path)["incomplete_reason"]


def test_the_browser_killed_twice_is_exit_5_with_both_crashes_kept(fixture_web, tmp_path):
    options = scan_options(fixture_web, "http://crash-twice.example/")
    assert run_scan(options, str(tmp_path), ["json"], quiet=True) == EXIT_INCOMPLETE
    pages, causes = pages_and_causes(tmp_path)
    assert pages["http://crash-twice.example/crash-1"]["error_kind"] == "crashed"
    assert pages["http://crash-twice.example/crash-2"]["error_kind"] == "crashed"
    crashes = [c for c in causes if c["kind"] == "browser_crash"]
    assert len(crashes) == 2 and "restarted" in crashes[0]["detail"] and "again" in crashes[1]["detail"]
    assert "http://crash-twice.example/" in pages and pages["http://crash-twice.example/"]["error"] is None
