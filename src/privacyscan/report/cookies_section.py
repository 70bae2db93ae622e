"""The report's cookie table: one row per cookie (name and domain) over all phases, with who it belongs to,
its purpose, its longest lifetime in words and the phases it was stored in."""

from __future__ import annotations

from ..models import Phase
from .i18n import Messages
from .markup import environment, phases_text
from .model import ScanReport


def cookie_rows(t: Messages, report: ScanReport) -> list[tuple[str, ...]]:
    """One row per cookie (name and domain) over all phases, with its owner and longest lifetime."""
    labels = {
        (label.phase, label.name, label.domain): label
        for phase in report.classification.phases
        for label in phase.cookies
    }
    merged: dict[tuple[str, str], dict] = {}
    for phase in report.evidence.phases:
        for c in phase.cookies:
            if not c.stored:
                continue
            entry = merged.setdefault((c.name, c.domain), {"cookie": c, "phases": [], "label": None, "days": None})
            entry["phases"].append(phase.phase)
            label = labels.get((phase.phase, c.name, c.domain))
            if label and (label.organisation or label.service):
                entry["label"] = label
            if c.lifetime_days is not None:
                entry["days"] = max(entry["days"] or 0, c.lifetime_days)
    rows = []
    for (name, domain), entry in merged.items():
        label = entry["label"]
        owner = " — ".join(filter(None, [label.service, label.organisation])) if label else ""
        rows.append((
            name, domain, t.enum("party", entry["cookie"].party), owner or t("unknown"),
            t.enum("category", label.category) if label else t("category.unknown"),
            t.lifetime(entry["days"]), phases_text(t, [p for p in Phase if p in entry["phases"]]),
            t.yes_no(entry["cookie"].secure),
        ))
    return rows


def storage_rows(t: Messages, report: ScanReport) -> list[tuple[str, ...]]:
    """One row per local/session storage key (kind, origin, key) over all phases, with its owner."""
    labels = {
        (label.phase, label.kind, label.origin, label.key): label
        for phase in report.classification.phases
        for label in phase.storage
    }
    merged: dict[tuple[str, str, str], dict] = {}
    for phase in report.evidence.phases:
        for item in phase.storage:
            entry = merged.setdefault((item.kind, item.origin, item.key), {"phases": [], "label": None})
            entry["phases"].append(phase.phase)
            label = labels.get((phase.phase, item.kind, item.origin, item.key))
            if label and (label.organisation or label.service):
                entry["label"] = label
    rows = []
    for (kind, origin, key), entry in merged.items():
        label = entry["label"]
        owner = " — ".join(filter(None, [label.service, label.organisation])) if label else ""
        rows.append((key, t(f"storage.{kind}"), origin, owner or t("unknown"),
                     phases_text(t, [p for p in Phase if p in entry["phases"]])))
    return rows


def cookies_section(report: ScanReport, lang: str | None = None) -> str:
    t = Messages(lang)
    return environment().get_template("cookies.html.j2").render(t=t, cookies=cookie_rows(t, report), storage=storage_rows(t, report))
