"""The checks: small pure functions from labelled evidence to findings.

A rule is `def rule(ctx: CheckContext) -> list[Finding]` with a docstring that says what it catches and
which look-alike (the decoy) it must leave alone. `all_rules()` lists them; `run_checks` runs them
all (findings sorted by severity), and a rule that raises becomes an `internal_error` finding instead of losing the report.
"""

from __future__ import annotations

from ..models import Confidence, Finding
from ..wording import words
from . import behaviour, consent, crawl_health, forms, privacy_notice, transfers
from .consolidate import consolidate
from .context import CheckContext, Rule
from .finding import evidence_item, finding

__all__ = ["CheckContext", "Rule", "all_rules", "run_checks"]


def all_rules() -> list[Rule]:
    return [*crawl_health.RULES, *transfers.RULES, *forms.RULES, *privacy_notice.RULES, *consent.RULES,
            *behaviour.RULES]


def run_checks(ctx: CheckContext, rules: list[Rule] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules if rules is not None else all_rules():
        try:
            findings.extend(rule(ctx))
        except Exception as exc:  # a broken rule must not lose the scan; it shows up as its own finding
            name = getattr(rule, "__name__", str(rule))
            findings.append(
                finding(
                    "internal_error",
                    title=words("internal_error.title", name=name),
                    confidence=Confidence.low,
                    explanation=words("internal_error.explanation", error=f"{type(exc).__name__}: {exc}"),
                    evidence=[evidence_item(words("evidence.check_raised"), kind="note")],
                    subject=getattr(rule, "__name__", "rule"),
                )
            )
    findings = consolidate(findings)
    findings.sort(key=lambda f: (-f.severity.rank, f.rule_id, f.subject))
    return findings
