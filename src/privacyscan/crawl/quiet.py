"""Wait on evidence, not on the clock: after a load (or a consent click), wait until the page is quiet.

Quiet means, all at once: no request started or ended for the quiet window (an open long-poll does not
hold the wait: only activity counts), no DOM mutation and no cookie or web-storage write by the page for
the same window, and no short timer the page scheduled (`setTimeout`/`setInterval`/`requestIdleCallback`
within a 5 s horizon, see timers.js) still to fire. Each is capped by one deadline, so a page that never
stops animating costs the cap and no more; a page that is quiet at once costs one quiet window.

`minimum_s` is a fixed extra wait a user can ask for (`--settle`); the default is none.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from .calls import CallClock
from .events import PhaseRecorder

TIMERS_JS = (Path(__file__).parent / "timers.js").read_text(encoding="utf-8")
QUIET_JS = "() => (typeof window.__psQuiet === 'function' ? window.__psQuiet() : null)"
POLL_S = 0.05
COOKIE_POLL_S = 0.5
PAGE_POLL_S = 0.1
PROBE_TIMEOUT_S = 1.0


async def install_quiet_probe(context: BrowserContext) -> None:
    """Before the first navigation: every document of the context reports its own activity."""
    await context.add_init_script(script=TIMERS_JS)


@dataclass(frozen=True)
class QuietRule:
    """How long nothing may happen (`window_s`), for how long at least (`minimum_s`), and at most (`cap_s`)."""

    window_s: float
    cap_s: float
    minimum_s: float = 0.0


@dataclass
class PageSignals:
    """The page's own report (timers.js): seconds since it last changed, and how long until its last
    pending short timer fires. None when the page cannot answer (no probe, busy, navigating)."""

    changed_ago_s: float
    due_in_s: float

    @classmethod
    def from_probe(cls, data: object) -> PageSignals | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(float(data["changedAgoMs"]) / 1000, float(data["dueInMs"]) / 1000)
        except (KeyError, TypeError, ValueError):
            return None


def is_quiet(now: float, last_network: float, signals: PageSignals | None, rule: QuietRule, started: float) -> bool:
    """The decision, pure: the network and the page have been still for the window, no short timer is
    pending and the minimum has passed."""
    if now - started < rule.minimum_s or now - last_network < rule.window_s:
        return False
    if signals is None:
        return True  # the network is the evidence left
    return signals.changed_ago_s >= rule.window_s and signals.due_in_s <= 0


async def read_signals(page: Page, clock: CallClock) -> PageSignals | None:
    try:
        return PageSignals.from_probe(await clock.call(page.main_frame.evaluate(QUIET_JS), PROBE_TIMEOUT_S))
    except (PlaywrightError, TimeoutError):
        return None


@dataclass(frozen=True)
class QuietOutcome:
    waited_s: float
    quiet: bool  # False: the cap (or the scan's budget) ended the wait


async def wait_until_quiet(page: Page, context: BrowserContext, recorder: PhaseRecorder, clock: CallClock,
                           rule: QuietRule, since: float | None = None) -> QuietOutcome:
    """Wait until the page is quiet or the cap passes (measured from `since`, default now); the jar is read
    along the way so a cookie set and removed inside the wait is still seen. A stop request ends the wait
    (Interrupted, from the clock)."""
    started = since or time.monotonic()
    cap = started + max(rule.minimum_s, rule.cap_s)
    last_jar = last_probe = 0.0
    signals: PageSignals | None = None
    while True:
        now = time.monotonic()
        if now - last_jar >= COOKIE_POLL_S:
            await recorder.snapshot_cookies(context, clock)
            last_jar = now
        if now - last_probe >= PAGE_POLL_S and now - recorder.last_activity >= rule.window_s:
            # The page is asked only once the network is still: until then it cannot be quiet anyway.
            signals = await read_signals(page, clock)
            last_probe = now = time.monotonic()
        if is_quiet(now, recorder.last_activity, signals, rule, started):
            return QuietOutcome(now - started, quiet=True)
        if now >= cap or clock.remaining() < 1:
            return QuietOutcome(now - started, quiet=False)
        await clock.sleep(POLL_S)
