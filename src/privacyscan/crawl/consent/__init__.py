"""Consent under test: find a page's consent banner and answer it as a visitor would.

`make_consent_driver()` is what the pipeline asks for. The driver (`driver.py`) uses DuckDuckGo's
autoconsent (`autoconsent.py`) to recognise consent platforms and a phrase-based fallback
(`privacyscan.data.banner_phrases`, `../consent_banner.js`) for home-made banners; `tcf.py` decodes IAB
TCF consent strings (pure, read by the checks too).
"""

from __future__ import annotations

from .driver import ConsentBannerDriver

__all__ = ["ConsentBannerDriver", "make_consent_driver"]


def make_consent_driver(**kwargs) -> ConsentBannerDriver:
    """The consent driver the crawler uses (keyword arguments: see `ConsentBannerDriver`)."""
    return ConsentBannerDriver(**kwargs)
