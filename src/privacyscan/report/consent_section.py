"""The HTML report's consent section: what each consent choice changed, per recipient and per cookie,
before consent / after "reject all" / after "accept all". It renders `report.consent_comparison`, which the
pipeline computed once (`privacyscan.check.comparison`); nothing is derived here."""

from __future__ import annotations

from ..check.comparison import ComparisonCell, ComparisonRow
from ..models import Phase
from .markup import esc
from .model import ScanReport

PHASE_TITLES = {
    Phase.before_consent: "before consent",
    Phase.after_reject: "after “reject all”",
    Phase.after_accept: "after “accept all”",
}


def _cell_html(row: ComparisonRow, cell: ComparisonCell | None, phase: Phase) -> str:
    if cell is None or not cell.seen:
        return "<td>—</td>"
    bad = row.tracker and phase in (Phase.before_consent, Phase.after_reject)
    style = ' style="background:#fde2e2"' if bad else ""
    when = "" if cell.first_ms is None else f" ({cell.first_ms / 1000:+.1f} s)"
    what = f"{cell.requests} request(s)" if row.kind == "recipient" else "set"
    return f"<td{style}>{esc(what + when)}</td>"


def consent_section(report: ScanReport) -> str:
    """The HTML section; empty when the scan has no phases to compare."""
    model = report.consent_comparison
    if model is None:
        return ""
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
