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
    settle_s: float = 1.0
    quiet_window_s: float = 0.5
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

    def url_allowed(self, url: str) -> bool:
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)
