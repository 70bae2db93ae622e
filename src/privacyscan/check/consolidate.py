"""One finding per problem and subject. Rules judge each phase on its own (a recipient before consent, the
same recipient after accept), so the same problem can come out once per phase or page; a person wants it
once, with every phase and page where it was seen and all the evidence. The most serious of the duplicates
leads (its title, severity, explanation and fix); the others add their phases, pages and evidence."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import EvidenceItem, Finding, Phase, finding_id


def consolidate(findings: Iterable[Finding]) -> list[Finding]:
    groups: dict[str, list[Finding]] = {}
    for found in findings:
        groups.setdefault(finding_id(found.rule_id, found.subject), []).append(found)
    return [_merged(fid, group) for fid, group in groups.items()]


def _merged(fid: str, group: list[Finding]) -> Finding:
    lead = max(group, key=lambda f: (f.severity.rank, f.confidence.rank))
    evidence = _evidence(group)
    phases = _phases(group, evidence)
    pages = list(dict.fromkeys(item.page_url for item in evidence if item.page_url))
    return lead.model_copy(update={
        "id": fid, "phase": phases[0] if phases else None, "phases": phases, "pages": pages, "evidence": evidence,
    })


def _evidence(group: list[Finding]) -> list[EvidenceItem]:
    """Every item once; an item that did not say its phase takes its finding's."""
    seen: dict[str, EvidenceItem] = {}
    for found in group:
        for item in found.evidence:
            if item.phase is None and found.phase is not None:
                item = item.model_copy(update={"phase": found.phase})
            seen.setdefault(item.model_dump_json(), item)
    return list(seen.values())


def _phases(group: list[Finding], evidence: list[EvidenceItem]) -> list[Phase]:
    named = {p for f in group for p in f.phases} | {f.phase for f in group if f.phase} | {
        e.phase for e in evidence if e.phase}
    return [phase for phase in Phase if phase in named]
