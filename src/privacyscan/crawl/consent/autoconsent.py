"""DuckDuckGo autoconsent (`@duckduckgo/autoconsent`, MPL-2.0), pinned in vendor/js/package.json.

We use its Playwright content script (`dist/autoconsent.playwright.js`) and its full rule file
(`rules/rules.json`; the compact rules lack the opt-in steps) to recognise consent platforms. It never
acts on its own here: the config sets no automatic action, no cosmetic hiding, no pre-hiding and no
heuristic clicking, so the page looks to us as it looks to a visitor. Its rules also tell us which
selectors a platform's reject and accept steps click, which the driver uses to click the visible button
itself.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from ...jsdeps import js_package_dir, js_package_version

PACKAGE = "@duckduckgo/autoconsent"

CONFIG: dict[str, Any] = {
    "enabled": True,
    "autoAction": None,
    "disabledCmps": [],
    "enablePrehide": False,
    "enableCosmeticRules": False,
    "enableGeneratedRules": True,
    "enableHeuristicDetection": False,
    "heuristicMode": "off",
    "detectRetries": 20,
    "isMainWorld": False,
    "prehideTimeout": 0,
    "visualTest": False,
    "logs": {
        "lifecycle": False,
        "rulesteps": False,
        "detectionsteps": False,
        "evals": False,
        "errors": False,
        "messages": False,
        "waits": False,
    },
}
DISABLED_CONFIG: dict[str, Any] = {**CONFIG, "enabled": False}


@dataclass(frozen=True)
class Autoconsent:
    version: str
    script: str
    rules: tuple[dict, ...]

    def rules_for(self, url: str, main_frame: bool) -> list[dict]:
        """The rules that can apply to a frame: site-specific ones only on their own site (as
        autoconsent's own runner filters the compact rules), cosmetic ones never (we do not hide)."""
        out = []
        for rule in self.rules:
            if rule.get("cosmetic"):
                continue
            context = rule.get("runContext") or {}
            if main_frame and context.get("main") is False:
                continue
            if not main_frame and not context.get("frame"):
                continue
            pattern = context.get("urlPattern")
            if pattern and not _matches(pattern, url):
                continue
            out.append(rule)
        return out

    def rule(self, name: str) -> dict | None:
        return next((r for r in self.rules if r.get("name") == name), None)


@functools.cache
def _compiled(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _matches(pattern: str, url: str) -> bool:
    compiled = _compiled(pattern)
    return True if compiled is None else bool(compiled.search(url))


@functools.cache
def load_autoconsent() -> Autoconsent | None:
    """The installed package, or None when it is not installed (the driver then uses its phrase fallback
    alone and says so in the banner's `detected_by`)."""
    folder = js_package_dir(PACKAGE)
    if folder is None:
        return None
    try:
        script = (folder / "dist" / "autoconsent.playwright.js").read_text(encoding="utf-8")
        rules = json.loads((folder / "rules" / "rules.json").read_text(encoding="utf-8"))["autoconsent"]
    except (OSError, ValueError, KeyError):
        return None
    return Autoconsent(version=js_package_version(PACKAGE) or "", script=script, rules=tuple(rules))


def _selectors(value: Any) -> list[str]:
    """A rule step's element selector as one CSS selector (a chain through shadow roots and frames is
    kept only when it has one element: we cannot click into it with a plain selector)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        return [value[0]]
    return []


def clicked_selectors(steps: list[dict] | None) -> list[str]:
    """Every selector a rule's steps click, in order, looking into if/then/else and any-of branches."""
    out: list[str] = []
    for step in steps or []:
        if not isinstance(step, dict):
            continue
        for key in ("click", "waitForThenClick"):
            if key in step:
                out.extend(s for s in _selectors(step[key]) if s not in out)
        for key in ("then", "else", "any"):
            out.extend(s for s in clicked_selectors(step.get(key)) if s not in out)
    return out


def uses_eval(steps: list[dict] | None) -> bool:
    """True when a rule's steps call the platform's JavaScript (an `eval` step)."""
    for step in steps or []:
        if not isinstance(step, dict):
            continue
        if "eval" in step or any(uses_eval(step.get(k)) for k in ("then", "else", "any")):
            return True
    return False


def visible_selectors(steps: list[dict] | None) -> list[str]:
    """The selectors a rule's detectPopup steps test for visibility (the banner's container)."""
    out: list[str] = []
    for step in steps or []:
        if isinstance(step, dict):
            for key in ("visible", "exists", "waitForVisible"):
                if key in step:
                    out.extend(s for s in _selectors(step[key]) if s not in out)
    return out
