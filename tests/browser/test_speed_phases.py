"""Phases at once and phases skipped: the same pages in every phase whether the phases run at once or one
after another; the after-choice phases skipped only when there is nothing to act on (and the site that
tracks without any consent mechanism still reported); a recognised platform whose popup autoconsent does
not report still found (and named) without waiting out the detection window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from privacyscan.crawl.consent import make_consent_driver
from privacyscan.demo.webserver import Response, VirtualHostWeb
from privacyscan.models import Phase
from privacyscan.pipeline import crawl_phase, scan_site
from privacyscan.report.model import ScanReport
from privacyscan.settings import ScanOptions

from .consent_sites import COMPLIANT, FIXTURES, GTAG, NO_BANNER, _site, consent_web

pytestmark = pytest.mark.browser

TCF_ONLY = "www.tcf-uten-banner.no"  # a consent API, no visible banner (yet)
COOKIEBOT_QUIET = "www.kakebakst.no"  # Cookiebot look-alike whose dialog autoconsent does not report open
QUIET_CB_SCRIPT = "/uc-quiet.js"


@pytest.fixture(scope="module")
def web() -> Iterator[VirtualHostWeb]:
    # The same look-alike as the Cookiebot site, but its dialog never says it is visible (an older or
    # customised Cookiebot): autoconsent recognises the platform by its script, never its popup.
    script = (FIXTURES / "consent.cookiebot.com" / "uc.js").read_text(encoding="utf-8")
    assert "CB.dialog.visible = true;" in script
    with consent_web() as server:
        _site(server, TCF_ONLY,
              head=f'<script>window.__tcfapi = function () {{}};</script><script src="{GTAG}" async></script>')
        server.route(COOKIEBOT_QUIET, QUIET_CB_SCRIPT,
                     Response(script.replace("CB.dialog.visible = true;", ""), content_type="text/javascript"))
        _site(server, COOKIEBOT_QUIET,
              head=f'<script id="Cookiebot" src="{QUIET_CB_SCRIPT}" data-cbid="test"></script>')
        yield server


def scan(web: VirtualHostWeb, host: str, workdir: Path, **overrides) -> ScanReport:
    settings = dict(site_url=f"https://{host}/", mappings=web.mappings(), ignore_https_errors=True,
                    page_timeout_s=8.0, time_budget_s=120.0, quiet_cap_s=4.0, consent_detect_s=6.0,
                    consent_cap_s=4.0)
    settings.update(overrides)
    return scan_site(ScanOptions(**settings), workdir, consent=make_consent_driver())


def page_urls(report: ScanReport) -> dict[Phase, list[str]]:
    return {p.phase: [page.url for page in p.pages] for p in report.evidence.phases}


def test_phases_at_once_visit_the_same_pages_as_phases_in_turn(web: VirtualHostWeb, tmp_path: Path) -> None:
    at_once = scan(web, COMPLIANT, tmp_path / "at-once", parallel_phases=True, browser_memory_mib=1)
    in_turn = scan(web, COMPLIANT, tmp_path / "in-turn", parallel_phases=False)
    assert page_urls(at_once) == page_urls(in_turn)
    assert list(page_urls(at_once)) == list(Phase)
    # Each later phase: the first page, the same page again after the click, then the rest.
    home = f"https://{COMPLIANT}/"
    assert page_urls(at_once)[Phase.after_reject] == [home, home, f"https://{COMPLIANT}/om-oss"]
    for report in (at_once, in_turn):
        actions = {p.phase: p.consent_action for p in report.evidence.phases if p.consent_action}
        assert actions[Phase.after_reject].succeeded and actions[Phase.after_accept].succeeded
        assert {f.rule_id for f in report.findings if f.rule_id.startswith(("tracking", "no_banner"))} == set()


def test_a_phase_crawled_on_its_own_visits_the_pages_it_is_given(web: VirtualHostWeb, tmp_path: Path) -> None:
    """A fanned-out scan's parts: the first phase hands on its pages and its verdict; a later phase run on
    its own visits the first page, the same page again after the click, then exactly those pages."""
    home, about = f"https://{COMPLIANT}/", f"https://{COMPLIANT}/om-oss"
    options = ScanOptions(site_url=home, mappings=web.mappings(), ignore_https_errors=True, page_timeout_s=8.0,
                          time_budget_s=120.0, quiet_cap_s=4.0, consent_detect_s=6.0, consent_cap_s=4.0)
    ids = dict(scan_id="s", site_id="site", started_at=datetime.now(UTC))
    first = crawl_phase(options, tmp_path / "first", Phase.before_consent, consent=make_consent_driver(), **ids)
    assert (first.pages, first.skip_reason) == ([home, about], None)
    later = crawl_phase(options, tmp_path / "later", Phase.after_reject, first.pages,
                        consent=make_consent_driver(), **ids)
    [rejected] = later.evidence.phases
    assert [page.url for page in rejected.pages] == [home, home, about]
    assert rejected.consent_action.succeeded and later.pages == []
    # A page the first phase did not hand on is not visited: a later phase alone does not discover.
    only_home = crawl_phase(options, tmp_path / "only-home", Phase.after_accept, [home],
                            consent=make_consent_driver(), **ids)
    assert [page.url for page in only_home.evidence.phases[0].pages] == [home, home]


def test_no_banner_and_no_consent_api_skips_the_choice_phases_and_still_reports_tracking(
        web: VirtualHostWeb, tmp_path: Path) -> None:
    report = scan(web, NO_BANNER, tmp_path)
    before, rejected, accepted = (report.evidence.phase(p) for p in Phase)
    assert before.pages and not before.banners
    for skipped, action in ((rejected, "reject"), (accepted, "accept")):
        assert skipped.pages == [] and skipped.requests == []
        assert skipped.consent_action.action == action and not skipped.consent_action.succeeded
        assert "no consent banner and no consent API" in skipped.consent_action.detail
        assert f"the {action} phase was not run" in skipped.consent_action.detail
    assert report.evidence.complete  # nothing to act on is not a fault of the scan
    assert [f.rule_id for f in report.findings if f.rule_id == "no_banner_but_tracking"] == ["no_banner_but_tracking"]


def test_a_consent_api_without_a_banner_keeps_the_choice_phases(web: VirtualHostWeb, tmp_path: Path) -> None:
    report = scan(web, TCF_ONLY, tmp_path, consent_detect_s=2.0)
    before, rejected, accepted = (report.evidence.phase(p) for p in Phase)
    assert not before.banners
    assert rejected.pages and accepted.pages  # something could still be answered: the phases ran
    assert "was not run" not in (rejected.consent_action.detail or "")


def test_a_recognised_platform_whose_popup_is_not_reported_is_found_by_its_selectors(
        web: VirtualHostWeb, tmp_path: Path) -> None:
    # A detection window far longer than the test could wait for by accident: the banner must come from
    # the platform's selectors as soon as the word search sees it, not from the window running out.
    report = scan(web, COOKIEBOT_QUIET, tmp_path, consent_detect_s=60.0, time_budget_s=150.0)
    before, rejected, _ = (report.evidence.phase(p) for p in Phase)
    [banner] = before.banners
    assert (banner.detected_by, banner.cmp) == ("autoconsent:Cybotcookiebot", "Cybotcookiebot")
    action = rejected.consent_action
    assert (action.method, action.selector) == ("click", "#CybotCookiebotDialogBodyButtonDecline")
