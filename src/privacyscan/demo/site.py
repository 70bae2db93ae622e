"""The bundled demo: a small Norwegian web shop with the usual problems, served on loopback together
with imitations of the vendors it embeds, so `privacyscan demo` shows a real scan without internet."""

from __future__ import annotations

from pathlib import Path

from .webserver import VirtualHostWeb

HERE = Path(__file__).parent
DEMO_ROOTS = (HERE / "site", HERE / "vendors")


def demo_web() -> VirtualHostWeb:
    return VirtualHostWeb(roots=[r for r in DEMO_ROOTS if r.is_dir()])
