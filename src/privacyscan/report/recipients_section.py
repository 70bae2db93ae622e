"""The report's "Who receives the data" section: one row per receiving organisation (or unknown registrable
domain) over all phases, with its country, DPF status, purpose, the phases it was seen in, hosts and the
identifiers it was sent. Rendered from the classify stage's output; site text stays text (autoescaping)."""

from __future__ import annotations

from ..classify.model import Recipient
from ..models import Phase
from .i18n import Messages
from .markup import environment, phases_text
from .model import ScanReport


def _organisation(t: Messages, r: Recipient) -> str:
    if not r.organisation:
        return t("recipients.unknown", domains=", ".join(r.registrable_domains))
    name = r.organisation if r.legal_entity else t("recipients.brand", name=r.organisation)
    j = r.jurisdiction
    notes = []
    if j.eea_entity:
        notes.append(t("recipients.eea_entity", entity=j.eea_entity, country=j.eea_entity_country or "?"))
    if j.parent:
        notes.append(t("recipients.parent", parent=j.parent, country=j.parent_country or "?"))
    return name + (f" ({'; '.join(notes)})" if notes else "")


def _country(t: Messages, r: Recipient) -> str:
    j = r.jurisdiction
    if not j.country:
        return t("unknown")
    cell = f"{j.country} — {t.enum('adequacy', j.adequacy)}"
    return cell + (f" ({t('recipients.third_country_access')})" if j.third_country_access else "")


def _dpf(t: Messages, r: Recipient) -> str:
    text = t.enum("dpf", r.dpf.status)
    if r.dpf.checked_on and r.dpf.status.value != "not_applicable":
        text += f" ({t('dpf.checked', date=t.date(r.dpf.checked_on))})"  # type: ignore[arg-type]
    return text


def recipient_rows(t: Messages, report: ScanReport) -> list[tuple[str, ...]]:
    """One row per receiving organisation (or unknown registrable domain) over all phases."""
    merged: dict[str, tuple[Recipient, list[Phase], set[str], set[str], set[str]]] = {}
    for phase in report.classification.phases:
        for r in phase.recipients:
            entry = merged.setdefault(r.key, (r, [], set(), set(), set()))
            entry[1].append(phase.phase)
            entry[2].update(r.hosts)
            entry[3].update([*r.identifiers_sent, *(t("recipients.cookie", name=c) for c in r.cookies_sent)])
            entry[4].update(c.value for c in r.categories)
    rows = []
    for r, phases, hosts, identifiers, categories in merged.values():
        rows.append((
            _organisation(t, r), _country(t, r), _dpf(t, r),
            ", ".join(t.enum("category", c) for c in sorted(categories)) or t("category.unknown"),
            phases_text(t, [p for p in Phase if p in phases]),
            ", ".join(sorted(hosts)),
            ", ".join(sorted(identifiers)) or t("recipients.ip_only"),
        ))
    return rows


def recipients_section(report: ScanReport, lang: str | None = None) -> str:
    """The section on its own (the full report includes the same template)."""
    t = Messages(lang)
    return environment().get_template("recipients.html.j2").render(
        t=t, recipients=recipient_rows(t, report), catalogue_note=catalogue_note(t, report))


def catalogue_note(t: Messages, report: ScanReport) -> str:
    sources = ", ".join(f"{name} {version}" for name, version in report.classification.packages.items())
    files = len(report.classification.catalogue_files)
    return t("recipients.catalogue", files=files, sources=sources) if files and sources else ""
