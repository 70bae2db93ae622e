"""The HTML report's "Who receives the data" section: per phase, one row per receiving organisation
(or unknown registrable domain) with its country, DPF status, purpose, hosts, cookies, pages and the
identifiers it was sent. Everything site-derived goes through `esc` (inside `table`)."""

from __future__ import annotations

from ..classify.model import Adequacy, Recipient
from .markup import esc, table
from .model import ScanReport

HEADERS = ("organisation", "country", "EU-US DPF", "purpose", "hosts", "cookies", "pages", "identifiers sent")
ADEQUACY_WORDS = {
    Adequacy.eea: "EEA",
    Adequacy.adequacy_decision: "adequacy decision",
    Adequacy.dpf_certified: "adequate via DPF",
    Adequacy.none: "no adequacy",
    Adequacy.unknown: "unknown",
}


def _organisation_cell(recipient: Recipient) -> str:
    if not recipient.organisation:
        return f"unknown ({', '.join(recipient.registrable_domains)})"
    name = recipient.organisation if recipient.legal_entity else f"{recipient.organisation} (brand)"
    j = recipient.jurisdiction
    if j.eea_entity:
        name += f"; EEA entity {j.eea_entity} ({j.eea_entity_country})"
    if j.parent:
        name += f"; parent {j.parent} ({j.parent_country or '?'})"
    return name


def _country_cell(recipient: Recipient) -> str:
    j = recipient.jurisdiction
    if not j.country:
        return "unknown"
    cell = f"{j.country} — {ADEQUACY_WORDS[j.adequacy]}"
    if j.third_country_access:
        cell += " (third-country access possible)"
    return cell


def _dpf_cell(recipient: Recipient) -> str:
    dpf = recipient.dpf
    if dpf.status.value == "not_applicable":
        return "n/a (not a US organisation)"
    checked = f", checked {dpf.checked_on.isoformat()}" if dpf.checked_on else ""
    return f"{dpf.status.value.replace('_', ' ')}{checked}"


def recipient_rows(recipients: list[Recipient]) -> list[tuple[str, ...]]:
    """The table rows for one phase's recipients, as plain text (escaping happens in `table`)."""
    rows = []
    for r in recipients:
        identifiers = [*r.identifiers_sent, *(f"cookie {c}" for c in r.cookies_sent)]
        rows.append(
            (
                _organisation_cell(r),
                _country_cell(r),
                _dpf_cell(r),
                ", ".join(c.value.replace("_", " ") for c in r.categories) or "unknown",
                ", ".join(r.hosts),
                ", ".join(r.cookies) or "—",
                f"{len(r.pages)}: " + ", ".join(r.pages[:3]) + (" …" if len(r.pages) > 3 else ""),
                ", ".join(identifiers) or "IP address only",
            )
        )
    return rows


def recipients_section(report: ScanReport) -> str:
    """`<h2>` section for the HTML report, rendered from the classify stage's output."""
    classification = report.classification
    out = [
        "<h2>Who receives the data</h2>",
        "<p>Every third party the browser sent a request to, by receiving organisation. Country is where "
        "the legal entity is established; DPF is its EU-US Data Privacy Framework status as recorded in "
        "privacyscan's vendor catalogue. A vendor reached through the site's own subdomain (CNAME, "
        "server-side tagging) is not visible here.</p>",
    ]
    if not classification.phases:
        out.append("<p>No phases were crawled.</p>")
    for phase in classification.phases:
        out.append(f"<h3>{esc(phase.phase.value.replace('_', ' '))}</h3>")
        if not phase.recipients:
            out.append("<p>No third-party recipients.</p>")
            continue
        out.append(table(HEADERS, recipient_rows(phase.recipients)))
    sources = ", ".join(f"{name} {version}" for name, version in classification.packages.items())
    out.append(
        f"<p class=meta>Catalogue: {esc(len(classification.catalogue_files))} reviewed files"
        + (f"; long-tail names from {esc(sources)} (brand and purpose only)" if sources else "")
        + ".</p>"
    )
    return "".join(out)
