"""One Chromium with one fresh profile and the one tab the crawl browses in: launching it, opening a tab
that a page cannot hold (dialogs answered, `beforeunload` never keeps us, popups closed), noticing that
the tab or the whole browser crashed, and closing it within a deadline (killing it if it will not go)."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import BrowserContext, Dialog, Page, Playwright
from playwright.async_api import Error as PlaywrightError

from ..models import BrowserInfo
from ..settings import ScanOptions
from .browser import launch_profile
from .calls import CLOSE_TIMEOUT_S, SCRIPT_TIMEOUT_S, CallClock, bounded, forget, kill_chromium_of, quietly
from .events import PhaseRecorder

LAUNCH_TIMEOUT_S = 30.0
NEW_TAB_TIMEOUT_S = 10.0


@dataclass
class BrowserSession:
    context: BrowserContext
    profile: Path
    clock: CallClock
    page: Page | None = None
    closed: bool = False  # the browser went away (crash, kill) or was closed
    page_crashed: bool = False  # the current tab's renderer died
    _pages_seen: set[int] = field(default_factory=set)

    @classmethod
    async def launch(cls, playwright: Playwright, options: ScanOptions, profile: Path, proxy_url: str,
                     clock: CallClock) -> BrowserSession:
        """A fresh Chromium with a fresh profile: no cookies, no storage, third-party cookies allowed."""
        context = await clock.call(launch_profile(
            playwright, profile, proxy_url, executable=options.chromium_path,
            extra_args=options.extra_chromium_args, ignore_https_errors=options.ignore_https_errors,
            user_agent=options.user_agent, timeout_s=options.page_timeout_s, env=options.chromium_env,
        ), LAUNCH_TIMEOUT_S)
        session = cls(context=context, profile=profile, clock=clock)
        context.on("close", lambda _context: setattr(session, "closed", True))
        context.on("page", session._close_if_popup)
        return session

    async def browser_info(self) -> BrowserInfo:
        page = self.context.pages[0] if self.context.pages else await self.tab()
        cdp = await self.clock.call(self.context.new_cdp_session(page), SCRIPT_TIMEOUT_S)
        info = await self.clock.call(cdp.send("Browser.getVersion"), SCRIPT_TIMEOUT_S)
        await self.clock.call(cdp.detach(), SCRIPT_TIMEOUT_S)
        user_agent = await self.clock.call(page.evaluate("navigator.userAgent"), SCRIPT_TIMEOUT_S)
        return BrowserInfo(version=info.get("product", "").split("/")[-1], user_agent=user_agent)

    async def tab(self, recorder: PhaseRecorder | None = None) -> Page:
        """The tab to browse in: the current one, or a new one (the first the browser opened, if any)."""
        if self.page is not None and not self.page.is_closed() and not self.page_crashed:
            return self.page
        if not self._pages_seen and self.context.pages:
            page = self.context.pages[0]  # the tab a persistent profile opens with
        else:
            page = await self.clock.call(self.context.new_page(), NEW_TAB_TIMEOUT_S)
        self._pages_seen.add(id(page))
        self.page, self.page_crashed = page, False
        page.on("dialog", _answer_dialog)
        page.on("crash", lambda crashed: setattr(self, "page_crashed", self.page is crashed or self.page_crashed))
        if recorder is not None:
            await self._record_initiators(page, recorder)
        return page

    async def replace_tab(self, recorder: PhaseRecorder) -> Page:
        """Leave the current tab (busy or crashed) behind without running its unload handlers; a new tab
        gets a renderer of its own."""
        old = self.page
        self.page = None
        if old is not None:
            # Not awaited: a tab whose renderer spins can take seconds to close, and the budget is the scan's.
            closing = asyncio.ensure_future(bounded(old.close(run_before_unload=False), CLOSE_TIMEOUT_S))
            closing.add_done_callback(forget)
        return await self.tab(recorder)

    def _close_if_popup(self, popup: Page) -> None:
        async def close() -> None:
            async with quietly():
                if await bounded(popup.opener(), SCRIPT_TIMEOUT_S) is not None:  # the site's window.open
                    await bounded(popup.close(run_before_unload=False), CLOSE_TIMEOUT_S)

        asyncio.ensure_future(close())

    async def _record_initiators(self, page: Page, recorder: PhaseRecorder) -> None:
        """Which script or document started each request (from CDP; "where known")."""

        def on_will_be_sent(event: dict) -> None:
            initiator = event.get("initiator") or {}
            url = initiator.get("url")
            if not url:
                frames = (initiator.get("stack") or {}).get("callFrames") or []
                url = frames[0]["url"] if frames else None
            if url:
                recorder.initiators.setdefault(event["request"]["url"], url)

        try:
            cdp = await self.clock.call(self.context.new_cdp_session(page), SCRIPT_TIMEOUT_S)
            await self.clock.call(cdp.send("Network.enable"), SCRIPT_TIMEOUT_S)
            cdp.on("Network.requestWillBeSent", on_will_be_sent)
        except (PlaywrightError, TimeoutError):
            pass

    async def close(self, timeout_s: float = CLOSE_TIMEOUT_S) -> None:
        """Close within a deadline of its own (also when the budget is spent or a stop was asked for); a
        browser that will not close (a window.open storm) is killed."""
        try:
            await bounded(self.context.close(), timeout_s)
        except (PlaywrightError, TimeoutError):
            kill_chromium_of(self.profile)
        except BaseException:  # interrupted while closing: still no Chromium left behind
            kill_chromium_of(self.profile)
            raise
        finally:
            self.closed = True
            shutil.rmtree(self.profile, ignore_errors=True)


def _answer_dialog(dialog: Dialog) -> None:
    """Alerts and prompts are dismissed; `beforeunload` is accepted, so a page can never keep the crawl
    from leaving it (dismissing it would cancel the navigation: net::ERR_ABORTED on every later page)."""
    answer = dialog.accept() if dialog.type == "beforeunload" else dialog.dismiss()
    asyncio.ensure_future(answer).add_done_callback(forget)
