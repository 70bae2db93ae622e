"""Labels for hosts and cookies, and the per-phase table of recipients built from them.

Party is decided by registrable domain (`privacyscan.urls.registrable_domain`): a host or cookie of the
scanned site's eTLD+1 is first party. Known blind spot: a vendor reached through a first-party
subdomain (a CNAME such as `metrics.example.no -> vendor`, or server-side tagging on
`sgtm.example.no`) looks first party here, because the browser never shows the vendor's name. The
cookies such a setup leaves (`_ga` with no Google request) are then labelled "name only" and listed for a
person to review rather than attributed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from ..models import CookieRecord, Evidence, Party, Phase, PhaseEvidence, RequestRecord, StorageItem
from ..urls import host_of, registrable_domain
from .catalogue import Catalogue, OrganisationEntry, Service, load_catalogue
from .model import (
    Category,
    CookieLabel,
    DpfFact,
    DpfStatus,
    HostLabel,
    Jurisdiction,
    Organisation,
    Recipient,
    RequestExample,
    StorageLabel,
)
from .third_party_web import PackageEntity, lookup_package_host

MAX_EXAMPLES = 5
PACKAGE_SOURCE = "https://www.npmjs.com/package/third-party-web"


@dataclass(frozen=True)
class RequestLabel:
    """What one request's URL says: the service (if any), the receiving organisation and the key the
    recipient table groups by (organisation name, or 'domain:<eTLD+1>' when nobody knows the host)."""

    key: str
    service: Service | None
    organisation: OrganisationEntry | None
    package: PackageEntity | None
    registrable_domain: str


def _party(domain: str, site_domain: str) -> Party:
    return Party.first if registrable_domain(domain) == site_domain else Party.third


def _org_fields(entry: OrganisationEntry | None) -> tuple[str | None, str | None, DpfStatus]:
    if entry is None:
        return None, None, DpfStatus.unknown
    org = entry.organisation
    return org.name, org.jurisdiction.country, org.dpf.status


def label_host(host: str, site_domain: str, catalogue: Catalogue | None = None) -> HostLabel:
    """Who receives what the browser sends to `host` when visiting a site of `site_domain` (an eTLD+1)."""
    catalogue = catalogue or load_catalogue()
    host = host.lower().strip(".")
    domain = registrable_domain(host)
    party = _party(host, site_domain)
    if party is Party.first:
        return HostLabel(host=host, registrable_domain=domain, party=party, known=True, source="first party")
    service = catalogue.service_for_host(host)
    if service is not None:
        organisation, country, dpf = _org_fields(catalogue.organisation_of(service))
        return HostLabel(
            host=host,
            registrable_domain=domain,
            party=party,
            known=True,
            service=service.name,
            service_id=service.id,
            category=service.category,
            organisation=organisation,
            country=country,
            dpf=dpf,
            privacy_enhanced=service.privacy_enhanced,
            sets_no_identifiers=service.sets_no_identifiers,
            source="catalogue",
        )
    package = lookup_package_host(host)
    if package is not None:
        return HostLabel(
            host=host,
            registrable_domain=domain,
            party=party,
            known=True,
            service=package.name,
            category=package.category,
            organisation=package.organisation,
            source="third-party-web",
        )
    return HostLabel(host=host, registrable_domain=domain, party=party, known=False)


def label_request(url: str, host: str, catalogue: Catalogue) -> RequestLabel:
    try:
        path = urlsplit(url).path or "/"
    except ValueError:
        path = "/"
    domain = registrable_domain(host)
    service = catalogue.service_for(host, path)
    if service is not None and service.org_id:
        entry = catalogue.organisation_of(service)
        assert entry is not None  # load_catalogue refuses services with unknown organisations
        return RequestLabel(entry.organisation.name, service, entry, None, domain)
    package = lookup_package_host(host) if service is None else None
    if package is not None:
        return RequestLabel(package.organisation, None, None, package, domain)
    return RequestLabel(f"domain:{domain}", service, None, None, domain)


# ------------------------------------------------------------------------------------------- cookies


def _matching(patterns: Iterable[str], name: str) -> str | None:
    return next((p for p in patterns if fnmatchcase(name, p)), None)


def _attribution(service: Service, catalogue: Catalogue, *, basis: str, pattern: str | None,
                 with_organisation: bool) -> dict[str, object]:
    """The label fields that name `service` as the owner; its organisation only when the evidence supports it."""
    update: dict[str, object] = {"service": service.name, "service_id": service.id, "category": service.category,
                                 "matched_pattern": pattern, "basis": basis}
    if with_organisation:
        organisation, country, dpf = _org_fields(catalogue.organisation_of(service))
        update |= {"organisation": organisation, "country": country, "dpf": dpf}
    return update


def label_cookie(
    cookie: CookieRecord,
    phase: Phase,
    site_domain: str,
    seen_services: set[str],
    seen_organisations: set[str],
    catalogue: Catalogue | None = None,
) -> CookieLabel:
    """Who a cookie belongs to.

    - On a vendor's own domain (third party): that vendor, whatever its name.
    - On the site's domain with a vendor's cookie name: the vendor only if the phase also sent a request
      to that vendor (or the tool can be self-hosted: then the site itself); otherwise 'name only' — a
      first-party `_ga` on a site that never talks to Google is not Google's.
    - A first-party cookie named like a vendor's *third-party* cookie (`fr`, `uid`) is not matched at all.
    """
    catalogue = catalogue or load_catalogue()
    domain = cookie.domain.lower().lstrip(".")
    base = CookieLabel(
        phase=phase,
        name=cookie.name,
        domain=cookie.domain,
        party=_party(domain, site_domain),
        lifetime_days=cookie.lifetime_days,
        page_url=cookie.first_seen_page,
        at_ms=cookie.first_seen_ms,
    )
    return base.model_copy(update=_owner_by_name(cookie.name, domain, base.party, seen_services,
                                                 seen_organisations, catalogue))


def label_storage(
    item: StorageItem,
    phase: Phase,
    site_domain: str,
    seen_services: set[str],
    seen_organisations: set[str],
    catalogue: Catalogue | None = None,
) -> StorageLabel:
    """Who a local/session storage key belongs to, by the cookie rules above: trackers keep the same names
    in storage as in cookies (`_hjSessionUser_*`), and a vendor's name counts only when the phase also
    talked to that vendor. The key's origin plays the cookie's domain."""
    catalogue = catalogue or load_catalogue()
    domain = (host_of(item.origin) or site_domain).lower().strip(".")
    party = _party(domain, site_domain)
    base = StorageLabel(phase=phase, kind=item.kind, origin=item.origin, key=item.key, party=party,
                        page_url=item.page_url)
    return base.model_copy(update=_owner_by_name(item.key, domain, party, seen_services, seen_organisations,
                                                 catalogue))


def _owner_by_name(name: str, domain: str, party: Party, seen_services: set[str], seen_organisations: set[str],
                   catalogue: Catalogue) -> dict[str, object]:
    """The label fields (service, category, organisation, basis ...) for a cookie or storage key called
    `name` on `domain`; empty when nobody owns it."""
    if party is Party.third:
        service = catalogue.service_for_host(domain)
        if service is not None:
            return _attribution(service, catalogue, basis="vendor domain",
                                pattern=_matching(service.vendor_cookies, name), with_organisation=True)
        package = lookup_package_host(domain)
        if package is not None:
            return {"service": package.name, "category": package.category, "organisation": package.organisation,
                    "basis": "vendor domain"}
        return {}
    candidates = [
        (service, pattern)
        for service in catalogue.services.values()
        if (pattern := _matching(service.first_party_cookies, name))
    ]
    if not candidates:
        return {}

    def seen(service: Service) -> bool:
        return service.id in seen_services or (
            service.org_id is not None and service.org_id in seen_organisations
        )

    for service, pattern in candidates:
        if service.org_id and seen(service):
            return _attribution(service, catalogue, basis="name, vendor seen", pattern=pattern,
                                with_organisation=True)
    for service, pattern in candidates:
        if service.self_hostable:
            basis = "site framework" if service.category is Category.essential else "self-hosted tool"
            return _attribution(service, catalogue, basis=basis, pattern=pattern, with_organisation=False)
    service, pattern = candidates[0]
    # Looks like the vendor's cookie, but nothing shows the vendor received it: keep the look-alike's
    # purpose (a lifetime check still applies) and no organisation, for a person to review.
    return _attribution(service, catalogue, basis="name only", pattern=pattern, with_organisation=False)


def cookie_key(label: CookieLabel) -> str | None:
    """The recipient key a cookie counts towards, or None (first-party cookie of the site itself)."""
    if label.organisation:
        return label.organisation
    if label.party is Party.third:
        return f"domain:{registrable_domain(label.domain.lstrip('.'))}"
    return None


# ---------------------------------------------------------------------------------------- recipients


def _sent_requests(phase: PhaseEvidence, site_domain: str) -> list[RequestRecord]:
    """Third-party requests that left the browser (privacyscan's own guard blocks some)."""
    return [r for r in phase.requests if not r.blocked_reason and registrable_domain(r.host) != site_domain]


def phase_recipients(
    phase: PhaseEvidence, site_domain: str, cookies: list[CookieLabel], catalogue: Catalogue
) -> list[Recipient]:
    """One row per receiving organisation (or unknown registrable domain) in a phase."""
    groups: dict[str, list[tuple[RequestRecord, RequestLabel]]] = {}
    for request in _sent_requests(phase, site_domain):
        label = label_request(request.url, request.host, catalogue)
        groups.setdefault(label.key, []).append((request, label))
    cookies_by_key: dict[str, list[str]] = {}
    for cookie in cookies:
        key = cookie_key(cookie)
        if key:
            cookies_by_key.setdefault(key, [])
            if cookie.name not in cookies_by_key[key]:
                cookies_by_key[key].append(cookie.name)
    recipients = [
        _recipient(phase.phase, key, items, cookies_by_key.get(key, []))
        for key, items in groups.items()
    ]
    recipients.sort(key=lambda r: (not r.known, r.organisation or "", r.registrable_domains))
    return recipients


def _recipient(
    phase: Phase, key: str, items: list[tuple[RequestRecord, RequestLabel]], cookies: list[str]
) -> Recipient:
    first_label = items[0][1]
    entry = next((label.organisation for _, label in items if label.organisation), None)
    package = next((label.package for _, label in items if label.package), None)
    services = list(dict.fromkeys(label.service.name for _, label in items if label.service))
    categories = list(
        dict.fromkeys(
            label.service.category
            if label.service
            else (label.package.category if label.package else Category.unknown)
            for _, label in items
        )
    )
    # One example per host first (so every host is shown), then the earliest others.
    first_per_host = list({r.host: r for r, _ in reversed(items)}.values())[::-1]
    chosen = [*first_per_host, *(r for r, _ in items if r not in first_per_host)][:MAX_EXAMPLES]
    chosen.sort(key=lambda r: r.started_ms)
    examples = [
        RequestExample(url=r.url, page_url=r.page_url, started_ms=r.started_ms, host=r.host) for r in chosen
    ]
    organisation: Organisation | None = entry.organisation if entry else None
    aliases = list(dict.fromkeys([*(entry.aliases if entry else ()), *services]))
    if organisation is not None:
        name, legal, jurisdiction, dpf, sources = (
            organisation.name,
            organisation.legal_entity,
            organisation.jurisdiction,
            organisation.dpf,
            organisation.sources,
        )
    elif package is not None:
        name, legal, jurisdiction, dpf, sources = (
            package.organisation,
            False,
            Jurisdiction(),
            DpfFact(),
            [PACKAGE_SOURCE],
        )
        aliases = list(dict.fromkeys([package.name, *aliases]))
    else:
        name, legal, jurisdiction, dpf, sources = None, False, Jurisdiction(), DpfFact(), []
    return Recipient(
        phase=phase,
        organisation=name,
        known=name is not None,
        legal_entity=legal,
        registrable_domains=sorted({label.registrable_domain for _, label in items})
        or [first_label.registrable_domain],
        jurisdiction=jurisdiction,
        dpf=dpf,
        categories=categories,
        services=services,
        aliases=aliases,
        hosts=sorted({r.host for r, _ in items}),
        privacy_enhanced_only=all(
            label.service is not None and label.service.privacy_enhanced for _, label in items
        ),
        cookies=cookies,
        cookies_sent=sorted({c for r, _ in items for c in r.cookies_sent}),
        identifiers_sent=sorted({p for r, _ in items for p in r.identifier_params}),
        pages=list(dict.fromkeys(r.page_url for r, _ in items)),
        requests=len(items),
        examples=examples,
        sources=sources,
    )


def seen_in_phase(phase: PhaseEvidence, site_domain: str, catalogue: Catalogue) -> tuple[set[str], set[str]]:
    """Service ids and organisation ids the phase sent at least one request to."""
    services: set[str] = set()
    organisations: set[str] = set()
    for request in _sent_requests(phase, site_domain):
        service = catalogue.service_for(request.host, urlsplit(request.url).path or "/")
        if service is not None:
            services.add(service.id)
            if service.org_id:
                organisations.add(service.org_id)
    return services, organisations


def site_domain_of(evidence: Evidence) -> str:
    return registrable_domain(evidence.registrable_domain or urlsplit(evidence.site_url).hostname or "")
