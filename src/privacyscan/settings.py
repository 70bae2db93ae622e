"""Scan options, parsed once (from the CLI or a Lambda event) into one frozen object."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .models import Phase
from .netguard import HostMapping


@dataclass(frozen=True)
class ScanOptions:
    site_url: str
    max_pages: int = 20
    max_depth: int = 3
    time_budget_s: float = 600.0
    # After each load the crawl waits on evidence (crawl/quiet.py): until requests, DOM changes, cookie and
    # storage writes have paused for `quiet_window_s` and the short timers the page set have fired, at most
    # `quiet_cap_s`. `settle_s` is a fixed extra wait on top, for users who want one (none by default).
    settle_s: float = 0.0
    quiet_window_s: float = 0.3
    quiet_cap_s: float = 8.0
    page_timeout_s: float = 30.0
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    seeds: tuple[str, ...] = ()
    user_agent: str | None = None
    mappings: tuple[HostMapping, ...] = ()
    ignore_https_errors: bool = False
    allow_private_network: bool = False
    phases: tuple[Phase, ...] = (Phase.before_consent, Phase.after_reject, Phase.after_accept)
    screenshots: bool = True
    chromium_path: str | None = None
    extra_chromium_args: tuple[str, ...] = field(default=())
    # Added to the browser's environment (Lambda's Chromium finds its libraries and fonts through it).
    chromium_env: tuple[tuple[str, str], ...] = ()
    # Consent under test (crawl/consent): the longest look for a banner (the look ends early when the
    # page is quiet and shows no platform script and no banner-like element), and the watch after a
    # consent click: until requests, DOM changes and writes have paused for `consent_quiet_s` and the
    # click's short timers have fired (plus `consent_settle_s` fixed, none by default), capped.
    consent_detect_s: float = 12.0
    consent_settle_s: float = 0.0
    consent_quiet_s: float = 1.0
    consent_cap_s: float = 20.0
    # Behaviour (crawl/behaviour): instrument fingerprinting/session-recording calls and type test values
    # into fields. Off only to measure what it costs (benchmarks/crawl_speed.py --no-behaviour).
    behaviour: bool = True
    # Run the phases at once, a browser each, when this many MiB are free for them (else one by one).
    parallel_phases: bool = True
    browser_memory_mib: int = 450

    def url_allowed(self, url: str) -> bool:
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)
