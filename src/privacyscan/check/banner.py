"""The consent banner as the crawl recorded it: whether the site has a consent mechanism at all, the banner
as first seen, and the banner as evidence."""

from __future__ import annotations

from ..models import BannerRecord, Evidence, EvidenceItem, Phase
from ..wording import listing, words
from .finding import evidence_item


def consent_mechanism(evidence: Evidence) -> bool | None:
    """True: a banner was found. False: the consent driver looked and found none. None: nobody looked."""
    if any(p.banners for p in evidence.phases):
        return True
    looked = any(p.consent_action is not None for p in evidence.phases)
    return False if looked else None


def first_banner(evidence: Evidence) -> tuple[BannerRecord, Phase] | None:
    """The banner as first seen, before consent when there."""
    for phase in sorted(evidence.phases, key=lambda p: list(Phase).index(p.phase)):
        if phase.banners:
            return phase.banners[0], phase.phase
    return None


def banner_items(banner: BannerRecord, phase: Phase) -> list[EvidenceItem]:
    """The banner as evidence: its screenshot and its buttons with their sizes."""
    items = []
    if banner.screenshot:
        items.append(
            evidence_item(
                words("evidence.banner_screenshot"),
                kind="screenshot",
                screenshot=banner.screenshot,
                page_url=banner.page_url,
                phase=phase,
                selector=banner.selector,
            )
        )
    buttons = listing(
        [words("evidence.banner_button", text=b.text, role=words(f"button_role.{b.role}"),
               width=round(b.width), height=round(b.height)) for b in banner.buttons],
        "semicolon",
    ) if banner.buttons else words("none")
    items.append(
        evidence_item(
            words("evidence.banner_buttons", detected_by=banner.detected_by, buttons=buttons),
            kind="banner",
            page_url=banner.page_url,
            phase=phase,
            selector=banner.selector,
            quote=banner.text[:500] or None,
        )
    )
    return items
