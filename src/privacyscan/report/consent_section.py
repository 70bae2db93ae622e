"""What each consent choice changed: per recipient and per cookie, before consent / after "reject all" /
after "accept all", next to the banner as found and what privacyscan clicked.

`consent_comparison(report)` is the pure model (JSON-able, for other formats too); `consent_section(report)`
renders it for the HTML report (registered in `report.html.extra_sections`). In the two "after" phases
only what happened from the click on counts, so a tracker that ran before the click and stopped is not
shown as running after the choice.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..check import CheckContext
from ..check.consent import TrackerView, first_banner, tracker_view
from ..models import Party, Phase, PhaseEvidence
from ..urls import registrable_domain
from .markup import esc
from .model import ScanReport

PHASES = (Phase.before_consent, Phase.after_reject, Phase.after_accept)
PHASE_TITLES = {
    Phase.before_consent: "before consent",
    Phase.after_reject: "after “reject all”",
    Phase.after_accept: "after “accept all”",
}


class ComparisonCell(BaseModel):
    seen: bool = False
    requests: int = 0
    cookies: list[str] = Field(default_factory=list)
    first_ms: float | None = Field(
        default=None,
        description="first seen: ms since the phase started, or since the click in the after phases",
    )


class ComparisonRow(BaseModel):
    kind: Literal["recipient", "cookie"]
    name: str
    detail: str = Field(default="", description="hosts of a recipient, or the domain of a cookie")
    category: str | None = None
    tracker: bool = False
    cells: dict[str, ComparisonCell] = Field(default_factory=dict, description="keyed by phase value")


class ChoiceSummary(BaseModel):
    phase: Phase
    action: str | None = None
    method: str | None = None
    succeeded: bool | None = None
    button_text: str | None = None
    detail: str = ""
    banner_closed: bool | None = None
    tcf_purposes: list[int] | None = None
    tcf_vendors: int | None = None


class ConsentComparison(BaseModel):
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


def consent_comparison(report: ScanReport, trackers: TrackerView | None = None) -> ConsentComparison:
    """The per-phase comparison of one scan: pure."""
    evidence = report.evidence
    view = trackers or tracker_view(CheckContext(evidence=evidence, classification=report.classification))
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
        action = phase.consent_action
        if phase.phase is not Phase.before_consent:
            out.choices.append(
                ChoiceSummary(
                    phase=phase.phase,
                    action=action.action if action else None,
                    method=action.method if action else None,
                    succeeded=action.succeeded if action else None,
                    button_text=action.button_text if action else None,
                    detail=action.detail if action else "the consent driver did not run",
                    banner_closed=action.banner_closed if action else None,
                    tcf_purposes=action.tcf.purposes_consent if action and action.tcf else None,
                    tcf_vendors=len(action.tcf.vendor_consents) if action and action.tcf else None,
                )
            )
        since = _since(phase)
        for r in phase.requests:
            if r.party is not Party.third or r.blocked_reason or r.started_ms < since:
                continue
            label = view.host(r.host)
            name = label.recipient if label else registrable_domain(r.host)
            row = rows.setdefault(
                ("recipient", name),
                ComparisonRow(
                    kind="recipient",
                    name=name,
                    category=label.category if label else None,
                    tracker=label is not None,
                ),
            )
            if r.host not in row.detail.split(", "):
                row.detail = ", ".join(filter(None, [row.detail, r.host]))
            cell = row.cells.setdefault(phase.phase.value, ComparisonCell())
            cell.seen = True
            cell.requests += 1
            at = round(r.started_ms - since, 1)
            cell.first_ms = at if cell.first_ms is None else min(cell.first_ms, at)
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
            cell = row.cells.setdefault(phase.phase.value, ComparisonCell())
            cell.seen = True
            at = round(c.first_seen_ms - since, 1)
            cell.first_ms = at if cell.first_ms is None else min(cell.first_ms, at)
    out.rows = sorted(rows.values(), key=lambda r: (r.kind, not r.tracker, r.name.lower()))
    return out


def _cell_html(row: ComparisonRow, cell: ComparisonCell | None, phase: Phase) -> str:
    if cell is None or not cell.seen:
        return "<td>—</td>"
    bad = row.tracker and phase in (Phase.before_consent, Phase.after_reject)
    style = ' style="background:#fde2e2"' if bad else ""
    when = "" if cell.first_ms is None else f" ({cell.first_ms / 1000:+.1f} s)"
    what = f"{cell.requests} request(s)" if row.kind == "recipient" else "set"
    return f"<td{style}>{esc(what + when)}</td>"


def consent_section(report: ScanReport, trackers: TrackerView | None = None) -> str:
    """The HTML section; empty when the scan has no phases to compare."""
    if not report.evidence.phases:
        return ""
    model = consent_comparison(report, trackers)
    parts = ["<h2>Consent: what each choice changed</h2>"]
    if model.banner_found:
        parts.append(
            f"<p>Banner found by <b>{esc(model.detected_by)}</b>"
            + (f" ({esc(model.cmp)})" if model.cmp else "")
            + f"; buttons: {esc(', '.join(model.buttons) or 'none')}.</p>"
        )
        if model.screenshot:
            parts.append(
                f'<div class=shots><a href="{esc(model.screenshot)}"><img src="{esc(model.screenshot)}" '
                'alt="the consent banner"></a></div>'
            )
    else:
        parts.append("<p><b>No consent banner was found.</b></p>")
    if model.choices:
        parts.append(
            "<table><thead><tr><th>phase</th><th>choice</th><th>how</th><th>result</th><th>TCF after</th></tr>"
            "</thead><tbody>"
        )
        for ch in model.choices:
            result = "done" if ch.succeeded else "not possible"
            if ch.banner_closed is not None:
                result += ", banner closed" if ch.banner_closed else ", banner still shown"
            tcf = (
                "—"
                if ch.tcf_purposes is None
                else f"purposes {ch.tcf_purposes or 'none'}, {ch.tcf_vendors} vendor(s)"
            )
            parts.append(
                f"<tr><td>{esc(PHASE_TITLES[ch.phase])}</td><td>{esc(ch.action)}</td>"
                f"<td>{esc(ch.method)}: {esc(ch.detail)}</td><td>{esc(result)}</td><td>{esc(tcf)}</td></tr>"
            )
        parts.append("</tbody></table>")
    heads = "".join(f"<th>{esc(PHASE_TITLES[p])}</th>" for p in model.phases)
    body = []
    for row in model.rows:
        kind = "recipient" if row.kind == "recipient" else "cookie"
        body.append(
            f"<tr><td>{esc(row.name)}<br><span class=mono>{esc(row.detail)}</span></td><td>{esc(kind)}</td>"
            f"<td>{esc(row.category or ('not a tracker' if not row.tracker else ''))}</td>"
            + "".join(_cell_html(row, row.cells.get(p.value), p) for p in model.phases)
            + "</tr>"
        )
    if body:
        parts.append(
            "<p>Times are from the start of the phase (before consent) or from the click (after a choice); "
            "red marks a tracker before consent or after reject.</p>"
            f"<table><thead><tr><th>recipient / cookie</th><th>kind</th><th>category</th>{heads}</tr></thead>"
            "<tbody>" + "".join(body) + "</tbody></table>"
        )
    return "".join(parts)
