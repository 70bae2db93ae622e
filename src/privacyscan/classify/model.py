"""What the classify stage concludes: who receives each host's and each cookie's data (organisation,
jurisdiction, EU-US Data Privacy Framework status, purpose, party), and per phase the table of recipients.

Built on the shared vocabulary (`privacyscan.models`): phases and parties are the crawl's own enums.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from ..models import Model, Party, Phase, WordingList


class Category(StrEnum):
    """Why a vendor receives the data. `other` for vendors whose purpose is none of these; `unknown` for
    hosts and cookies nobody has classified."""

    analytics = "analytics"
    advertising = "advertising"
    social = "social"
    session_replay = "session_replay"
    tag_manager = "tag_manager"
    consent_management = "consent_management"
    cdn = "cdn"
    fonts = "fonts"
    video = "video"
    maps = "maps"
    captcha = "captcha"
    payments = "payments"
    chat = "chat"
    forms = "forms"
    essential = "essential"
    other = "other"
    unknown = "unknown"


TRACKING_CATEGORIES = frozenset(
    {Category.analytics, Category.advertising, Category.social, Category.session_replay}
)


class DpfStatus(StrEnum):
    """EU-US Data Privacy Framework (Commission Implementing Decision (EU) 2023/1795).
    `not_applicable`: the organisation is not a US one, so the DPF says nothing about it."""

    certified = "certified"
    not_certified = "not_certified"
    unknown = "unknown"
    not_applicable = "not_applicable"


class Adequacy(StrEnum):
    """How GDPR Chapter V sees the organisation's country."""

    eea = "eea"
    adequacy_decision = "adequacy_decision"
    dpf_certified = "dpf_certified"
    none = "none"
    unknown = "unknown"


class DpfFact(Model):
    status: DpfStatus = DpfStatus.unknown
    checked_on: date | None = Field(
        default=None, description="the day someone last looked the organisation up"
    )
    source: str | None = Field(default=None, description="where to verify it (the DPF list entry)")


class Jurisdiction(Model):
    """Where the receiving legal entity and its parent are established, and what follows for Chapter V."""

    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 of the receiving legal entity")
    adequacy: Adequacy = Adequacy.unknown
    eea_entity: str | None = Field(default=None, description="EEA controller or contracting entity, if any")
    eea_entity_country: str | None = None
    parent: str | None = None
    parent_country: str | None = None
    onward_countries: list[str] = Field(
        default_factory=list, description="third countries the vendor says (or a regulator found) data go to"
    )
    third_country_access: bool = Field(
        default=False,
        description="an EEA entity whose parent is in a country without adequacy, or a US parent (FISA 702, CLOUD Act)",
    )
    explanation: str = ""
    explanation_wording: WordingList | None = Field(
        default=None, description="`explanation` as finding-text keys and values, for reports in other languages")


class Organisation(Model):
    """A receiving legal entity as the catalogue (or a package) knows it."""

    name: str
    legal_entity: bool = Field(
        default=True, description="False when only a brand name is known (package data)"
    )
    jurisdiction: Jurisdiction = Field(default_factory=Jurisdiction)
    dpf: DpfFact = Field(default_factory=DpfFact)
    sources: list[str] = Field(default_factory=list, description="a URL for each fact")


LabelSource = Literal["catalogue", "third-party-web", "first party", "none"]


class HostLabel(Model):
    """Who receives what the browser sends to one host."""

    host: str
    registrable_domain: str
    party: Party
    known: bool = Field(description="False: no catalogue or package knows the host")
    service: str | None = Field(default=None, description="the product, e.g. 'Google Analytics'")
    service_id: str | None = None
    category: Category = Category.unknown
    organisation: str | None = None
    country: str | None = None
    dpf: DpfStatus = DpfStatus.unknown
    privacy_enhanced: bool = Field(
        default=False, description="e.g. youtube-nocookie.com: no cookies before play"
    )
    sets_no_identifiers: bool = Field(
        default=False, description="the vendor documents no cookies and no identifiers (cookieless analytics)"
    )
    source: LabelSource = "none"


LabelBasis = Literal[
    "vendor domain",
    "set by vendor",
    "name, vendor seen",
    "name only",
    "self-hosted tool",
    "site framework",
    "none",
]


class Attribution(Model):
    """Who something a site stores belongs to, and how privacyscan knows: the same for cookies and storage
    keys, since storage is judged by the cookie rules."""

    service: str | None = None
    service_id: str | None = None
    category: Category = Category.unknown
    organisation: str | None = None
    country: str | None = None
    dpf: DpfStatus = DpfStatus.unknown
    matched_pattern: str | None = None
    basis: LabelBasis = "none"


class CookieLabel(Attribution):
    """Who a cookie belongs to, and how privacyscan knows."""

    phase: Phase
    name: str
    domain: str
    party: Party
    lifetime_days: float | None = None
    page_url: str = ""
    at_ms: float | None = None


class StorageLabel(Attribution):
    """Who a local/session storage key belongs to, judged by the cookie rules (a tracker keeps the same
    names in storage as in its cookies)."""

    phase: Phase
    kind: Literal["local", "session"]
    origin: str
    key: str
    party: Party
    page_url: str = ""


class RequestExample(Model):
    url: str
    page_url: str
    started_ms: float
    host: str


class Recipient(Model):
    """One receiving organisation in one phase (or one unknown registrable domain): a row of the table."""

    phase: Phase
    organisation: str | None = Field(description="None for a host no catalogue knows")
    known: bool
    legal_entity: bool = True
    registrable_domains: list[str] = Field(default_factory=list)
    jurisdiction: Jurisdiction = Field(default_factory=Jurisdiction)
    dpf: DpfFact = Field(default_factory=DpfFact)
    categories: list[Category] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(
        default_factory=list, description="brand and product names the catalogue knows"
    )
    hosts: list[str] = Field(default_factory=list)
    privacy_enhanced_only: bool = Field(
        default=False, description="every request went to a privacy-enhanced host (youtube-nocookie.com)"
    )
    cookies: list[str] = Field(default_factory=list, description="cookies attributed to the organisation")
    cookies_sent: list[str] = Field(default_factory=list, description="cookie names seen in its requests")
    identifiers_sent: list[str] = Field(
        default_factory=list, description="identifier parameter names it received"
    )
    pages: list[str] = Field(default_factory=list)
    requests: int = 0
    examples: list[RequestExample] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)

    @property
    def key(self) -> str:
        """The same recipient in every phase: its organisation, else its registrable domains (a finding's
        subject, so part of the finding's stable id)."""
        return self.organisation or ",".join(self.registrable_domains)

    @property
    def carries_identifiers(self) -> bool:
        return bool(self.cookies_sent or self.identifiers_sent or self.cookies)

    @property
    def country(self) -> str | None:
        return self.jurisdiction.country


class PhaseClassification(Model):
    phase: Phase
    cookies: list[CookieLabel] = Field(default_factory=list)
    storage: list[StorageLabel] = Field(
        default_factory=list, description="local and session storage keys, labelled by the cookie rules"
    )
    recipients: list[Recipient] = Field(default_factory=list)


class Classification(Model):
    hosts: list[HostLabel] = Field(default_factory=list, description="every host any phase requested")
    phases: list[PhaseClassification] = Field(default_factory=list)
    catalogue_files: list[str] = Field(default_factory=list)
    packages: dict[str, str] = Field(
        default_factory=dict, description="npm data packages used, name -> version (empty: catalogue only)"
    )

    def phase(self, phase: str) -> PhaseClassification | None:
        return next((p for p in self.phases if p.phase == phase), None)

    def host(self, host: str) -> HostLabel | None:
        return next((h for h in self.hosts if h.host == host), None)
