"""The report's consent section: what each consent choice changed, per recipient and per cookie, before
consent / after "reject all" / after "accept all". It renders `report.consent_comparison`, which the pipeline
computed once (`privacyscan.check.comparison`); nothing is derived here."""

from __future__ import annotations

from pathlib import Path

from ..check.comparison import ComparisonCell, ComparisonRow
from ..models import Phase
from .i18n import Messages
from .markup import Image, ImageEmbedder, environment
from .model import ScanReport


def _cell(t: Messages, row: ComparisonRow, cell: ComparisonCell | None, phase: Phase) -> dict:
    if cell is None or not cell.seen:
        return {"text": t("consent.not_seen"), "bad": False}
    when = "" if cell.first_ms is None else f" ({cell.first_ms / 1000:+.1f} s)"
    what = t.plural("consent.requests", cell.requests) if row.kind == "recipient" else t("consent.set")
    bad = row.tracker and phase in (Phase.before_consent, Phase.after_reject)
    return {"text": what + when + (f" — {t('consent.tracker_mark')}" if bad else ""), "bad": bad}


def consent_view(t: Messages, report: ScanReport, embedder: ImageEmbedder) -> dict | None:
    model = report.consent_comparison
    if model is None:
        return None
    if model.banner_found:
        line = t("consent.banner_found", by=model.detected_by or t("unknown"),
                 cmp=f" ({model.cmp})" if model.cmp else "", buttons=", ".join(model.buttons) or t("consent.none"))
    else:
        line = t("consent.no_banner")
    uri = embedder.data_uri(model.screenshot)
    choices = []
    for ch in model.choices:
        if ch.action is None:
            choices.append((t.enum("phase", ch.phase), "—", t("consent.not_run"), "—", "—"))
            continue
        result = t("consent.done") if ch.succeeded else t("consent.not_possible")
        if ch.banner_closed is not None:
            result += ", " + (t("consent.banner_closed") if ch.banner_closed else t("consent.banner_shown"))
        tcf = "—" if ch.tcf_purposes is None else t(
            "consent.tcf_value", purposes=", ".join(map(str, ch.tcf_purposes)) or t("consent.none"),
            vendors=ch.tcf_vendors or 0)
        how = t.enum("consent.method", ch.method) + (f": {ch.button_text}" if ch.button_text else "")
        choices.append((t.enum("phase", ch.phase), t.enum("consent.action", ch.action), how, result, tcf))
    rows = [
        {
            "name": row.name, "detail": row.detail, "kind": t.enum("consent.kind", row.kind),
            "category": t.enum("category", row.category) if row.category else (
                t("consent.not_tracker") if not row.tracker else ""),
            "cells": [_cell(t, row, row.cells.get(p.value), p) for p in model.phases],
        }
        for row in model.rows
    ]
    return {
        "banner_line": line,
        "banner_image": Image(src=uri, caption=t("consent.banner_caption")) if uri else None,
        "choices": choices,
        "phases": [t.enum("phase", p) for p in model.phases],
        "rows": rows,
    }


def consent_section(report: ScanReport, lang: str | None = None, artefacts: Path | None = None) -> str:
    """The section on its own; empty when the scan has no phases to compare."""
    t = Messages(lang)
    view = consent_view(t, report, ImageEmbedder(artefacts))
    if view is None:
        return ""
    return environment().get_template("consent.html.j2").render(t=t, consent=view)
