"""The crawl: visit a site in Chromium phase by phase and record what a visitor's browser did.

One fresh browser per phase (no cookies, no storage), one tab, pages one after another: what accumulates
over a visit (cookies set on page 1 and sent on page 2) is the point, so nothing is cleared between pages
of a phase. No Playwright object leaves this package; the output is `Evidence`.

This module is the phase runner: browser lifetime, consent, recovery from crashes and busy pages, the time
budget and stop requests. What to visit next is `frontier`; what one page yields is `page_recorder` (and
`events` for the requests, cookies and storage of a phase); one Chromium and its tab is `session`.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

from playwright.async_api import BrowserContext, Page, async_playwright
from playwright.async_api import Error as PlaywrightError

from ..models import (
    BannerRecord,
    BrowserInfo,
    CauseKind,
    ConsentAction,
    Evidence,
    PageRecord,
    Phase,
    PhaseEvidence,
)
from ..netguard import NetGuard
from ..settings import ScanOptions
from ..urls import host_of, registrable_domain
from .behaviour import BehaviourWatch
from .calls import CallClock, Interrupted, first_line, quietly
from .control import StopToken
from .events import IdentifierParams, PhaseRecorder, no_identifiers
from .frontier import Frontier, ReplayQueue
from .guard_proxy import GuardProxy
from .page_recorder import BrowserCrashed, LinkPriority, PageBusy, PageCrashed, PageRecorder, no_priority
from .parallel import FeedReplay, PageFeed, available_mib, phases_fit
from .quiet import install_quiet_probe
from .session import BrowserSession

__all__ = ["ConsentDriver", "CrawlAborted", "IdentifierParams", "LinkPriority", "OnePhaseCrawl", "ProgressCallback",
           "crawl_one_phase", "crawl_site", "skipped_phase"]

ProgressCallback = Callable[[Phase, int, str], None]
CONSENT_TIMEOUT_S = 60.0
# Each last step of a phase (read the jar, finish reading responses, close) gets at most this long, less
# when the budget is spent; it runs after a stop request too.
FINAL_READ_S = 3.0


class CrawlAborted(Exception):
    """The crawl could not start at all (the browser would not launch)."""


class ConsentDriver(Protocol):
    """Finds a consent banner on a page and operates it. The consent package provides the real one."""

    async def prepare(self, context: BrowserContext, phase: Phase, options: ScanOptions, workdir: Path) -> None:
        """Set up on a new context before its first navigation (e.g. inject banner detection)."""

    async def inspect(self, page: Page, phase_clock: Callable[[], float]) -> BannerRecord | None: ...

    async def act(
        self, page: Page, action: Literal["reject", "accept"], phase_clock: Callable[[], float]
    ) -> ConsentAction: ...


@dataclass
class OnePhaseCrawl:
    """One phase crawled on its own (a fanned-out scan's part): its evidence (that phase, or none when it
    gathered nothing, with the causes either way) and, for the before-consent phase, what the later phases
    need from it: the pages it recorded without error, in order, and its verdict on consent."""

    evidence: Evidence
    pages: list[str]
    skip_reason: str | None = None


def skipped_phase(phase: Phase, reason: str) -> PhaseEvidence:
    """A later phase with nothing to act on: recorded (the check of a site that tracks without any
    consent mechanism reads the driver's note), not run."""
    action: Literal["reject", "accept"] = "reject" if phase is Phase.after_reject else "accept"
    return PhaseEvidence(phase=phase, started_at=datetime.now(UTC), consent_action=ConsentAction(
        action=action, succeeded=False, method="none",
        detail=f"{reason}; the {action} phase was not run: there was nothing to {action}"))


def _phase_failed(evidence: Evidence, phase: Phase, exc: BaseException, *, fatal: bool) -> None:
    """A phase that gathered nothing: the scan cannot start (`fatal`: no phase before it gathered anything
    the report could stand on), or the phase's fault is a cause and the scan goes on."""
    if fatal:
        raise CrawlAborted(f"Chromium did not start: {first_line(str(exc))}") from exc
    evidence.add_cause(CauseKind.phase_error, first_line(str(exc)), phase)


@dataclass
class _PhaseRun:
    """One phase in progress: its evidence so far, its event recorder, its browser and what to visit."""

    phase: Phase
    evidence: PhaseEvidence
    recorder: PhaseRecorder
    targets: Frontier | ReplayQueue | FeedReplay
    session: BrowserSession | None = None
    feed: PageFeed | None = None  # the first phase's pages, for later phases running at the same time
    browser_crashes: int = 0
    consent_done: bool = True
    behaviour: BehaviourWatch | None = None

    @property
    def discovering(self) -> bool:
        return isinstance(self.targets, Frontier)


class Crawler:
    def __init__(self, options: ScanOptions, workdir: Path, consent: ConsentDriver | None = None,
                 progress: ProgressCallback | None = None, link_priority: LinkPriority = no_priority,
                 identifiers: IdentifierParams = no_identifiers, stop: StopToken | None = None) -> None:
        self.options = options
        self.stop = stop or StopToken()
        self.clock = CallClock(options.time_budget_s, self.stop)
        self.link_priority = link_priority
        self.identifiers = identifiers
        self.workdir = workdir
        self.consent = consent
        self.progress = progress
        self.site_domain = registrable_domain(host_of(options.site_url))
        self.proxy = GuardProxy(NetGuard(options.mappings, options.allow_private_network))
        self.pages = PageRecorder(options, workdir, self.proxy, self.clock, link_priority)
        self.browser_info = BrowserInfo()
        self._playwright = None
        self._profiles = 0

    # ------------------------------------------------------------------ the whole crawl
    async def run(self, started_at: datetime, scan_id: str, site_id: str) -> Evidence:
        evidence = self._new_evidence(started_at, scan_id, site_id)
        await self._with_browser_driver(lambda: self._run_phases(evidence))
        evidence.finished_at = datetime.now(UTC)
        return evidence

    async def run_one_phase(self, started_at: datetime, scan_id: str, site_id: str, phase: Phase,
                            pages: list[str] | None = None) -> OnePhaseCrawl:
        """One phase on its own, as it would run beside the others in `run`: the before-consent phase
        discovers (and decides on consent, as the page feed does); a later phase visits the site's first
        page, acts on consent, visits it again and then exactly `pages`, in order, with no discovery."""
        evidence = self._new_evidence(started_at, scan_id, site_id)
        crawl = OnePhaseCrawl(evidence=evidence, pages=[])
        await self._with_browser_driver(lambda: self._run_alone(crawl, phase, list(pages or [])))
        evidence.finished_at = datetime.now(UTC)
        return crawl

    async def _run_alone(self, crawl: OnePhaseCrawl, phase: Phase, pages: list[str]) -> None:
        evidence = crawl.evidence
        feed = None
        if phase is Phase.before_consent:
            feed = PageFeed(limit=self.options.max_pages)
        else:
            # A later phase replays `pages` as the in-turn runner replays the first phase's, with room for
            # exactly those: the first page, the same page again after the choice, then `pages`.
            self.options = replace(self.options, max_pages=len(pages) + 2)
        try:
            result = await self._run_phase(phase, pages, feed=feed)
        except Exception as exc:  # nothing gathered in this phase
            _phase_failed(evidence, phase, exc, fatal=phase is Phase.before_consent)
            return
        self._keep_phase(evidence, result)
        if feed is not None:
            crawl.pages, crawl.skip_reason = list(feed.urls), feed.skip_reason

    def _new_evidence(self, started_at: datetime, scan_id: str, site_id: str) -> Evidence:
        return Evidence(site_url=self.options.site_url, site_id=site_id, registrable_domain=self.site_domain,
                        scan_id=scan_id, started_at=started_at)

    async def _with_browser_driver(self, work: Callable[[], Awaitable[None]]) -> None:
        self.proxy.start()
        try:
            async with async_playwright() as playwright:
                self._playwright = playwright
                await work()
        finally:
            self.proxy.stop()
            # Each session removes its own profile; the folder holding them goes too, so a warm Lambda
            # environment scanning site after site does not accumulate anything in /tmp.
            shutil.rmtree(self.workdir / ".profiles", ignore_errors=True)

    async def _run_phases(self, evidence: Evidence) -> None:
        phases = [p for p in self.options.phases if p is Phase.before_consent or self.consent is not None]
        browsers = len(phases)
        if (self.options.parallel_phases and phases and phases[0] is Phase.before_consent and browsers > 1
                and phases_fit(browsers, self.options.browser_memory_mib, available_mib())):
            await self._run_phases_at_once(evidence, phases)
        else:
            await self._run_phases_in_turn(evidence, phases)

    async def _run_phases_at_once(self, evidence: Evidence, phases: list[Phase]) -> None:
        """The first phase discovers and publishes its pages; the later phases start once it has looked at
        the first page's banner and replay its pages as they come (see parallel.py)."""
        feed = PageFeed(limit=self.options.max_pages)
        first = asyncio.ensure_future(self._run_phase(phases[0], [], feed=feed))
        await asyncio.wait([first, asyncio.ensure_future(feed.decided.wait())], return_when=asyncio.FIRST_COMPLETED)
        later: dict[Phase, asyncio.Future] = {}
        if self.stop.is_set() or self.clock.remaining() <= 1:
            pass  # the first phase's own causes say why; the later phases are not started
        elif feed.decided.is_set() and feed.skip_reason is None:
            later = {p: asyncio.ensure_future(self._run_phase(p, [], replay=FeedReplay(
                feed, self.options.site_url, self.options.max_pages))) for p in phases[1:]}
        try:
            results = await asyncio.gather(first, *later.values(), return_exceptions=True)
        finally:
            await feed.close()
        outcome = dict(zip([phases[0], *later], results, strict=True))
        for phase in phases:
            if phase not in outcome:  # the first phase ended before it could decide, or there is nothing to act on
                if feed.skip_reason is not None and phase is not Phase.before_consent:
                    evidence.phases.append(skipped_phase(phase, feed.skip_reason))
                continue
            result = outcome[phase]
            if isinstance(result, asyncio.CancelledError):
                raise result
            if isinstance(result, BaseException):
                _phase_failed(evidence, phase, result, fatal=not evidence.phases and phase is Phase.before_consent)
            else:
                self._keep_phase(evidence, result)

    def _keep_phase(self, evidence: Evidence, result: PhaseEvidence) -> None:
        """A phase that gathered something: its evidence, and its causes on the scan."""
        evidence.browser = self.browser_info
        evidence.phases.append(result)
        for cause in result.causes:
            evidence.add_cause(cause.kind, cause.detail, result.phase)

    async def _run_phases_in_turn(self, evidence: Evidence, phases: list[Phase]) -> None:
        visited: list[str] = []
        feed = PageFeed(limit=self.options.max_pages)  # only its verdict on consent is used here
        for phase in phases:
            if phase is not Phase.before_consent and feed.skip_reason is not None:
                evidence.phases.append(skipped_phase(phase, feed.skip_reason))
                continue
            if self.stop.is_set():
                evidence.add_cause(CauseKind.interrupted, self.stop.reason or "interrupted", phase)
                break
            if self.clock.remaining() <= 1:
                evidence.add_cause(CauseKind.time_budget,
                                   f"time budget of {self.options.time_budget_s:g}s ran out before this phase", phase)
                break
            try:
                phase_evidence = await self._run_phase(phase, visited,
                                                       feed=feed if phase is Phase.before_consent else None)
            except Exception as exc:  # nothing gathered in this phase
                _phase_failed(evidence, phase, exc, fatal=not evidence.phases)
                break
            self._keep_phase(evidence, phase_evidence)
            if phase is Phase.before_consent:
                visited = [p.url for p in phase_evidence.pages if p.error is None]

    # ------------------------------------------------------------------ one phase
    async def _run_phase(self, phase: Phase, known_pages: list[str], feed: PageFeed | None = None,
                         replay: FeedReplay | None = None) -> PhaseEvidence:
        """The phase's evidence, also when a fault or a stop request ended it early (marked incomplete).
        Raises only when it gathered no page at all. The first phase publishes its pages to `feed`; a later
        phase run at the same time takes its pages from `replay`."""
        run = self._new_run(phase, known_pages)
        run.feed = feed
        if replay is not None:
            run.targets = replay
        try:
            await self._start_browser(run)
            await self._crawl(run)
        except Interrupted as stop:
            run.evidence.add_cause(CauseKind.interrupted, str(stop) or "interrupted")
        except TimeoutError as exc:
            if self.clock.remaining() >= 2 and not run.evidence.pages:
                raise
            self._timed_out(run, exc)
        except Exception as exc:  # keep what the phase gathered; never lose a scan to one fault
            if not run.evidence.pages:
                raise
            run.evidence.add_cause(CauseKind.phase_error, f"stopped by an error after {len(run.evidence.pages)} "
                                   f"pages: {type(exc).__name__}: {first_line(str(exc))}")
        finally:
            if feed is not None:
                await feed.close()
            await self._finish(run)
        return run.evidence

    def _timed_out(self, run: _PhaseRun, exc: TimeoutError) -> None:
        """A browser call that got no answer within its deadline: the budget's end, or a fault."""
        if self.clock.remaining() < 2:
            self._out_of_time(run)
        else:
            run.evidence.add_cause(CauseKind.phase_error, f"stopped after {len(run.evidence.pages)} pages: "
                                   f"the browser did not answer ({exc})")

    def _out_of_time(self, run: _PhaseRun) -> None:
        run.evidence.add_cause(CauseKind.time_budget, f"time budget of {self.options.time_budget_s:g}s ran out "
                               f"after {len(run.evidence.pages)} pages")

    def _new_run(self, phase: Phase, known_pages: list[str]) -> _PhaseRun:
        evidence = PhaseEvidence(phase=phase, started_at=datetime.now(UTC))
        recorder = PhaseRecorder(phase, self.site_domain, self.proxy, self.identifiers)
        behaviour = BehaviourWatch(recorder, self.clock) if self.options.behaviour else None
        if phase is Phase.before_consent:
            frontier = Frontier(self.site_domain, self.options)
            frontier.add(self.options.site_url, 0)
            for seed in self.options.seeds:
                frontier.add(seed, 1)
            return _PhaseRun(phase, evidence, recorder, frontier, behaviour=behaviour)
        replay = list(dict.fromkeys([self.options.site_url, *known_pages]))[: self.options.max_pages]
        return _PhaseRun(phase, evidence, recorder, ReplayQueue(replay), consent_done=False, behaviour=behaviour)

    async def _crawl(self, run: _PhaseRun) -> None:
        evidence = run.evidence
        while len(evidence.pages) < self.options.max_pages:
            targets = run.targets
            item = await targets.next_item() if isinstance(targets, FeedReplay) else targets.pop()
            if item is None:
                return
            if self.stop.is_set():
                raise Interrupted(self.stop.reason or "interrupted")
            if self.clock.remaining() < 2:
                self._out_of_time(run)
                return
            if not await self._visit(run, *item):
                return
        if run.discovering and len(run.targets):
            evidence.add_cause(CauseKind.page_limit, f"page limit of {self.options.max_pages} reached; "
                               f"{len(run.targets)} more same-site URLs not visited")

    async def _visit(self, run: _PhaseRun, url: str, depth: int, priority: float) -> bool:
        """Visit one page and follow up on it; False when the phase cannot go on."""
        if self.progress:
            self.progress(run.phase, len(run.evidence.pages) + 1, url)
        if run.session.page_crashed:  # the renderer died after the last page was recorded
            await self._replace_crashed_tab(run, url, "the tab's renderer crashed between pages")
        try:
            record = await self.pages.visit(run.session, run.recorder, url, depth, run.phase,
                                            len(run.evidence.pages), keep_html=priority > 0)
        except PageBusy as busy:
            # Keep the record, leave the busy tab behind and go on in a new tab of the same profile.
            run.evidence.pages.append(busy.record)
            if self.clock.remaining() >= 2:  # else the loop ends on the budget; no tab is needed
                await run.session.replace_tab(run.recorder)
            return True
        except PageCrashed as crash:
            return await self._page_crashed(run, url, depth, str(crash))
        except BrowserCrashed as crash:
            return await self._browser_crashed(run, url, depth, str(crash))
        run.evidence.pages.append(record)
        if record.error is None:
            await self._behaviour_after(run, record)
            await self._consent_after(run, record)
            if run.feed is not None:
                await run.feed.publish(url)
            if run.discovering:
                for link in record.links:
                    run.targets.add(link.url, depth + 1, priority=self.link_priority(link.text, link.url))
        elif run.feed is not None and len(run.evidence.pages) == 1:
            run.feed.decide(None)  # the first page says nothing about consent: the later phases run
        return True

    async def _behaviour_after(self, run: _PhaseRun, record: PageRecord) -> None:
        """Type the test values into the page's fields and read what its scripts were seen doing. In the
        after-choice phases the first page is loaded before the click: what it does then belongs to no
        choice, so it is watched on the reload after the click (the consent step queues it again)."""
        if run.behaviour is None or not run.consent_done:
            return

        async def settle() -> None:
            await self.pages.settle(run.session, run.recorder, minimum_s=self.options.settle_s)

        await run.behaviour.after_page(run.session.page, record, settle)

    # ------------------------------------------------------------------ consent
    async def _consent_after(self, run: _PhaseRun, record: PageRecord) -> None:
        """Before consent: note the banner on the first page. After: operate it on the first page that
        loads, watch what the choice sets off, and visit that page again."""
        if self.consent is None:
            return
        page, clock = run.session.page, run.recorder.clock
        if run.phase is Phase.before_consent and len(run.evidence.pages) == 1:
            await self._note_banner(run, page)
            if run.feed is not None:
                run.feed.decide(await self._nothing_to_act_on(run, page, record))
        if run.consent_done:
            return
        run.consent_done = True
        action = "reject" if run.phase is Phase.after_reject else "accept"
        await self._note_banner(run, page)
        run.evidence.consent_action = await self._consent_call(self.consent.act(page, action, clock)) or \
            ConsentAction(action=action, succeeded=False, detail="the consent driver failed")
        # What a choice sets off often starts later (tag managers re-evaluating consent): watch until the
        # requests, DOM changes, writes and short timers the click set off have stopped, capped. No click,
        # nothing set off: no wait.
        if run.evidence.consent_action.succeeded:
            await self.pages.settle(run.session, run.recorder, minimum_s=self.options.consent_settle_s,
                                    quiet_s=self.options.consent_quiet_s, cap_s=self.options.consent_cap_s)
        # Trackers often fire on the next navigation after a choice: reload the first page.
        run.targets.again(record.url)

    async def _nothing_to_act_on(self, run: _PhaseRun, page: Page, record: PageRecord) -> str | None:
        """Why the later phases have nothing to act on (no banner and no consent API on the first page),
        or None. A driver that cannot tell (no `consent_surface`) never skips a phase."""
        surface = getattr(self.consent, "consent_surface", None)
        if run.evidence.banners or surface is None:
            return None
        seen = await self._consent_call(surface(page))
        if seen is None or seen:  # the driver failed, or it saw a platform or an API without a banner
            return None
        return f"no consent banner and no consent API found on {record.url} before consent"

    async def _note_banner(self, run: _PhaseRun, page: Page) -> None:
        banner = await self._consent_call(self.consent.inspect(page, run.recorder.clock))
        if banner:
            run.evidence.banners.append(banner)

    async def _consent_call(self, coro):
        """The consent driver's own waits are bounded by the budget and end on a stop request."""
        try:
            return await self.clock.call(coro, CONSENT_TIMEOUT_S)
        except (TimeoutError, PlaywrightError):
            return None

    # ------------------------------------------------------------------ browser lifetime and faults
    async def _start_browser(self, run: _PhaseRun) -> None:
        self._profiles += 1
        profile = self.workdir / ".profiles" / f"profile-{self._profiles}"
        run.session = await BrowserSession.launch(self._playwright, self.options, profile, self.proxy.url, self.clock)
        run.recorder.attach(run.session.context)
        # Before the first document: every page reports its DOM changes, writes and pending timers.
        await self.clock.call(install_quiet_probe(run.session.context), CONSENT_TIMEOUT_S)
        if run.behaviour is not None:  # before the first page: the instrument runs ahead of page scripts
            await run.behaviour.install(run.session.context)
        if not self.browser_info.version:
            async with quietly():
                self.browser_info = await run.session.browser_info()
        if self.consent is not None:
            # The driver sets itself up before the first page loads (it injects its banner detection).
            await self._consent_call(self.consent.prepare(run.session.context, run.phase, self.options, self.workdir))
        await run.session.tab(run.recorder)

    async def _page_crashed(self, run: _PhaseRun, url: str, depth: int, detail: str) -> bool:
        """A dead renderer takes its tab, not the browser: go on in a new tab. If no tab opens, the
        browser went with it."""
        try:
            await run.session.replace_tab(run.recorder)
        except (PlaywrightError, TimeoutError):
            return await self._browser_crashed(run, url, depth, detail)
        if run.session.closed:
            return await self._browser_crashed(run, url, depth, detail)
        run.evidence.pages.append(PageRecord(url=url, depth=depth, error=f"page crashed: {detail}",
                                             error_kind="crashed", started_ms=run.recorder.clock()))
        run.evidence.add_cause(CauseKind.page_crash, f"the page's renderer crashed on {url} ({detail}); "
                               "went on in a new tab")
        return True

    async def _replace_crashed_tab(self, run: _PhaseRun, next_url: str, detail: str) -> None:
        run.evidence.add_cause(CauseKind.page_crash, f"{detail} (before {next_url}); went on in a new tab")
        await run.session.replace_tab(run.recorder)

    async def _browser_crashed(self, run: _PhaseRun, url: str, depth: int, detail: str) -> bool:
        """Restart once with a fresh profile; a second crash ends the phase with what was gathered."""
        run.browser_crashes += 1
        run.evidence.pages.append(PageRecord(url=url, depth=depth, error=f"browser crashed: {detail}",
                                             error_kind="crashed", started_ms=run.recorder.clock()))
        if run.browser_crashes > 1:
            run.evidence.add_cause(CauseKind.browser_crash, f"the browser crashed again (on {url}); "
                                   "stopped with what was gathered")
            return False
        run.evidence.add_cause(CauseKind.browser_crash, f"the browser crashed on {url} and was restarted; "
                               "cookies set before the crash are not in later pages")
        await run.session.close()
        await self._start_browser(run)
        return True

    async def _finish(self, run: _PhaseRun) -> None:
        """Read the jar a last time, hand the events to the evidence and close the browser. Runs after
        faults, the end of the budget and stop requests too, each step under a short deadline of its own."""
        if run.session is not None:
            grace_s = max(1.0, min(FINAL_READ_S, self.clock.remaining()))
            await asyncio.gather(run.recorder.snapshot_cookies(run.session.context, CallClock(grace_s, StopToken())),
                                 run.recorder.drain(grace_s))
            await run.session.close(grace_s)
        run.recorder.fill(run.evidence)
        if run.behaviour is not None:
            run.behaviour.fill(run.evidence)


async def crawl_site(options: ScanOptions, workdir: Path, started_at: datetime, scan_id: str, site_id: str,
                     consent: ConsentDriver | None = None, progress: ProgressCallback | None = None,
                     link_priority: LinkPriority = no_priority,
                     identifiers: IdentifierParams = no_identifiers, stop: StopToken | None = None) -> Evidence:
    crawler = Crawler(options, workdir, consent, progress, link_priority=link_priority, identifiers=identifiers,
                      stop=stop)
    return await crawler.run(started_at, scan_id, site_id)


async def crawl_one_phase(options: ScanOptions, workdir: Path, started_at: datetime, scan_id: str, site_id: str,
                          phase: Phase, pages: list[str] | None = None, consent: ConsentDriver | None = None,
                          progress: ProgressCallback | None = None, link_priority: LinkPriority = no_priority,
                          identifiers: IdentifierParams = no_identifiers,
                          stop: StopToken | None = None) -> OnePhaseCrawl:
    crawler = Crawler(options, workdir, consent, progress, link_priority=link_priority, identifiers=identifiers,
                      stop=stop)
    return await crawler.run_one_phase(started_at, scan_id, site_id, phase, pages)
