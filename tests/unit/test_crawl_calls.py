"""Deadlines and stop requests on browser calls, and the replay order of later phases: the pure parts of
the crawl's fault handling, tested without a browser."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from privacyscan.crawl.calls import MIN_CALL_S, CallClock, Interrupted, bounded, first_line, looks_like_crash
from privacyscan.crawl.control import StopToken
from privacyscan.crawl.frontier import ReplayQueue


def test_a_call_that_answers_in_time_returns_its_result():
    async def answer():
        await asyncio.sleep(0.01)
        return 42

    assert asyncio.run(bounded(answer(), 1.0, StopToken())) == 42


def test_a_call_that_never_answers_ends_at_its_deadline_and_is_cancelled():
    cancelled = []

    async def never():
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    async def run():
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await bounded(never(), 0.3)
        await asyncio.sleep(0)  # let the cancellation land
        return time.monotonic() - started

    assert asyncio.run(run()) < 0.6 and cancelled == [True]


def test_a_stop_request_from_another_thread_ends_a_long_wait_within_a_poll():
    stop = StopToken()

    async def run():
        threading.Timer(0.2, stop.stop, args=("interrupted by SIGTERM",)).start()
        started = time.monotonic()
        with pytest.raises(Interrupted, match="SIGTERM"):
            await bounded(asyncio.sleep(3600), 60, stop)
        return time.monotonic() - started

    assert asyncio.run(run()) < 0.5


def test_a_stop_request_also_ends_a_loop_of_short_waits():
    """The decoy of a stop check only while waiting: a settle loop of 50 ms sleeps never waits long."""
    stop = StopToken()
    clock = CallClock(60, stop)

    async def settle_loop():
        for _ in range(1000):
            await clock.sleep(0.05)

    stop.stop("interrupted by SIGINT")
    with pytest.raises(Interrupted):
        asyncio.run(settle_loop())


def test_a_call_is_bounded_by_the_budget_left_but_never_below_the_floor():
    clock = CallClock(10, StopToken())
    assert 9 < clock.bound(30) <= 10  # the budget, not the cap
    assert clock.bound(2) == 2  # the cap, not the budget
    spent = CallClock(-5, StopToken())
    assert spent.bound(30) == MIN_CALL_S  # closing must still be possible


def test_crash_messages_are_told_from_other_errors():
    assert looks_like_crash(Exception("Target page, context or browser has been closed"))
    assert looks_like_crash(Exception("Navigation failed because page crashed!"))
    assert not looks_like_crash(Exception("net::ERR_NAME_NOT_RESOLVED at http://x.example/"))
    assert first_line("Page.goto: net::ERR_ABORTED at http://a/\nCall log:\n  ...") == "net::ERR_ABORTED at http://a/"


def test_the_replay_visits_the_first_page_again_right_after_the_consent_choice():
    queue = ReplayQueue(["https://a.example/", "https://a.example/b", "https://a.example/c"])
    assert queue.pop() == ("https://a.example/", 0, 0.0)
    queue.again("https://a.example/")
    assert [queue.pop()[0] for _ in range(3)] == ["https://a.example/", "https://a.example/b", "https://a.example/c"]
    assert queue.pop() is None and len(queue) == 0
