"""Every call into the browser has a deadline and hears a stop request.

Playwright's own timeouts cover navigation and waiting for selectors, not `evaluate`, `new_page`,
`context.cookies()`, `context.close()` or CDP: a page that spins or opens windows in a loop can hold any
of them for minutes. So the crawl makes each browser call through `CallClock.call`, which bounds it by
the smaller of a per-call cap and what is left of the time budget, and ends it within a tenth of a second
when the stop token is set (Ctrl-C, SIGTERM, a Lambda about to time out).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

from playwright.async_api import Error as PlaywrightError

from .control import StopToken

T = TypeVar("T")
STOP_POLL_S = 0.1
# A call still gets this long when the budget is spent: closing and tidying up must be possible.
MIN_CALL_S = 0.5
SCRIPT_TIMEOUT_S = 5.0  # evaluate on a page: a page that does not answer in 5 s is busy
CLOSE_TIMEOUT_S = 5.0  # closing a tab or a browser; after that the browser is killed
CRASH_MARKERS = ("has been closed", "Target crashed", "Browser closed", "browser has disconnected",
                 "Connection closed", "Target closed", "Page crashed", "crashed")


class Interrupted(Exception):
    """The stop token was set while a browser call was waiting."""


def first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "error"
    return re.sub(r"^\w+\.\w+: ", "", line)[:300]


def looks_like_crash(exc: BaseException) -> bool:
    text = str(exc)
    return any(marker in text for marker in CRASH_MARKERS)


class CallClock:
    """The crawl's time budget and stop token, shared by everything that calls the browser."""

    def __init__(self, budget_s: float, stop: StopToken) -> None:
        self.deadline = time.monotonic() + budget_s
        self.stop = stop

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def bound(self, cap_s: float) -> float:
        return max(MIN_CALL_S, min(cap_s, self.remaining()))

    async def call(self, awaitable: Awaitable[T], cap_s: float) -> T:
        """`awaitable` within min(cap_s, budget left) seconds; TimeoutError after that, Interrupted on stop."""
        return await bounded(awaitable, self.bound(cap_s), self.stop)

    async def sleep(self, seconds: float) -> None:
        """A wait that ends early (Interrupted) when the stop token is set."""
        await bounded(asyncio.sleep(seconds), seconds + 1, self.stop)


async def bounded(awaitable: Awaitable[T], seconds: float, stop: StopToken | None = None) -> T:
    task = asyncio.ensure_future(awaitable)
    give_up = time.monotonic() + seconds
    try:
        while True:
            if stop is not None and stop.is_set():  # also before a short call that would finish anyway
                raise Interrupted(stop.reason or "interrupted")
            wait = min(STOP_POLL_S, give_up - time.monotonic())
            if wait <= 0:
                raise TimeoutError(f"no answer within {seconds:.1f}s")
            done, _ = await asyncio.wait({task}, timeout=wait)
            if done:
                return task.result()
    finally:
        if not task.done():
            task.cancel()
            task.add_done_callback(forget)


def forget(task: asyncio.Future) -> None:
    """A done-callback for a browser call nobody waits for any more (cancelled, or a background close or
    dialog answer on a tab that may be gone): read its error so asyncio does not log it as unretrieved."""
    if not task.cancelled():
        task.exception()


class quietly:
    """Close and tidy-up calls on a browser that may already be gone or no longer answering."""

    async def __aenter__(self) -> quietly:
        return self

    async def __aexit__(self, exc_type, exc, tb) -> bool:
        return exc_type is not None and issubclass(exc_type, (PlaywrightError, TimeoutError))

    def __enter__(self) -> quietly:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        return exc_type is not None and issubclass(exc_type, (PlaywrightError, TimeoutError))


def kill_chromium_of(profile: Path) -> int:
    """SIGKILL every process started with this profile (the browser; its children die with it). The last
    resort when a browser does not close within its deadline. Returns how many were killed."""
    needle = f"--user-data-dir={profile}".encode()
    killed = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
                killed += 1
        except (OSError, ValueError):
            continue
    return killed
