"""The frontier: which same-site URL to visit next. Breadth-first, privacy-notice links first within a
depth, bounded per path for query-string variants, never the same URL twice."""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field

from ..settings import ScanOptions
from ..urls import MAX_QUERY_VARIANTS_PER_PATH, host_of, normalise, registrable_domain

SKIPPED_EXTENSIONS = re.compile(
    r"\.(pdf|zip|gz|tgz|rar|7z|exe|dmg|msi|apk|iso|mp3|mp4|mov|avi|wav|jpg|jpeg|png|gif|webp|svg|ico|docx?|xlsx?|pptx?|csv)$",
    re.IGNORECASE,
)


@dataclass
class Frontier:
    """Breadth-first frontier over same-site URLs; privacy-notice links jump the queue within a depth."""

    site_domain: str
    options: ScanOptions
    _heap: list[tuple[int, float, int, str]] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _variants: dict[str, int] = field(default_factory=dict)
    _seq: int = 0

    def add(self, url: str, depth: int, priority: float = 0.0) -> None:
        key = normalise(url)
        if key is None or key in self._seen or depth > self.options.max_depth:
            return
        host = host_of(key)
        if registrable_domain(host) != self.site_domain or not self.options.url_allowed(key):
            return
        path = key.split("?", 1)[0]
        if SKIPPED_EXTENSIONS.search(path):
            return
        if "?" in key:
            count = self._variants.get(path, 0)
            if count >= MAX_QUERY_VARIANTS_PER_PATH:
                return
            self._variants[path] = count + 1
        self._seen.add(key)
        self._seq += 1
        heapq.heappush(self._heap, (depth, -priority, self._seq, key))

    def pop(self) -> tuple[str, int, float] | None:
        """(url, depth, priority); priority > 0 means a link text said "privacy notice" or the like."""
        if not self._heap:
            return None
        depth, negative_priority, _, url = heapq.heappop(self._heap)
        return url, depth, -negative_priority

    def __len__(self) -> int:
        return len(self._heap)


@dataclass
class ReplayQueue:
    """The later phases visit the pages the first phase found, in the same order; the first page again
    right after a consent choice (trackers often fire on the next navigation after it)."""

    urls: list[str]
    _next: int = 0

    def pop(self) -> tuple[str, int, float] | None:
        if self._next >= len(self.urls):
            return None
        self._next += 1
        return self.urls[self._next - 1], 0, 0.0

    def again(self, url: str) -> None:
        self.urls.insert(self._next, url)

    def __len__(self) -> int:
        return len(self.urls) - self._next
