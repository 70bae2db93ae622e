"""The rule registry: every rule privacyscan can report, declared once in `data/rules.json`.

For each rule id: its area, default severity and legal references (the same in every language), and per
language (`en` for now) a generic title, what it catches, how to fix it and the look-alikes it must leave
alone (its decoys). The checks fill a finding's title, legal references and fix from here where they are
the same for every finding of the rule (`privacyscan.check.finding.finding`); the report formats (SARIF rule
descriptors) and, later, the policy file and the translations read the same entries.

Adding a rule: write the check (see docs/rules.md), add its entry to `data/rules.json`; the registry tests
fail until both agree.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import Field

from .models import Model, Severity

DEFAULT_LANGUAGE = "en"


class RuleArea(StrEnum):
    """What part of a site's privacy a rule looks at: the sections of a report, the tags in SARIF."""

    tracking_and_consent = "tracking_and_consent"
    third_country_transfers = "third_country_transfers"
    forms = "forms"
    privacy_notice = "privacy_notice"
    behaviour = "behaviour"
    crawl_health = "crawl_health"


class RuleText(Model):
    """A rule's words in one language."""

    title: str = Field(description="generic: names what the rule catches, never one finding's subject")
    description: str = Field(description="what the rule catches")
    fix: str = Field(description="how to fix it in general; a finding may say it for its own subject")
    decoys: list[str] = Field(default_factory=list, description="look-alike situations it must not flag")


class RuleSpec(Model):
    id: str
    area: RuleArea
    severity: Severity = Field(description="default severity; a finding's evidence may raise or lower it")
    legal: list[str] = Field(default_factory=list, description="legal references of the rule")
    texts: dict[str, RuleText] = Field(description="keyed by language code")

    def text(self, language: str = DEFAULT_LANGUAGE) -> RuleText:
        return self.texts.get(language) or self.texts[DEFAULT_LANGUAGE]


class UnknownRule(KeyError):
    """A rule id that is not in data/rules.json."""


@cache
def rule_registry() -> dict[str, RuleSpec]:
    """Every registered rule by id, in the file's order."""
    raw = json.loads(resources.files("privacyscan").joinpath("data/rules.json").read_text(encoding="utf-8"))
    registry = {}
    for rule_id, entry in raw.items():
        shared = {k: entry[k] for k in ("area", "severity", "legal")}
        texts = {k: v for k, v in entry.items() if k not in shared}
        registry[rule_id] = RuleSpec(id=rule_id, texts=texts, **shared)
    return registry


def rule_spec(rule_id: str) -> RuleSpec:
    try:
        return rule_registry()[rule_id]
    except KeyError:
        raise UnknownRule(f"rule {rule_id!r} is not in data/rules.json") from None
