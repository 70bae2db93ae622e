"""Reviewed reference data every stage may read: the JSON files in this folder and the small loaders that
compile them. Neutral ground: it imports no stage, so crawl, classify, forms, notice and check can all read
one EEA list and one set of banner phrases."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def eea_countries() -> frozenset[str]:
    """ISO codes of the EEA member states (the EU plus Iceland, Liechtenstein and Norway)."""
    text = resources.files("privacyscan").joinpath("data/eea_countries.json").read_text(encoding="utf-8")
    return frozenset(json.loads(text)["countries"])
