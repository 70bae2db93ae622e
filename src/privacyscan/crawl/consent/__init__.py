"""Consent under test: find a page's consent banner and answer it as a visitor would.

`make_consent_driver()` is what the pipeline asks for. The driver (`driver.py`) uses DuckDuckGo's
autoconsent (`autoconsent.py`) to recognise consent platforms and a phrase-based fallback
(`phrases.py`, `../consent_banner.js`) for home-made banners; `tcf.py` decodes IAB TCF consent strings.
`phrases` and `tcf` are pure and are read by the checks too; only `driver` needs Playwright, so it is
imported on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .driver import ConsentBannerDriver


def make_consent_driver(**kwargs) -> ConsentBannerDriver:
    """The consent driver the crawler uses (keyword arguments: see `ConsentBannerDriver`)."""
    from .driver import ConsentBannerDriver

    return ConsentBannerDriver(**kwargs)
