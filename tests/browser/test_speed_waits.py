"""The evidence-based wait (crawl/quiet.py) in real Chromium: it catches what a page does late (a timer
at 4 s, a chained timer), is not held by what only keeps a connection open (a long-poll) or only looks
busy (a far timer, a self-rearming poller), and ends at its cap on a page that never stops moving."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from privacyscan.crawl.calls import CallClock
from privacyscan.crawl.control import StopToken
from privacyscan.crawl.events import PhaseRecorder
from privacyscan.crawl.guard_proxy import GuardProxy
from privacyscan.crawl.quiet import QuietOutcome, QuietRule, install_quiet_probe, wait_until_quiet
from privacyscan.crawl.session import BrowserSession
from privacyscan.demo.webserver import VirtualHostWeb
from privacyscan.models import Phase
from privacyscan.netguard import NetGuard
from privacyscan.pipeline import scan_site
from privacyscan.settings import ScanOptions

from .conftest import CHROMIUM_MARKER
from .speed_sites import LATE_TRACKER, POLL_TRACKER, WAITS, add_wait_sites

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def web() -> Iterator[VirtualHostWeb]:
    with VirtualHostWeb() as server:
        add_wait_sites(server)
        yield server


def options_for(web: VirtualHostWeb, path: str, **overrides) -> ScanOptions:
    # The waits' own defaults (no fixed settle, 0.3 s quiet window, 8 s cap) unless a test overrides them.
    return ScanOptions(site_url=f"http://{WAITS}{path}", mappings=web.mappings(), max_pages=1,
                       phases=(Phase.before_consent,), page_timeout_s=10.0, time_budget_s=90.0,
                       extra_chromium_args=(CHROMIUM_MARKER,), screenshots=False, **overrides)


def wait_on(web: VirtualHostWeb, path: str, rule: QuietRule, profile: Path) -> tuple[QuietOutcome, set[str], set[str]]:
    """Load one page in a real session and wait on it; what the wait said, the cookie names and the hosts
    requested by the time it ended."""
    options = options_for(web, path)

    async def run() -> tuple[QuietOutcome, set[str], set[str]]:
        proxy = GuardProxy(NetGuard(options.mappings, options.allow_private_network))
        proxy.start()
        clock = CallClock(60, StopToken())
        try:
            async with async_playwright() as playwright:
                session = await BrowserSession.launch(playwright, options, profile, proxy.url, clock)
                recorder = PhaseRecorder(Phase.before_consent, WAITS, proxy)
                recorder.attach(session.context)
                await install_quiet_probe(session.context)
                page = await session.tab(recorder)
                await page.goto(options.site_url, wait_until="load")
                outcome = await wait_until_quiet(page, session.context, recorder, clock, rule)
                cookies = {c["name"] for c in await session.context.cookies()}
                hosts = {r.host for r in recorder.requests}
                await session.close()
                return outcome, cookies, hosts
        finally:
            proxy.stop()

    return asyncio.run(run())


RULE = QuietRule(window_s=ScanOptions(site_url="x").quiet_window_s, cap_s=8.0)  # the default window


def test_the_wait_lasts_until_a_4s_timer_has_fired(web: VirtualHostWeb, tmp_path: Path) -> None:
    outcome, cookies, hosts = wait_on(web, "/late-timer", RULE, tmp_path / "p")
    assert outcome.quiet
    assert "late_4s" in cookies and LATE_TRACKER in hosts


def test_a_timer_set_by_a_timer_is_waited_for(web: VirtualHostWeb, tmp_path: Path) -> None:
    outcome, cookies, _ = wait_on(web, "/chained-timer", RULE, tmp_path / "p")
    assert outcome.quiet and "chained" in cookies


def test_an_open_long_poll_does_not_hold_the_wait(web: VirtualHostWeb, tmp_path: Path) -> None:
    outcome, _, hosts = wait_on(web, "/long-poll", RULE, tmp_path / "p")
    assert outcome.quiet, "the page went quiet while its long-poll stayed open"
    assert POLL_TRACKER in hosts


def test_a_page_that_never_stops_animating_ends_at_the_cap(web: VirtualHostWeb, tmp_path: Path) -> None:
    outcome, _, _ = wait_on(web, "/animating", QuietRule(window_s=RULE.window_s, cap_s=2.0), tmp_path / "p")
    assert not outcome.quiet
    assert outcome.waited_s >= 2.0


def test_a_far_timer_and_a_self_rearming_poller_do_not_hold_the_wait(web: VirtualHostWeb, tmp_path: Path) -> None:
    outcome, _, _ = wait_on(web, "/decoy-timers", RULE, tmp_path / "p")
    assert outcome.quiet


def test_a_scan_with_default_waits_records_the_4s_tracker(web: VirtualHostWeb, tmp_path: Path) -> None:
    report = scan_site(options_for(web, "/late-timer"), tmp_path)
    before = report.evidence.phase(Phase.before_consent)
    assert {c.name for c in before.cookies} >= {"late_4s"}
    assert LATE_TRACKER in {r.host for r in before.requests}


def test_a_scan_of_a_page_that_never_stops_animating_finishes_and_records_it(web: VirtualHostWeb,
                                                                             tmp_path: Path) -> None:
    report = scan_site(options_for(web, "/animating", quiet_cap_s=2.0), tmp_path)
    [page] = report.evidence.phase(Phase.before_consent).pages
    assert page.error is None and page.title == "Animating"
    assert page.load_ms >= 2000  # the wait ran to its cap: the page was never quiet
