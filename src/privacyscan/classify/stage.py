"""The classify stage's entry points (re-exported by `privacyscan.classify`)."""

from __future__ import annotations

from ..models import Evidence
from .catalogue import load_catalogue
from .labels import label_cookie, label_host, label_storage, phase_recipients, seen_in_phase, site_domain_of
from .model import Classification, HostLabel, Party, PhaseClassification
from .third_party_web import PACKAGE, package_index


def classify_evidence(evidence: Evidence) -> Classification:
    """Label every requested host, every cookie and storage key of every phase, and build each phase's
    recipients."""
    catalogue = load_catalogue()
    site_domain = site_domain_of(evidence)
    hosts = sorted({r.host.lower() for phase in evidence.phases for r in phase.requests if r.host})
    phases: list[PhaseClassification] = []
    for phase in evidence.phases:
        label_phase = phase.phase
        seen_services, seen_organisations = seen_in_phase(phase, site_domain, catalogue)
        cookies = [
            label_cookie(c, label_phase, site_domain, seen_services, seen_organisations, catalogue)
            for c in phase.cookies
        ]
        storage = [
            label_storage(s, label_phase, site_domain, seen_services, seen_organisations, catalogue)
            for s in phase.storage
        ]
        phases.append(
            PhaseClassification(
                phase=label_phase,
                cookies=cookies,
                storage=storage,
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
    return label if label.party is Party.third else label.model_copy(update={"party": Party.third})
