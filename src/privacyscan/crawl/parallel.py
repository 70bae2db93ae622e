"""The three phases at once: a browser each, the later phases replaying the first phase's pages as it
records them.

How the later phases get their pages: they wait on the first phase's list (`PageFeed`) rather than
discovering on their own. Discovery by themselves would be deterministic only on a deterministic site:
the before-consent phase sees the site without consent, the after-accept phase may see other links
(a banner gone, personalised blocks), and the point of the comparison is the same pages in the same order
in every phase. Waiting on the feed costs about one page of lag (a later phase visits page k once the first
phase has recorded it), so a full scan still costs about one phase of wall time.

The feed also carries the first page's verdict on consent: when the before-consent phase found no banner
and no consent API, the later phases have nothing to act on and are not run (`skip_reason`).

Whether the phases fit at once is a memory question (`phases_fit`): each Chromium with its renderer takes
a few hundred MiB; when the machine (or the Lambda) has not that much available, the phases run one after
another as before.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

MEMINFO = Path("/proc/meminfo")


def available_mib(meminfo: Path = MEMINFO) -> int | None:
    """MemAvailable in MiB, None when the system does not say (not Linux)."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def phases_fit(browsers: int, browser_mib: int, free_mib: int | None) -> bool:
    """True when `browsers` browsers of `browser_mib` each fit in the free memory (with one browser's
    worth kept free for the rest of the system). Unknown free memory: do not risk it."""
    if browsers <= 1 or free_mib is None:
        return False
    return free_mib >= (browsers + 1) * browser_mib


@dataclass
class PageFeed:
    """The pages the before-consent phase recorded without error, in order, published as they come."""

    limit: int
    urls: list[str] = field(default_factory=list)
    closed: bool = False
    skip_reason: str | None = None
    decided: asyncio.Event = field(default_factory=asyncio.Event)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def publish(self, url: str) -> None:
        async with self._changed:
            if url not in self.urls and len(self.urls) < self.limit:
                self.urls.append(url)
            self._changed.notify_all()

    def decide(self, skip_reason: str | None) -> None:
        """The first page's verdict on consent (once)."""
        if not self.decided.is_set():
            self.skip_reason = skip_reason
            self.decided.set()

    async def close(self) -> None:
        self.decide(None)
        async with self._changed:
            self.closed = True
            self._changed.notify_all()

    async def wait_beyond(self, count: int) -> bool:
        """Wait until the feed holds more than `count` pages (True) or is closed without them (False)."""
        async with self._changed:
            await self._changed.wait_for(lambda: len(self.urls) > count or self.closed)
            return len(self.urls) > count


@dataclass
class FeedReplay:
    """A later phase's queue: the site's first page, then the feed's pages in order; a page again right
    after a consent choice (as `frontier.ReplayQueue`)."""

    feed: PageFeed
    first_url: str
    limit: int
    _taken: int = 0
    _served: list[str] = field(default_factory=list)
    _again: list[str] = field(default_factory=list)

    async def next_item(self) -> tuple[str, int, float] | None:
        if self._again:
            return self._again.pop(0), 0, 0.0
        while len(self._served) < self.limit:
            if not self._served:
                url: str | None = self.first_url
            elif self._taken < len(self.feed.urls) or await self.feed.wait_beyond(self._taken):
                url = self.feed.urls[self._taken]
                self._taken += 1
            else:
                return None
            if url in self._served:
                continue
            self._served.append(url)
            return url, 0, 0.0
        return None

    def again(self, url: str) -> None:
        self._again.append(url)

    def __len__(self) -> int:
        return len(self._again) + max(0, len(self.feed.urls) - self._taken)
