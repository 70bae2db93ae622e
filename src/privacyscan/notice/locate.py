"""Which links point to a privacy notice. Link texts are short, so word lists decide, not a language
detector. (Starter list; the privacy-notice work extends it.)"""

from __future__ import annotations

import re

_NOTICE_LINK = re.compile(
    r"personvern|privacy|datenschutz|integritet|privatliv|cookie|informasjonskapsler",
    re.IGNORECASE,
)


def notice_link_score(text: str, url: str) -> float:
    """0 for an ordinary link; > 0 for a link that probably leads to a privacy/cookie notice."""
    return 1.0 if _NOTICE_LINK.search(text) or _NOTICE_LINK.search(url) else 0.0
