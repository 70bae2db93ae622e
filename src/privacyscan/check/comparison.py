"""What each consent choice changed: per recipient and per cookie, before consent / after "reject all" /
after "accept all", next to the banner as found and what privacyscan clicked.

Computed once by the pipeline after classification (`consent_comparison(evidence, classification)`) and
kept in the report (`ScanReport.consent_comparison`); the report formats only render it. In the two "after"
phases only what happened from the click on counts, so a tracker that ran before the click and stopped is
not shown as running after the choice. Trackers are the classification's (`check.trackers.TrackerView`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..classify.model import Classification
from ..models import Evidence, Model, Party, Phase, PhaseEvidence
from ..urls import registrable_domain
from .banner import first_banner
from .trackers import TrackerView

PHASES = (Phase.before_consent, Phase.after_reject, Phase.after_accept)


class ComparisonCell(Model):
    """What one recipient or cookie did in one phase."""

    seen: bool = False
    requests: int = 0
    cookies: list[str] = Field(default_factory=list)
    first_ms: float | None = Field(
        default=None,
        description="first seen: ms since the phase started, or since the click in the after phases",
    )


class ComparisonRow(Model):
    """One recipient (by organisation, or registrable domain) or one cookie, across the phases."""

    kind: Literal["recipient", "cookie"]
    name: str
    detail: str = Field(default="", description="hosts of a recipient, or the domain of a cookie")
    category: str | None = None
    tracker: bool = False
    cells: dict[str, ComparisonCell] = Field(default_factory=dict, description="keyed by phase value")


class ChoiceSummary(Model):
    """The consent choice privacyscan made in one "after" phase, and how it went."""

    phase: Phase
    action: str | None = None
    method: str | None = None
    succeeded: bool | None = None
    button_text: str | None = None
    detail: str = ""
    banner_closed: bool | None = None
    tcf_purposes: list[int] | None = None
    tcf_vendors: int | None = None


class ConsentComparison(Model):
    """The banner as found, the choices made, and per recipient and cookie what each phase saw."""

    banner_found: bool
    detected_by: str | None = None
    cmp: str | None = None
    buttons: list[str] = Field(default_factory=list)
    screenshot: str | None = None
    phases: list[Phase] = Field(default_factory=list)
    choices: list[ChoiceSummary] = Field(default_factory=list)
    rows: list[ComparisonRow] = Field(default_factory=list)


def _since(phase: PhaseEvidence) -> float:
    action = phase.consent_action
    if phase.phase is Phase.before_consent or action is None or action.at_ms is None or not action.succeeded:
        return 0.0
    return action.at_ms


def _choice(phase: PhaseEvidence) -> ChoiceSummary:
    action = phase.consent_action
    if action is None:
        return ChoiceSummary(phase=phase.phase, detail="the consent driver did not run")
    return ChoiceSummary(
        phase=phase.phase,
        action=action.action,
        method=action.method,
        succeeded=action.succeeded,
        button_text=action.button_text,
        detail=action.detail,
        banner_closed=action.banner_closed,
        tcf_purposes=action.tcf.purposes_consent if action.tcf else None,
        tcf_vendors=len(action.tcf.vendor_consents) if action.tcf else None,
    )


def _seen(row: ComparisonRow, phase: Phase, at: float) -> ComparisonCell:
    cell = row.cells.setdefault(phase.value, ComparisonCell())
    cell.seen = True
    cell.first_ms = at if cell.first_ms is None else min(cell.first_ms, at)
    return cell


def _add_phase(rows: dict[tuple[str, str], ComparisonRow], phase: PhaseEvidence, view: TrackerView) -> None:
    since = _since(phase)
    for r in phase.requests:
        if r.party is not Party.third or r.blocked_reason or r.started_ms < since:
            continue
        label = view.host(r.host)
        name = label.recipient if label else registrable_domain(r.host)
        row = rows.setdefault(
            ("recipient", name),
            ComparisonRow(
                kind="recipient", name=name, category=label.category if label else None, tracker=label is not None
            ),
        )
        if r.host not in row.detail.split(", "):
            row.detail = ", ".join(filter(None, [row.detail, r.host]))
        _seen(row, phase.phase, round(r.started_ms - since, 1)).requests += 1
    for c in phase.cookies:
        if not c.stored or c.first_seen_ms < since:
            continue
        label = view.cookie(phase.phase, c)
        row = rows.setdefault(
            ("cookie", f"{c.name}@{c.domain}"),
            ComparisonRow(
                kind="cookie",
                name=c.name,
                detail=c.domain,
                category=label.category if label else None,
                tracker=label is not None,
            ),
        )
        row.tracker = row.tracker or label is not None
        _seen(row, phase.phase, round(c.first_seen_ms - since, 1))


def consent_comparison(evidence: Evidence, classification: Classification) -> ConsentComparison | None:
    """The per-phase comparison of one scan (None when no phase was crawled): pure."""
    if not evidence.phases:
        return None
    view = TrackerView.from_classification(classification)
    found = first_banner(evidence)
    banner = found[0] if found else None
    out = ConsentComparison(
        banner_found=banner is not None,
        detected_by=banner.detected_by if banner else None,
        cmp=banner.cmp if banner else None,
        buttons=[f"{b.text} ({b.role})" for b in banner.buttons] if banner else [],
        screenshot=banner.screenshot if banner else None,
    )
    rows: dict[tuple[str, str], ComparisonRow] = {}
    for phase in evidence.phases:
        if phase.phase not in PHASES:
            continue
        out.phases.append(phase.phase)
        if phase.phase is not Phase.before_consent:
            out.choices.append(_choice(phase))
        _add_phase(rows, phase, view)
    out.rows = sorted(rows.values(), key=lambda r: (r.kind, not r.tracker, r.name.lower()))
    return out
