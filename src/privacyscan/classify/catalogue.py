"""The reviewed vendor catalogue (src/privacyscan/data/vendors/*.json): organisations with their
jurisdiction and DPF status, and the services (products) they run with host and cookie-name patterns.

Files are split by purpose so each stays reviewable; this module merges them and refuses a catalogue
that contradicts itself (a service pointing at an unknown organisation, the same host claimed twice).
See docs/catalogue.md for where each fact comes from and how to update it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from functools import lru_cache
from importlib import resources
from typing import Any

from ..data import eea_countries
from ..models import Wording
from ..wording import country_words, listing, render, words
from .model import Adequacy, Category, DpfFact, DpfStatus, Jurisdiction, Organisation

VENDOR_DATA = "data/vendors"
ORGANISATION_FILE_PREFIX = "organisations_"
NON_SERVICE_FILES = frozenset({"adequacy.json"})


class CatalogueError(ValueError):
    """The catalogue files contradict themselves or miss a required field."""


@dataclass(frozen=True)
class HostPattern:
    """`host` matches itself and its subdomains; a non-empty `path` limits it to URLs under that path
    (glob `*` allowed, e.g. `/*/fbevents.js`)."""

    host: str
    path: str = ""

    @classmethod
    def parse(cls, text: str) -> HostPattern:
        host, slash, path = text.strip().lower().partition("/")
        return cls(host=host.strip("."), path=f"/{path}" if slash else "")

    def matches_host(self, host: str) -> bool:
        return host == self.host or host.endswith("." + self.host)

    def matches(self, host: str, path: str) -> bool:
        if not self.matches_host(host):
            return False
        if not self.path:
            return True
        if "*" in self.path:
            return fnmatchcase(path, self.path) or fnmatchcase(path, self.path + "*")
        return path == self.path or path.startswith(self.path.rstrip("/") + "/")

    @property
    def specificity(self) -> tuple[int, int]:
        return (self.host.count(".") + 1 if not self.path else 100 + self.host.count("."), len(self.path))

    def __str__(self) -> str:
        return self.host + self.path


@dataclass(frozen=True)
class Service:
    """A product of an organisation (Google Analytics, Meta Pixel ...), as one catalogue entry."""

    id: str
    name: str
    org_id: str | None
    category: Category
    hosts: tuple[HostPattern, ...]
    first_party_cookies: tuple[str, ...] = ()
    vendor_cookies: tuple[str, ...] = ()
    self_hostable: bool = False
    privacy_enhanced: bool = False
    # The vendor documents that its script sets and sends no identifier (cookieless analytics). Observed
    # behaviour still overrides it: an identifier seen going to it makes it a tracker.
    sets_no_identifiers: bool = False
    source: str = ""
    file: str = ""


@dataclass(frozen=True)
class OrganisationEntry:
    id: str
    organisation: Organisation
    aliases: tuple[str, ...] = ()
    note: str = ""
    file: str = ""


@dataclass
class Catalogue:
    organisations: dict[str, OrganisationEntry]
    services: dict[str, Service]
    eea: frozenset[str]
    adequate: frozenset[str]
    files: list[str] = field(default_factory=list)
    _by_host: dict[str, list[tuple[HostPattern, Service]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for service in self.services.values():
            for pattern in service.hosts:
                self._by_host.setdefault(pattern.host, []).append((pattern, service))

    def organisation_of(self, service: Service) -> OrganisationEntry | None:
        return self.organisations.get(service.org_id) if service.org_id else None

    def service_for(self, host: str, path: str = "/") -> Service | None:
        """The most specific service whose host pattern matches (a path-limited pattern beats a bare
        host; a longer host beats its parent domain)."""
        host = host.lower().strip(".")
        best: tuple[tuple[int, int], Service] | None = None
        labels = host.split(".")
        for start in range(len(labels)):
            for pattern, service in self._by_host.get(".".join(labels[start:]), ()):
                if pattern.matches(host, path or "/") and (best is None or pattern.specificity > best[0]):
                    best = (pattern.specificity, service)
        return best[1] if best else None

    def service_for_host(self, host: str) -> Service | None:
        """Without a path: prefer bare-host patterns; fall back to a path-limited one on exactly this host
        (`docs.google.com/forms` answers for docs.google.com when nothing else does)."""
        host = host.lower().strip(".")
        best: tuple[tuple[int, int], Service] | None = None
        fallback: Service | None = None
        labels = host.split(".")
        for start in range(len(labels)):
            for pattern, service in self._by_host.get(".".join(labels[start:]), ()):
                if pattern.path:
                    if pattern.host == host and fallback is None:
                        fallback = service
                elif pattern.matches_host(host) and (best is None or pattern.specificity > best[0]):
                    best = (pattern.specificity, service)
        return best[1] if best else fallback

    def host_patterns(self) -> list[HostPattern]:
        return [p for s in self.services.values() for p in s.hosts]


def _read_json(name: str) -> dict[str, Any]:
    text = resources.files("privacyscan").joinpath(f"{VENDOR_DATA}/{name}").read_text(encoding="utf-8")
    return json.loads(text)


def _vendor_file_names() -> list[str]:
    folder = resources.files("privacyscan").joinpath(VENDOR_DATA)
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json"))


@lru_cache(maxsize=1)
def adequacy_of(
    country: str | None, dpf: DpfStatus, eea: frozenset[str], adequate: frozenset[str]
) -> Adequacy:
    if not country:
        return Adequacy.unknown
    if country in eea:
        return Adequacy.eea
    if country in adequate:
        return Adequacy.adequacy_decision
    if country == "US" and dpf is DpfStatus.certified:
        return Adequacy.dpf_certified
    return Adequacy.none


def _safe_country(country: str | None, eea: frozenset[str], adequate: frozenset[str]) -> bool:
    return bool(country) and (country in eea or country in adequate)


def jurisdiction_of(
    raw: dict[str, Any], dpf: DpfStatus, eea: frozenset[str], adequate: frozenset[str]
) -> Jurisdiction:
    """Chapter V standing of one organisation, with a plain-words explanation a report can quote."""
    country = raw.get("country")
    parent_country = raw.get("parent_country")
    onward = list(raw.get("onward_countries") or [])
    adequacy = adequacy_of(country, dpf, eea, adequate)
    notes: list[Wording] = []
    access = False
    if _safe_country(country, eea, adequate):
        if parent_country and not _safe_country(parent_country, eea, adequate):
            access = True
            law = words("jurisdiction.us_law") if parent_country == "US" else None
            notes.append(words("jurisdiction.parent_abroad", name=raw["name"], country=country_words(country),
                               parent=str(raw.get("parent")), parent_country=country_words(parent_country),
                               law=law))
        risky_onward = [c for c in onward if not _safe_country(c, eea, adequate)]
        if risky_onward:
            access = True
            notes.append(words("jurisdiction.onward", countries=listing([country_words(c) for c in risky_onward]),
                               source=raw.get("onward_source") or words("jurisdiction.see_vendor")))
    if raw.get("eea_entity") and country and not _safe_country(country, eea, adequate):
        notes.append(words("jurisdiction.eea_entity", entity=raw["eea_entity"],
                           entity_country=str(raw.get("eea_entity_country")), name=raw["name"],
                           country=country_words(country)))
    return Jurisdiction(
        country=country,
        adequacy=adequacy,
        eea_entity=raw.get("eea_entity"),
        eea_entity_country=raw.get("eea_entity_country"),
        parent=raw.get("parent"),
        parent_country=parent_country,
        onward_countries=onward,
        third_country_access=access,
        explanation=" ".join(render(note) for note in notes),
        explanation_wording=listing(notes, "space") if notes else None,
    )


def _organisation(
    org_id: str, raw: dict[str, Any], file: str, eea: frozenset[str], adequate: frozenset[str]
) -> OrganisationEntry:
    if "name" not in raw or "country" not in raw or "source" not in raw:
        raise CatalogueError(f"{file}: organisation {org_id} needs name, country and source")
    dpf_raw = raw.get("dpf") or {}
    dpf = DpfFact(
        status=DpfStatus(dpf_raw.get("status", "unknown")),
        checked_on=date.fromisoformat(dpf_raw["checked_on"]) if dpf_raw.get("checked_on") else None,
        source=dpf_raw.get("source"),
    )
    if raw["country"] == "US" and (dpf.checked_on is None or not dpf.source):
        raise CatalogueError(f"{file}: US organisation {org_id} needs dpf.checked_on and dpf.source")
    sources = [raw["source"], *(raw.get(k) for k in ("eea_entity_source", "parent_source", "onward_source"))]
    if dpf.source:
        sources.append(dpf.source)
    organisation = Organisation(
        name=raw["name"],
        legal_entity=raw.get("legal_entity", True),
        jurisdiction=jurisdiction_of(raw, dpf.status, eea, adequate),
        dpf=dpf,
        sources=[s for s in dict.fromkeys(sources) if s],
    )
    return OrganisationEntry(org_id, organisation, tuple(raw.get("aliases") or ()), raw.get("note", ""), file)


def _service(raw: dict[str, Any], file: str) -> Service:
    for key in ("id", "name", "category", "hosts", "source"):
        if key not in raw:
            raise CatalogueError(f"{file}: service {raw.get('id', '?')} needs {key}")
    return Service(
        id=raw["id"],
        name=raw["name"],
        org_id=raw.get("org"),
        category=Category(raw["category"]),
        hosts=tuple(HostPattern.parse(h) for h in raw["hosts"]),
        first_party_cookies=tuple(raw.get("first_party_cookies") or ()),
        vendor_cookies=tuple(raw.get("vendor_cookies") or ()),
        self_hostable=bool(raw.get("self_hostable", False)),
        privacy_enhanced=bool(raw.get("privacy_enhanced", False)),
        sets_no_identifiers=bool(raw.get("sets_no_identifiers", False)),
        source=raw["source"],
        file=file,
    )


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """Read and merge every file in data/vendors. Raises CatalogueError on a contradiction."""
    eea = eea_countries()
    adequacy = _read_json("adequacy.json")
    adequate = frozenset(adequacy["countries"])
    organisations: dict[str, OrganisationEntry] = {}
    services: dict[str, Service] = {}
    files = _vendor_file_names()
    for name in files:
        if name in NON_SERVICE_FILES:
            continue
        data = _read_json(name)
        if name.startswith(ORGANISATION_FILE_PREFIX):
            for org_id, raw in data["organisations"].items():
                if org_id in organisations:
                    raise CatalogueError(
                        f"{name}: organisation {org_id} is also in {organisations[org_id].file}"
                    )
                organisations[org_id] = _organisation(org_id, raw, name, eea, adequate)
            continue
        for raw in data["services"]:
            service = _service(raw, name)
            if service.id in services:
                raise CatalogueError(f"{name}: service {service.id} is also in {services[service.id].file}")
            services[service.id] = service
    claimed: dict[str, str] = {}
    for service in services.values():
        if service.org_id is not None and service.org_id not in organisations:
            raise CatalogueError(
                f"{service.file}: service {service.id} names unknown organisation {service.org_id}"
            )
        for pattern in service.hosts:
            key = str(pattern)
            if key in claimed and claimed[key] != service.id:
                raise CatalogueError(f"host pattern {key} is claimed by {claimed[key]} and {service.id}")
            claimed[key] = service.id
    return Catalogue(organisations, services, eea, adequate, files)
