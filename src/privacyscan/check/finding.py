"""One way to make a finding: what is the same for every finding of a rule (title, default severity, legal
references, fix) comes from the rule registry (`privacyscan.rules`, data/rules.json); what a finding says
about its own subject (the explanation, the evidence, and a title, severity or fix of its own where the
rule's generic one would say less) is passed in, as a `Wording` (a key of data/finding_texts and its values,
`privacyscan.wording`) so the report can say it in its own language. The English rendering is kept in the
finding's plain fields, which report.json readers rely on."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Confidence, EvidenceItem, Finding, Phase, Severity, Wording
from ..rules import rule_spec
from ..wording import render


def _english(text: str | Wording | None) -> tuple[str | None, Wording | None]:
    if isinstance(text, Wording):
        return render(text, "en"), text
    return text, None


def finding(
    rule_id: str,
    *,
    subject: str,
    explanation: str | Wording,
    evidence: Iterable[EvidenceItem] = (),
    phase: Phase | None = None,
    title: str | Wording | None = None,
    severity: Severity | None = None,
    confidence: Confidence = Confidence.high,
    legal: list[str] | None = None,
    fix: str | Wording | None = None,
) -> Finding:
    """A finding of a registered rule; raises `UnknownRule` for an id that is not in the registry."""
    spec = rule_spec(rule_id)
    text = spec.text()
    title_en, title_wording = _english(title)
    explanation_en, explanation_wording = _english(explanation)
    fix_en, fix_wording = _english(fix)
    return Finding(
        rule_id=rule_id,
        title=title_en or text.title,
        severity=severity or spec.severity,
        confidence=confidence,
        legal_reference=list(spec.legal) if legal is None else legal,
        phase=phase,
        explanation=explanation_en,
        fix=fix_en or text.fix,
        evidence=list(evidence),
        subject=subject,
        title_wording=title_wording,
        explanation_wording=explanation_wording,
        fix_wording=fix_wording,
    )


def evidence_item(description: Wording, **fields: object) -> EvidenceItem:
    """An evidence item whose description is worded (English in `description`, the wording beside it)."""
    return EvidenceItem(description=render(description, "en"), description_wording=description, **fields)
