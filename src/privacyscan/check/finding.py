"""One way to make a finding: what is the same for every finding of a rule (title, default severity, legal
references, fix) comes from the rule registry (`privacyscan.rules`, data/rules.json); what a finding says
about its own subject (the explanation, the evidence, and a title, severity or fix of its own where the
rule's generic one would say less) is passed in."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Confidence, EvidenceItem, Finding, Phase, Severity
from ..rules import rule_spec


def finding(
    rule_id: str,
    *,
    subject: str,
    explanation: str,
    evidence: Iterable[EvidenceItem] = (),
    phase: Phase | None = None,
    title: str | None = None,
    severity: Severity | None = None,
    confidence: Confidence = Confidence.high,
    legal: list[str] | None = None,
    fix: str | None = None,
) -> Finding:
    """A finding of a registered rule; raises `UnknownRule` for an id that is not in the registry."""
    spec = rule_spec(rule_id)
    text = spec.text()
    return Finding(
        rule_id=rule_id,
        title=title or text.title,
        severity=severity or spec.severity,
        confidence=confidence,
        legal_reference=list(spec.legal) if legal is None else legal,
        phase=phase,
        explanation=explanation,
        fix=fix or text.fix,
        evidence=list(evidence),
        subject=subject,
    )
