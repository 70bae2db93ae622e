"""Reading a behaviour scan's findings and evidence in the tests."""

from __future__ import annotations

from privacyscan.models import BehaviourRecord, Finding, Phase
from privacyscan.report.model import ScanReport


def findings_of(report: ScanReport, rule_id: str) -> list[Finding]:
    return [f for f in report.findings if f.rule_id == rule_id]


def behaviour_of(report: ScanReport, phase: Phase = Phase.before_consent, kind: str | None = None) -> list[BehaviourRecord]:
    evidence = report.evidence.phase(phase)
    assert evidence is not None, f"no {phase.value} phase"
    return [r for r in evidence.behaviour if kind is None or r.kind == kind]


def evidence_text(finding: Finding) -> str:
    return "\n".join(f"{e.description} {e.url or ''} {e.page_url or ''} {e.quote or ''}" for e in finding.evidence)
