"""What one page yields: open it, let it load and settle, record its title, text, links, forms, frames and
storage, photograph it and its ticked controls. Records; judges nothing. A page that keeps its scripts
busy is recorded as busy (`PageBusy`); a crashed tab or browser is raised for the phase runner to recover.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page, Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..models import FormRecord, FrameRecord, LinkRecord, PageRecord, Phase
from ..settings import ScanOptions
from ..urls import host_of
from .calls import SCRIPT_TIMEOUT_S, CallClock, first_line, looks_like_crash, quietly
from .events import PhaseRecorder
from .guard_proxy import GuardProxy
from .interaction import interact
from .quiet import QuietOutcome, QuietRule, wait_until_quiet
from .session import BrowserSession

CAPTURE_JS = (Path(__file__).parent / "capture.js").read_text()
SCROLL_JS = """async () => {
    const step = Math.max(300, innerHeight * 0.9);
    const height = () => (document.body ? document.body.scrollHeight : 0);
    for (let i = 0; i < 8 && scrollY + innerHeight < height(); i++) {
        scrollBy(0, step);
        await new Promise(r => setTimeout(r, 40));
    }
    scrollTo(0, height());
    await new Promise(r => setTimeout(r, 40));
    scrollTo(0, 0);
}"""
OUTLINE_JS = ("el => { const t = el.labels && el.labels[0] ? el.labels[0] : el;"
              " t.dataset.psOutline = t.style.outline; t.style.outline = '3px solid #e00'; }")
UNOUTLINE_JS = "el => { const t = el.labels && el.labels[0] ? el.labels[0] : el; t.style.outline = t.dataset.psOutline || ''; }"
MAX_HTML_CHARS = 2_000_000
CRASH_EVENT_WAIT_S = 0.3
CLICK_SETTLE_CAP_S = 1.0
# How strongly a link text/URL (or a page title/URL) says "privacy notice" (> 0: visit first, keep its
# HTML). The notice stage decides; the pipeline passes it in, so crawl imports no later stage.
LinkPriority = Callable[[str, str], float]


def no_priority(_text: str, _url: str) -> float:
    return 0.0


class PageBusy(Exception):
    """The page's own scripts keep its renderer busy: it answers nothing we ask. Carries the record."""

    def __init__(self, record: PageRecord) -> None:
        super().__init__("page unresponsive")
        self.record = record


class BrowserCrashed(Exception):
    pass


class PageCrashed(Exception):
    """The tab's renderer died; the browser itself may be alive."""


class _Unresponsive(Exception):
    pass


@dataclass
class PageRecorder:
    options: ScanOptions
    workdir: Path
    proxy: GuardProxy
    clock: CallClock
    link_priority: LinkPriority = no_priority
    shots: int = 0

    async def visit(self, session: BrowserSession, recorder: PhaseRecorder, url: str, depth: int, phase: Phase,
                    index: int, keep_html: bool = False) -> PageRecord:
        page = session.page
        recorder.current_page = url
        record = PageRecord(url=url, depth=depth, started_ms=recorder.clock())
        started = time.monotonic()
        budget_s = max(1.0, min(self.options.page_timeout_s, self.clock.remaining() - 1))
        try:
            response = await self._open(session, record, url, budget_s)
            if response is not None and not _refused_response(record, response):
                record.load_state = "commit"
                await self._load(page, record, budget_s, started)
                await self._record_loaded(page, session, recorder, record, keep_html, started)
                if self.options.screenshots:
                    # A page that never finished loading may never paint: do not wait long for it.
                    record.screenshot = await self._screenshot(page, phase, index, 1.5 if record.load_note else 5.0)
                record.final_url = page.url if page.url != "about:blank" else None
        except PlaywrightError as exc:
            _raise_if_crashed(session, exc)
            if record.error is None:
                record.error, record.error_kind = first_line(str(exc)), "other"
        await recorder.snapshot_cookies(session.context, self.clock)
        record.load_ms = round((time.monotonic() - started) * 1000, 1)
        return record

    async def _open(self, session: BrowserSession, record: PageRecord, url: str, budget_s: float) -> Response | None:
        try:
            return await self.clock.call(session.page.goto(url, wait_until="commit", timeout=budget_s * 1000),
                                         budget_s + 1)
        except (PlaywrightTimeout, TimeoutError):
            record.error = f"timed out after {budget_s:g}s waiting for the server"
            record.error_kind = "no_document"
        except PlaywrightError as exc:
            if looks_like_crash(exc) or await _died_under_navigation(session, exc):
                raise
            refused = self.proxy.refusal_for(host_of(url))
            unreachable = self.proxy.refusal_for(host_of(url), kind="unreachable")
            record.error_kind = "refused" if refused else "no_document"
            if refused:
                record.error = f"refused: {refused}"
            elif unreachable:
                record.error = f"unreachable: {unreachable}"
            else:
                record.error = first_line(str(exc))
        return None

    async def _load(self, page: Page, record: PageRecord, budget_s: float, started: float) -> None:
        """A document that arrived is a page, whether or not `load` ever fires: a third-party script or
        image that never answers holds `load` back, yet a visitor sees the page. Note how far it got; the
        requests still open at capture time are noted as evidence (`hanging_requests`)."""
        for state in ("domcontentloaded", "load"):
            left_s = max(0.2, budget_s - (time.monotonic() - started))
            try:
                await self.clock.call(page.wait_for_load_state(state, timeout=left_s * 1000), left_s + 1)
            except (PlaywrightTimeout, TimeoutError):
                record.load_note = (f"the `{state}` event did not fire within {budget_s:g}s; "
                                    "recorded what had loaded")
                return
            record.load_state = state

    async def _record_loaded(self, page: Page, session: BrowserSession, recorder: PhaseRecorder,
                             record: PageRecord, keep_html: bool, started: float) -> None:
        # Scroll first so lazy loaders fire inside the settle window, not after it.
        loaded_at = time.monotonic()
        try:
            await self._evaluate(page.main_frame, SCROLL_JS, main=True)
            await self.settle(session, recorder, minimum_s=self.options.settle_s, since=loaded_at)
            # Click what a visitor would open (bounded, safe; see crawl/interaction.py) before the capture,
            # so revealed links, frames and storage are recorded too.
            clicked = await interact(page, recorder, self.clock, recorder.site_domain, record.url)
            if any(i.new_requests for i in clicked.interactions):  # what a click loaded may set cookies next
                await self.settle(session, recorder, minimum_s=0.0, cap_s=CLICK_SETTLE_CAP_S)
            await self._capture(page, record, recorder, keep_html)
            record.interactions = clicked.interactions
            record.links.extend(link for link in clicked.links if all(link.url != known.url for known in record.links))
            if record.load_note:
                record.hanging_requests = _open_requests(recorder, record.url)
        except _Unresponsive:
            record.error = f"the page's scripts kept it busy; it did not answer within {SCRIPT_TIMEOUT_S:g}s"
            record.error_kind = "busy"
            record.final_url = page.url
            record.load_ms = round((time.monotonic() - started) * 1000, 1)
            await recorder.snapshot_cookies(session.context, self.clock)
            raise PageBusy(record) from None

    async def settle(self, session: BrowserSession, recorder: PhaseRecorder, minimum_s: float,
                     since: float | None = None, quiet_s: float | None = None,
                     cap_s: float | None = None) -> QuietOutcome:
        """Wait until the page is quiet on the evidence (crawl/quiet.py), at least `minimum_s` after `since`
        (default: now), capped. A request that hangs forever does not hold the crawl. A stop request ends
        the wait (Interrupted)."""
        rule = QuietRule(window_s=self.options.quiet_window_s if quiet_s is None else quiet_s,
                         cap_s=self.options.quiet_cap_s if cap_s is None else cap_s, minimum_s=minimum_s)
        return await wait_until_quiet(session.page, session.context, recorder, self.clock, rule, since)

    async def _evaluate(self, frame: Frame, script: str, main: bool):
        """Run a script in a frame. No answer in time: the main frame is busy (raised), a subframe is skipped.
        Playwright's evaluate has no timeout of its own; a page that spins in a loop would hold the scan."""
        try:
            return await self.clock.call(frame.evaluate(script), SCRIPT_TIMEOUT_S)
        except PlaywrightError as exc:
            if looks_like_crash(exc):
                raise
            return None  # a page navigating away mid-script is not an error of the scan
        except TimeoutError:
            if main:
                raise _Unresponsive() from None
            return None

    async def _capture(self, page: Page, record: PageRecord, recorder: PhaseRecorder, keep_html: bool) -> None:
        main = page.main_frame
        for frame in page.frames:
            data = await self._evaluate(frame, CAPTURE_JS, main=frame is main)
            if data is None:
                continue
            origin = data.get("origin") or ""
            if origin and origin != "null":
                recorder.add_storage(origin, data.get("storage", []), record.url)
            await self._record_frame(page, frame, frame is main, data, record, recorder)
        # The privacy notice is read from its HTML later; other pages keep only their text excerpt.
        if keep_html or self.link_priority(record.title, record.url) > 0:
            async with quietly():
                record.html = (await self.clock.call(page.content(), SCRIPT_TIMEOUT_S))[:MAX_HTML_CHARS]

    async def _record_frame(self, page: Page, frame: Frame, is_main: bool, data: dict, record: PageRecord,
                            recorder: PhaseRecorder) -> None:
        forms = [FormRecord(page_url=record.url, frame_url=None if is_main else frame.url, **f)
                 for f in data.get("forms", [])]
        if self.options.screenshots and is_main:
            await self._outline_ticked_controls(page, forms)
        record.forms.extend(forms)
        if is_main:
            record.title = data.get("title", "")[:500]
            record.lang = data.get("lang")
            record.text_excerpt = data.get("text", "")
            record.links = [LinkRecord(**link) for link in data.get("links", [])]
        elif frame.url.startswith("http"):
            host = host_of(frame.url)
            record.iframes.append(FrameRecord(url=frame.url, host=host, name=frame.name or None, page_url=record.url,
                                              party=recorder.party(host)))

    async def _outline_ticked_controls(self, page: Page, forms: list[FormRecord]) -> None:
        """A control that is on before the visitor touched it is evidence in itself: photograph its form
        with the control outlined. Only ticked boxes, radios and switches: they are few."""
        outlined = False
        for form in forms:
            for control in form.controls:
                # Hidden boxes (a banner's greyed "necessary" toggle) cannot be photographed: skip them.
                if not control.checked or control.tag == "option" or not control.visible:
                    continue
                self.shots += 1
                relative = f"screenshots/control-{self.shots:04d}.jpg"
                path = self.workdir / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                outlined = True
                try:
                    target = page.locator(control.selector).first
                    await self.clock.call(target.evaluate(OUTLINE_JS), SCRIPT_TIMEOUT_S)
                    box = page.locator(form.selector).first if form.selector else target
                    await self.clock.call(box.screenshot(path=str(path), type="jpeg", quality=60, timeout=1500), 3)
                    await self.clock.call(target.evaluate(UNOUTLINE_JS), SCRIPT_TIMEOUT_S)
                    control.screenshot = relative
                except (PlaywrightError, TimeoutError):
                    continue
        if outlined:
            async with quietly():  # the page screenshot is of the first viewport
                await self.clock.call(page.evaluate("scrollTo(0, 0)"), SCRIPT_TIMEOUT_S)

    async def _screenshot(self, page: Page, phase: Phase, index: int, timeout_s: float) -> str | None:
        relative = f"screenshots/{phase.value}-{index:03d}.jpg"
        path = self.workdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            await self.clock.call(page.screenshot(path=str(path), type="jpeg", quality=60, timeout=timeout_s * 1000),
                                  timeout_s + 1)
        except (PlaywrightError, TimeoutError):
            return None
        return relative


MAX_HANGING_NOTED = 20


def _open_requests(recorder: PhaseRecorder, page_url: str) -> list[str]:
    """The page's requests that had neither an answer nor a failure when it was captured."""
    return [r.url[:300] for r in recorder.requests
            if r.page_url == page_url and r.duration_ms is None and r.failure is None][:MAX_HANGING_NOTED]


def _refused_response(record: PageRecord, response: Response) -> bool:
    record.status = response.status
    refused = response.headers.get("x-privacyscan-refused")
    if refused:
        record.error = f"{'refused' if response.status == 403 else 'unreachable'}: {refused}"
        record.error_kind = "refused" if response.status == 403 else "no_document"
    return bool(refused)


async def _died_under_navigation(session: BrowserSession, exc: PlaywrightError) -> bool:
    """A renderer killed while its tab navigates shows first as net::ERR_ABORTED; the crash event follows
    a moment later. Without this look, the page would pass for one whose server sent nothing."""
    if "ERR_ABORTED" not in str(exc):
        return False
    await asyncio.sleep(CRASH_EVENT_WAIT_S)
    return session.page_crashed or session.closed


def _raise_if_crashed(session: BrowserSession, exc: PlaywrightError) -> None:
    """A crash is the runner's to recover from: the tab's renderer (a new tab helps) or the browser."""
    if session.closed:
        raise BrowserCrashed(first_line(str(exc))) from exc
    if session.page_crashed or "crash" in str(exc).lower():
        raise PageCrashed(first_line(str(exc))) from exc
    if looks_like_crash(exc):
        raise BrowserCrashed(first_line(str(exc))) from exc
