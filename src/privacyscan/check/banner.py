"""The consent banner as the crawl recorded it: whether the site has a consent mechanism at all, the banner
as first seen, and the banner as evidence."""

from __future__ import annotations

from ..models import BannerRecord, Evidence, EvidenceItem, Phase


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
            EvidenceItem(
                kind="screenshot",
                description="the banner as first shown",
                screenshot=banner.screenshot,
                page_url=banner.page_url,
                phase=phase,
                selector=banner.selector,
            )
        )
    buttons = (
        "; ".join(f"'{b.text}' ({b.role}, {b.width:.0f}x{b.height:.0f} px)" for b in banner.buttons) or "none"
    )
    items.append(
        EvidenceItem(
            kind="banner",
            description=f"banner ({banner.detected_by}) buttons: {buttons}",
            page_url=banner.page_url,
            phase=phase,
            selector=banner.selector,
            quote=banner.text[:500] or None,
        )
    )
    return items
