"""The shared vocabulary at the bottom of the pipeline: phases, parties, severities, what the crawl saw
(`Evidence`) and what a check concludes (`Finding`). Every stage may import this module; it imports no
stage. The assembled report (`ScanReport`), which needs every stage's output type, lives in
`privacyscan.report.model`.

Bump `SCHEMA_VERSION` (semver) whenever a field changes meaning or disappears; adding an optional field
is a minor bump.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .text import clean_value

SCHEMA_VERSION = "2.3.0"  # what changed in each version: docs/report-schema.md


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    # Page text may carry lone UTF-16 surrogates; cleaned on the way in (construction and the crawler's
    # attribute assignments), every model stays encodable (see text.py).
    _clean_text = field_validator("*", mode="before")(clean_value)

    def __setattr__(self, name: str, value: object) -> None:
        super().__setattr__(name, clean_value(value))


class Phase(StrEnum):
    """A browsing phase, each in a fresh browser context (no cookies, no storage)."""

    before_consent = "before_consent"
    after_reject = "after_reject"
    after_accept = "after_accept"


class Party(StrEnum):
    first = "first"
    third = "third"


# --------------------------------------------------------------------------------------------- crawl


class RequestRecord(Model):
    """One request the page (not the browser itself) made."""

    url: str
    host: str
    method: str = "GET"
    resource_type: str = "other"
    page_url: str = Field(description="the page being visited when the request was made")
    frame_url: str | None = None
    is_main_frame: bool = True
    initiator: str | None = Field(default=None, description="script or document URL that caused it, where known")
    party: Party = Party.third
    status: int | None = None
    failure: str | None = None
    blocked_reason: str | None = Field(default=None, description="set when privacyscan refused the request (SSRF guard)")
    started_ms: float = Field(description="milliseconds since the phase started")
    duration_ms: float | None = None
    cookies_sent: list[str] = Field(default_factory=list, description="names of cookies in the Cookie header")
    identifier_params: list[str] = Field(
        default_factory=list, description="query/body parameter names that carry a visitor or client identifier"
    )
    post_data_preview: str | None = None


class CookieRecord(Model):
    name: str
    value: str = Field(description="value as stored, truncated to 256 characters")
    domain: str
    path: str = "/"
    expires: datetime | None = Field(default=None, description="None for a session cookie")
    lifetime_days: float | None = Field(default=None, description="expiry minus the time it was first seen; None = session")
    secure: bool = False
    http_only: bool = False
    same_site: str | None = None
    party: Party = Party.first
    first_seen_page: str
    first_seen_ms: float = Field(description="milliseconds since the phase started")
    set_by: Literal["header", "script", "unknown"] = "unknown"
    set_by_url: str | None = Field(default=None, description="the response whose Set-Cookie header set it, if any")
    stored: bool = Field(default=True, description="False: seen in a Set-Cookie header but never in the cookie jar")


class StorageItem(Model):
    kind: Literal["local", "session"]
    origin: str
    key: str
    value_preview: str = ""
    page_url: str
    party: Party = Party.first


class FrameRecord(Model):
    url: str
    host: str
    name: str | None = None
    page_url: str
    party: Party = Party.first


class FormControl(Model):
    tag: str
    type: str | None = None
    name: str | None = None
    id: str | None = None
    value: str | None = None
    label: str = Field(default="", description="label text: <label>, aria-label, aria-labelledby or wrapping text")
    nearby_text: str = Field(default="", description="text of the control's closest block container")
    checked: bool | None = Field(default=None, description="DOM checked property (or aria-checked) after scripts ran")
    checked_attribute: bool | None = Field(default=None, description="the HTML `checked` attribute as authored")
    role: str | None = None
    aria_checked: str | None = None
    required: bool = False
    visible: bool = True
    selector: str
    group_label: str = Field(
        default="", description="legend of the enclosing <fieldset>, or the label of an enclosing role=group/radiogroup"
    )
    attributes: dict[str, str] = Field(
        default_factory=dict,
        description="the control's class, data-* and aria-* attributes (values cut to 100 characters): validation hints",
    )
    screenshot: str | None = Field(
        default=None, description="screenshot of the control's form with this control outlined"
    )


class FormRecord(Model):
    page_url: str
    selector: str
    action: str | None = Field(default=None, description="absolute URL the form submits to")
    method: str = "get"
    text: str = Field(default="", description="visible text of the form, truncated")
    controls: list[FormControl] = Field(default_factory=list)
    is_form_element: bool = Field(default=True, description="False for a group of controls outside any <form>")
    screenshot: str | None = None
    frame_url: str | None = Field(
        default=None, description="URL of the frame the form is in, when not the main frame"
    )
    attributes: dict[str, str] = Field(
        default_factory=dict,
        description="the form element's id, class and data-* attributes (values cut to 100 characters): embed markers",
    )


class LinkRecord(Model):
    url: str
    text: str
    region: Literal["header", "nav", "main", "footer", "banner", "other"] = "other"


class BannerButton(Model):
    text: str
    selector: str
    width: float = 0
    height: float = 0
    role: Literal["accept", "reject", "settings", "close", "other"] = "other"


class TcfConsent(Model):
    """The core of an IAB TCF v2 consent string as the consent platform reported it (`__tcfapi`)."""

    tc_string: str
    version: int = 2
    created: datetime | None = None
    last_updated: datetime | None = None
    cmp_id: int | None = None
    cmp_version: int | None = None
    consent_language: str | None = None
    vendor_list_version: int | None = None
    policy_version: int | None = None
    special_features: list[int] = Field(default_factory=list)
    purposes_consent: list[int] = Field(default_factory=list, description="TCF purpose ids consented to")
    purposes_legitimate_interest: list[int] = Field(default_factory=list)
    vendor_consents: list[int] = Field(default_factory=list, description="Global Vendor List ids consented to")
    vendor_legitimate_interest: list[int] = Field(default_factory=list)
    event_status: str | None = Field(default=None, description="tcloaded, cmpuishown or useractioncomplete")
    read_at_ms: float | None = Field(default=None, description="milliseconds since the phase started")


class BannerRecord(Model):
    """A consent banner as found on a page: who made it, what it says and which buttons it offers."""

    page_url: str
    detected_by: str = Field(description="'autoconsent:<cmp>' or 'heuristic'")
    cmp: str | None = None
    selector: str | None = None
    text: str = ""
    buttons: list[BannerButton] = Field(default_factory=list)
    screenshot: str | None = None
    toggles: list[FormControl] = Field(default_factory=list, description="purpose/vendor toggles in the settings layer")
    frame_url: str | None = Field(default=None, description="the frame the banner is in, when not the main frame")
    settings_screenshot: str | None = Field(default=None, description="screenshot of the settings layer, if opened")
    tcf: TcfConsent | None = Field(default=None, description="the TCF consent string when the banner was found")


class ConsentAction(Model):
    """What privacyscan did to a banner in a phase, and how (a visible click or a platform API call)."""

    action: Literal["reject", "accept"]
    succeeded: bool
    method: Literal["click", "api", "none"] = "none"
    detail: str = ""
    at_ms: float | None = Field(default=None, description="milliseconds since the phase started")
    selector: str | None = None
    button_text: str | None = None
    cmp: str | None = Field(default=None, description="the consent platform operated ('heuristic' for a home-made banner)")
    banner_closed: bool | None = Field(default=None, description="whether the banner was gone after the action")
    tcf: TcfConsent | None = Field(default=None, description="the TCF consent string after the action")


BehaviourKind = Literal["canvas", "webgl", "audio", "font_probe", "dom_observer", "input_listener", "value_sent"]


class BehaviourRecord(Model):
    """Something a page's scripts were seen *doing*, whatever any catalogue says about them: a browser call
    that fingerprints (canvas read back after drawing text, WebGL's unmasked renderer, audio rendering, fonts
    measured one by one), one that records a session (observing the whole document, listening to every move
    or key at document level), or a request carrying a test value privacyscan typed into a form field that
    was never submitted (`value_sent`)."""

    kind: BehaviourKind
    page_url: str
    frame_url: str | None = Field(default=None, description="the frame it happened in, when not the main frame")
    script_url: str | None = Field(default=None, description="the calling script (from a stack trace), where known")
    script_host: str | None = None
    party: Party | None = Field(default=None, description="the calling script's party (value_sent: the recipient's)")
    detail: str = Field(default="", description="the call, e.g. 'toDataURL after drawing text'; for fonts a sample")
    count: int = Field(default=1, description="how often it was seen; for font_probe, distinct fonts measured")
    at_ms: float | None = Field(default=None, description="milliseconds since the phase started")
    request_url: str | None = Field(default=None, description="value_sent: the request that carried the value")
    request_host: str | None = None
    parameter: str | None = Field(default=None, description="value_sent: the query/body parameter holding it")
    field_kind: Literal["email", "phone", "text", "search"] | None = Field(
        default=None, description="value_sent: which kind of field the test value was typed into")
    field_selector: str | None = None
    test_value: str | None = Field(default=None, description="value_sent: the test value typed, as typed")
    encoding: Literal["plain", "url-encoded", "base64", "sha256", "md5"] | None = None


# refused: the SSRF guard refused the address; no_document: nothing arrived (DNS, connection, TLS, timeout);
# incomplete_load: kept for reports written before a page whose `load` never fired counted as a page (it is now
# recorded without error, with `load_note` and `hanging_requests`); busy: the page's scripts kept it from answering;
# crashed: the browser crashed on it; other: any other error after the document arrived.
PageErrorKind = Literal["refused", "no_document", "incomplete_load", "busy", "crashed", "other"]


class Interaction(Model):
    """One safe click on a disclosure control or a link-like element without `href`, and what followed."""

    selector: str
    text: str = Field(default="", description="the element's visible text, truncated")
    kind: Literal["disclosure", "tab", "js_link"]
    outcome: Literal["expanded", "navigated", "nothing", "failed"]
    url: str | None = Field(default=None, description="the URL a click navigated to (js_link), if any")
    new_requests: int = Field(default=0, description="requests that started within the click's watch window")
    at_ms: float | None = Field(default=None, description="milliseconds since the phase started")


class PageRecord(Model):
    url: str = Field(description="the URL privacyscan asked for")
    final_url: str | None = None
    depth: int = 0
    status: int | None = None
    title: str = ""
    lang: str | None = None
    error: str | None = None
    error_kind: PageErrorKind | None = Field(
        default=None, description="what kind of failure `error` is; refused and no_document mean nothing arrived"
    )
    load_ms: float | None = None
    started_ms: float = 0
    screenshot: str | None = Field(default=None, description="path relative to the scan folder")
    links: list[LinkRecord] = Field(default_factory=list)
    forms: list[FormRecord] = Field(default_factory=list)
    iframes: list[FrameRecord] = Field(default_factory=list)
    text_excerpt: str = Field(default="", description="visible text, truncated; used by text checks")
    html: str | None = Field(default=None, description="full HTML, kept only for pages that look like a privacy notice")
    load_state: Literal["commit", "domcontentloaded", "load"] | None = Field(
        default=None, description="the last load state reached: commit = the document began to arrive")
    load_note: str | None = Field(
        default=None, description="not an error: why `load` (or DOM ready) was not reached; the page is still recorded")
    hanging_requests: list[str] = Field(
        default_factory=list, description="URLs of the page's requests still unanswered when it was captured")
    interactions: list[Interaction] = Field(
        default_factory=list, description="what the bounded interaction clicked on this page, and what followed")

    @property
    def document_arrived(self) -> bool:
        """A page whose document arrived is a page, even if its scripts misbehaved afterwards."""
        return self.error_kind not in ("refused", "no_document", "crashed")


class CauseKind(StrEnum):
    """Why a scan (or a phase) is not complete. Only `page_limit` is a bound the user chose; every other
    kind is a fault the report and the exit code must show."""

    page_limit = "page_limit"
    time_budget = "time_budget"
    browser_crash = "browser_crash"
    page_crash = "page_crash"
    phase_error = "phase_error"
    interrupted = "interrupted"
    unreachable = "unreachable"
    refused = "refused"

    @property
    def is_fault(self) -> bool:
        return self is not CauseKind.page_limit


class IncompleteCause(Model):
    kind: CauseKind
    phase: Phase | None = None
    detail: str


class _Completeness(Model):
    """`complete` and `incomplete_reason` (the first cause, for people) are kept in step with `causes`."""

    complete: bool = True
    incomplete_reason: str | None = None
    causes: list[IncompleteCause] = Field(default_factory=list, description="every reason it is incomplete")

    def add_cause(self, kind: CauseKind, detail: str, phase: Phase | None = None) -> None:
        if any(c.kind is kind and c.phase is phase and c.detail == detail for c in self.causes):
            return
        self.causes.append(IncompleteCause(kind=kind, phase=phase, detail=detail))
        self.complete = False
        if self.incomplete_reason is None:
            self.incomplete_reason = f"{phase.value}: {detail}" if phase else detail

    @property
    def faults(self) -> list[IncompleteCause]:
        return [c for c in self.causes if c.kind.is_fault]


class PhaseEvidence(_Completeness):
    phase: Phase
    started_at: datetime
    pages: list[PageRecord] = Field(default_factory=list)
    requests: list[RequestRecord] = Field(default_factory=list)
    cookies: list[CookieRecord] = Field(default_factory=list)
    storage: list[StorageItem] = Field(default_factory=list)
    banners: list[BannerRecord] = Field(default_factory=list)
    consent_action: ConsentAction | None = None
    behaviour: list[BehaviourRecord] = Field(
        default_factory=list, description="fingerprinting, session-recording and typed-value evidence (2.2.0)")

    @property
    def third_party_hosts(self) -> list[str]:
        return sorted({r.host for r in self.requests if r.party is Party.third and not r.blocked_reason})


class BrowserInfo(Model):
    name: str = "chromium"
    version: str = ""
    user_agent: str = ""
    viewport: str = "1366x768"
    locale: str = "nb-NO"


class Evidence(_Completeness):
    schema_version: str = SCHEMA_VERSION
    site_url: str
    site_id: str
    registrable_domain: str
    scan_id: str
    started_at: datetime
    finished_at: datetime | None = None
    browser: BrowserInfo = Field(default_factory=BrowserInfo)
    phases: list[PhaseEvidence] = Field(default_factory=list)

    def phase(self, phase: Phase) -> PhaseEvidence | None:
        return next((p for p in self.phases if p.phase is phase), None)


# --------------------------------------------------------------------------------------- findings


class Severity(StrEnum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Confidence(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"

    @property
    def rank(self) -> int:
        """low 0, medium 1, high 2: the higher, the surer."""
        return ("low", "medium", "high").index(self.value)


class WordingList(Model):
    """Several values read as one: names joined by commas, parts of a sentence by semicolons, or a list
    ending in "and" ("og"), in the report's language."""

    items: list[str | int | float | Wording | WordingList] = Field(default_factory=list)
    joiner: Literal["comma", "semicolon", "and", "space", "plus"] = "comma"


class Wording(Model):
    """Words a check or the classifier wrote about one subject, in every language the report ships: a key of
    the finding texts (`data/finding_texts/{en,nb}.json`) and its named values (`privacyscan.wording`).
    A string or number value is a fact (a host, a cookie name, a quote from the site) and stays as it is in
    every language; a `Wording` or `WordingList` value is itself worded in the report's language."""

    key: str
    values: dict[str, str | int | float | Wording | WordingList] = Field(default_factory=dict)


WordingList.model_rebuild()


class EvidenceItem(Model):
    """One thing a person can look at to verify a finding."""

    kind: Literal["request", "cookie", "storage", "page", "form_control", "banner", "quote", "screenshot", "note"]
    description: str
    page_url: str | None = None
    url: str | None = None
    phase: Phase | None = None
    selector: str | None = None
    quote: str | None = None
    screenshot: str | None = None
    at_ms: float | None = Field(default=None, description="milliseconds since the phase started (or since the consent click)")
    description_wording: Wording | None = Field(
        default=None, description="`description` as a finding-text key and values, for reports in other languages (2.3.0)")


def finding_id(rule_id: str, subject: str) -> str:
    """Stable across re-scans: the same rule about the same subject gets the same id, whatever the phase,
    page or scan it was seen in. Diffs, baselines and policy files key on it."""
    return f"{rule_id}/{hashlib.sha256(subject.encode('utf-8', 'replace')).hexdigest()[:12]}"


class Finding(Model):
    """One problem about one subject, consolidated over the phases and pages where it was seen."""

    id: str = Field(default="", description="stable id: rule and subject (see `finding_id`); filled in when empty")
    rule_id: str
    title: str
    severity: Severity
    confidence: Confidence = Confidence.high
    legal_reference: list[str] = Field(default_factory=list)
    phase: Phase | None = Field(default=None, description="the first phase it was seen in (all of them: `phases`)")
    phases: list[Phase] = Field(default_factory=list, description="every phase it was seen in, in scan order")
    pages: list[str] = Field(default_factory=list, description="every page it was seen on")
    explanation: str
    fix: str
    evidence: list[EvidenceItem] = Field(default_factory=list)
    title_wording: Wording | None = Field(
        default=None, description="the finding's own `title` as a finding-text key and values (2.3.0)")
    explanation_wording: Wording | None = Field(
        default=None, description="`explanation` as a finding-text key and values (2.3.0)")
    fix_wording: Wording | None = Field(
        default=None, description="the finding's own `fix` as a finding-text key and values (2.3.0)")
    subject: str = Field(default="", description="what the finding is about (a host, cookie, form ...): keys the id")

    @model_validator(mode="after")
    def _fill_identity(self) -> Finding:
        if not self.id:
            self.id = finding_id(self.rule_id, self.subject)
        if self.phase is not None and not self.phases:
            self.phases = [self.phase]
        return self

    @property
    def fingerprint(self) -> str:
        return self.id
