"""The classify stage's entry points (re-exported lazily by `privacyscan.classify`)."""

from __future__ import annotations

from ..models import Evidence
from ..notice.model import ObservedRecipient
from ..urls import registrable_domain
from .catalogue import load_catalogue
from .labels import label_cookie, label_host, phase_recipients, seen_in_phase, site_domain_of
from .model import Classification, HostLabel, LabelParty, LabelPhase, PhaseClassification
from .third_party_web import PACKAGE, package_index


def classify_evidence(evidence: Evidence) -> Classification:
    """Label every requested host and every cookie of every phase, and build each phase's recipients."""
    catalogue = load_catalogue()
    site_domain = site_domain_of(evidence)
    hosts = sorted({r.host.lower() for phase in evidence.phases for r in phase.requests if r.host})
    phases: list[PhaseClassification] = []
    for phase in evidence.phases:
        label_phase = LabelPhase(phase.phase.value)
        seen_services, seen_organisations = seen_in_phase(phase, site_domain, catalogue)
        cookies = [
            label_cookie(c, label_phase, site_domain, seen_services, seen_organisations, catalogue)
            for c in phase.cookies
        ]
        phases.append(
            PhaseClassification(
                phase=label_phase,
                cookies=cookies,
                recipients=phase_recipients(phase, site_domain, cookies, catalogue),
            )
        )
    index = package_index()
    return Classification(
        hosts=[label_host(h, site_domain, catalogue) for h in hosts],
        phases=phases,
        catalogue_files=catalogue.files,
        packages={PACKAGE: index.version} if index else {},
    )


def lookup_host(host: str) -> HostLabel | None:
    """What the catalogue (or, failing it, third-party-web) knows about a host seen from no particular
    site; None when nobody knows it. Party is 'third' (relative to no site)."""
    label = label_host(host, site_domain="", catalogue=load_catalogue())
    if not label.known:
        return None
    return label if label.party is LabelParty.third else label.model_copy(update={"party": LabelParty.third})


def observed_recipients(classification: Classification) -> list[ObservedRecipient]:
    """Known third-party recipients over all phases, merged by organisation, for the notice cross-check."""
    merged: dict[str, ObservedRecipient] = {}
    for phase in classification.phases:
        for recipient in phase.recipients:
            if not recipient.organisation:
                continue
            found = merged.get(recipient.organisation)
            if found is None:
                merged[recipient.organisation] = ObservedRecipient(
                    organisation=recipient.organisation,
                    country=recipient.jurisdiction.country,
                    hosts=list(recipient.hosts),
                    aliases=list(recipient.aliases),
                )
                continue
            found.hosts.extend(h for h in recipient.hosts if h not in found.hosts)
            found.aliases.extend(a for a in recipient.aliases if a not in found.aliases)
    return sorted(merged.values(), key=lambda r: r.organisation)


def recipient_domains(classification: Classification) -> list[str]:
    """Registrable domains of all third-party recipients, for summaries."""
    return sorted({registrable_domain(h.host) for h in classification.hosts if h.party is LabelParty.third})
