"""How a front door asks a running crawl to stop early (Ctrl-C, SIGTERM, a Lambda about to time out):
the crawl finishes what it can within a few seconds, keeps what it gathered and marks the scan
incomplete with the reason. Thread-safe, because signal handlers and the crawl's event loop may live on
different threads."""

from __future__ import annotations

import threading


class StopToken:
    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason: str | None = None

    def stop(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
            self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()
