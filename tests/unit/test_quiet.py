"""The quiet decision (crawl/quiet.py) and the phases-at-once plumbing (crawl/parallel.py), without a
browser: pure functions and the page feed's ordering."""

from __future__ import annotations

import asyncio
from pathlib import Path

from privacyscan.crawl.parallel import FeedReplay, PageFeed, available_mib, phases_fit
from privacyscan.crawl.quiet import PageSignals, QuietRule, is_quiet

RULE = QuietRule(window_s=0.5, cap_s=8.0)


def test_quiet_when_network_and_page_are_still_and_no_timer_is_pending() -> None:
    assert is_quiet(10.0, last_network=9.0, signals=PageSignals(1.0, 0.0), rule=RULE, started=8.0)


def test_not_quiet_while_a_request_just_started_or_ended() -> None:
    assert not is_quiet(10.0, last_network=9.8, signals=PageSignals(5.0, 0.0), rule=RULE, started=8.0)


def test_not_quiet_while_the_dom_or_storage_just_changed() -> None:
    assert not is_quiet(10.0, last_network=5.0, signals=PageSignals(0.1, 0.0), rule=RULE, started=8.0)


def test_not_quiet_while_a_short_timer_is_pending() -> None:
    assert not is_quiet(10.0, last_network=5.0, signals=PageSignals(5.0, 2.5), rule=RULE, started=8.0)


def test_not_quiet_before_the_fixed_extra_wait_the_user_asked_for() -> None:
    rule = QuietRule(window_s=0.5, cap_s=8.0, minimum_s=3.0)
    assert not is_quiet(10.0, last_network=5.0, signals=PageSignals(5.0, 0.0), rule=rule, started=8.0)
    assert is_quiet(11.5, last_network=5.0, signals=PageSignals(5.0, 0.0), rule=rule, started=8.0)


def test_a_page_that_cannot_answer_leaves_the_network_as_evidence() -> None:
    assert is_quiet(10.0, last_network=9.0, signals=None, rule=RULE, started=8.0)
    assert not is_quiet(10.0, last_network=9.9, signals=None, rule=RULE, started=8.0)


def test_probe_answers_are_read_defensively() -> None:
    assert PageSignals.from_probe({"changedAgoMs": 1500, "dueInMs": 250}) == PageSignals(1.5, 0.25)
    for junk in (None, "x", {"changedAgoMs": "soon"}, {"dueInMs": 1}, [1, 2]):
        assert PageSignals.from_probe(junk) is None


def test_phases_run_at_once_only_when_their_browsers_fit() -> None:
    assert phases_fit(3, 450, free_mib=4 * 450)
    assert not phases_fit(3, 450, free_mib=4 * 450 - 1)  # one browser's worth stays free
    assert not phases_fit(1, 450, free_mib=10_000)  # one phase: nothing to run at once
    assert not phases_fit(3, 450, free_mib=None)  # unknown memory: do not risk it


def test_available_memory_is_read_from_meminfo(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       8000000 kB\nMemAvailable:   2097152 kB\n")
    assert available_mib(meminfo) == 2048
    meminfo.write_text("MemTotal:       8000000 kB\n")
    assert available_mib(meminfo) is None
    assert available_mib(tmp_path / "missing") is None


def test_a_later_phase_replays_the_first_phases_pages_as_they_come() -> None:
    async def run() -> list:
        feed = PageFeed(limit=3)
        replay = FeedReplay(feed, "https://a.example/", limit=3)
        taken = [await replay.next_item()]  # the site's first page needs no feed
        replay.again("https://a.example/")  # after the consent click
        taken.append(await replay.next_item())
        waiting = asyncio.ensure_future(replay.next_item())
        await asyncio.sleep(0)
        assert not waiting.done()  # waits on the first phase
        await feed.publish("https://a.example/")  # already visited: skipped
        await feed.publish("https://a.example/b")
        taken.append(await waiting)
        await feed.publish("https://a.example/b")  # published twice: once
        await feed.publish("https://a.example/c")
        await feed.publish("https://a.example/d")  # beyond the page limit
        taken.append(await replay.next_item())
        await feed.close()
        taken.append(await replay.next_item())
        return taken

    urls = [item[0] if item else None for item in asyncio.run(run())]
    assert urls == ["https://a.example/", "https://a.example/", "https://a.example/b", "https://a.example/c", None]


def test_a_closed_empty_feed_ends_a_later_phase_after_the_first_page() -> None:
    async def run() -> list:
        feed = PageFeed(limit=5)
        await feed.close()
        replay = FeedReplay(feed, "https://a.example/", limit=5)
        return [await replay.next_item(), await replay.next_item()]

    first, second = asyncio.run(run())
    assert first == ("https://a.example/", 0, 0.0) and second is None


def test_the_first_verdict_on_consent_stands() -> None:
    async def run() -> PageFeed:
        feed = PageFeed(limit=5)
        feed.decide("no banner")
        feed.decide(None)
        await feed.close()
        return feed

    feed = asyncio.run(run())
    assert feed.decided.is_set() and feed.skip_reason == "no banner"
