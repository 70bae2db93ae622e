"""Behaviour no catalogue can see: what scripts were seen *doing* in each phase (the crawl's
`PhaseEvidence.behaviour`, see privacyscan.crawl.behaviour), judged per phase and named with the recipient
(organisation, country, DPF status from the classification). A vendor list says who might track; these
rules say who does: session recording, keystrokes captured before submit, browser fingerprinting and
hashed identifiers in tracking pixels ("advanced matching")."""

from __future__ import annotations

import contextlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import parse_qsl, urlsplit

from ..classify.model import Category, Classification
from ..models import (
    BehaviourRecord,
    Confidence,
    EvidenceItem,
    Finding,
    Party,
    Phase,
    PhaseEvidence,
    Severity,
    Wording,
)
from ..urls import registrable_domain
from ..wording import counted, finding_texts, listing, words
from .context import CheckContext
from .finding import evidence_item, finding

BEFORE_CHOICE = (Phase.before_consent, Phase.after_reject)
RECORDING_LISTENERS = {"mousemove", "pointermove", "keydown", "keyup", "keypress", "input"}
FINGERPRINT_KINDS = ("canvas", "webgl", "audio")
FONT_PROBE_MIN_FONTS = 20  # a page measures a handful of fonts; enumeration measures dozens one by one
HEX64 = re.compile(r"^[0-9a-f]{64}$", re.I)
HEX32 = re.compile(r"^[0-9a-f]{32}$", re.I)


@dataclass(frozen=True)
class Recipient:
    """Who receives what a script or a request sends, as the classification knows the host."""

    host: str
    organisation: str | None
    country: str | None
    dpf: str | None

    @property
    def name(self) -> str:
        return self.organisation or registrable_domain(self.host) or self.host

    def describe(self) -> Wording | str:
        facts = [f for f in (self.country and words("recipient_fact.country", country=self.country),
                             self.dpf and self.dpf != "unknown" and words(f"recipient_fact.dpf.{self.dpf}")) if f]
        return words("recipient_fact.described", name=self.name, facts=listing(facts)) if facts else self.name


def _phase_start(phase: Phase) -> Wording:
    """The phase at the start of a sentence ("Before consent, ...")."""
    return words(f"phase_start.{phase.value}")


def _maybe(prefix: str, value: str | None) -> Wording | str:
    """`prefix.value` worded where the finding texts know it, else the value as it is."""
    key = f"{prefix}.{value}"
    return words(key) if key in finding_texts("en") else str(value)


def recipient_of(classification: Classification, host: str) -> Recipient:
    label = classification.host(host)
    if label is None:
        return Recipient(host, None, None, None)
    return Recipient(host, label.organisation, label.country, label.dpf.value)


def _severity(phase: Phase, before: Severity, after: Severity) -> Severity:
    return before if phase in BEFORE_CHOICE else after


def _behaviour_item(record: BehaviourRecord, phase: Phase, description: Wording) -> EvidenceItem:
    return evidence_item(description, kind="note", page_url=record.page_url, url=record.script_url,
                         phase=phase, at_ms=record.at_ms)


def _third_party_by_script_host(phase: PhaseEvidence) -> dict[str, list[BehaviourRecord]]:
    out: dict[str, list[BehaviourRecord]] = defaultdict(list)
    for record in phase.behaviour:
        if record.kind != "value_sent" and record.party is Party.third and record.script_host:
            out[record.script_host].append(record)
    return out


# --------------------------------------------------------------------------------- session recording


def session_recording(ctx: CheckContext) -> list[Finding]:
    """A third-party script records the visitor's session: it observes the whole document for changes and
    listens to mouse moves or keys at document level (the behaviour of Hotjar, Clarity, FullStory, Yandex
    Webvisor, LogRocket, Smartlook ...), or the classification names a session-replay service the page sent
    requests to. Before consent or after "reject all" it is high severity. Must not flag an analytics beacon
    that sends page views only (no observer, no listeners), nor a first-party script watching its own DOM."""
    findings = []
    for phase in ctx.evidence.phases:
        seen_organisations: set[str] = set()
        for host, records in _third_party_by_script_host(phase).items():
            observers = [r for r in records if r.kind == "dom_observer"]
            listeners = [r for r in records if r.kind == "input_listener" and r.detail in RECORDING_LISTENERS]
            if not (observers and listeners):
                continue
            recipient = recipient_of(ctx.classification, host)
            seen_organisations.add(recipient.name)
            beacons = [r for r in phase.requests if r.method == "POST" and _same_recipient(ctx, r.host, host)]
            events = sorted({r.detail for r in listeners})
            evidence = [_behaviour_item(observers[0], phase.phase,
                                        words("evidence.dom_observer", script=str(observers[0].script_url),
                                              detail=observers[0].detail)),
                        _behaviour_item(listeners[0], phase.phase,
                                        words("evidence.input_listener", script=str(listeners[0].script_url),
                                              events=", ".join(events)))]
            evidence += [evidence_item(words("evidence.recording_beacon", recipient=recipient.describe()),
                                       kind="request", url=r.url, page_url=r.page_url, phase=phase.phase,
                                       at_ms=r.started_ms)
                         for r in beacons[:3]]
            findings.append(finding(
                "session_recording", subject=recipient.name, phase=phase.phase,
                title=words("session_recording.title", name=recipient.name),
                severity=_severity(phase.phase, Severity.high, Severity.low),
                explanation=words("session_recording.explanation", phase=_phase_start(phase.phase), host=host,
                                  events=", ".join(events), recipient=recipient.describe(),
                                  beacons=counted("session_recording.beacons", len(beacons)) if beacons else None),
                evidence=evidence))
        findings += _catalogue_recordings(ctx, phase, seen_organisations)
    return findings


def _same_recipient(ctx: CheckContext, host: str, script_host: str) -> bool:
    """A recorder's beacons go to its own domain, or to another domain of the same organisation."""
    if registrable_domain(host) == registrable_domain(script_host):
        return True
    organisation = recipient_of(ctx.classification, script_host).organisation
    return bool(organisation) and recipient_of(ctx.classification, host).organisation == organisation


def _catalogue_recordings(ctx: CheckContext, phase: PhaseEvidence, seen: set[str]) -> list[Finding]:
    """Session-replay services the catalogue knows, where the script's behaviour was not seen (it may
    start recording later, or sample visits): reported with medium confidence."""
    out = []
    by_recipient: dict[str, list] = defaultdict(list)
    for request in phase.requests:
        label = ctx.classification.host(request.host)
        if label and label.category is Category.session_replay and not request.blocked_reason:
            by_recipient[recipient_of(ctx.classification, request.host).name].append(request)
    for name, requests in by_recipient.items():
        if name in seen:
            continue
        recipient = recipient_of(ctx.classification, requests[0].host)
        out.append(finding(
            "session_recording", subject=name, phase=phase.phase,
            title=words("session_recording.title", name=name),
            severity=_severity(phase.phase, Severity.high, Severity.low), confidence=Confidence.medium,
            explanation=words("session_recording.catalogue_explanation", phase=_phase_start(phase.phase),
                              recipient=recipient.describe()),
            evidence=[evidence_item(words("evidence.request_to", host=recipient.describe()), kind="request",
                                    url=r.url, page_url=r.page_url, phase=phase.phase, at_ms=r.started_ms)
                      for r in requests[:3]]))
    return out


# ------------------------------------------------------------------------------ keystrokes before submit


def keystrokes_before_submit(ctx: CheckContext) -> list[Finding]:
    """A request carried a test value privacyscan typed into a form field — plain, URL-encoded, base64 or
    hashed — although the form was never submitted: a keystroke logger, a session recorder capturing
    inputs, or a pixel's automatic matching. Third parties before consent or after "reject all": high;
    otherwise medium. Must not flag the site's own autocomplete receiving a search term (the visitor asked
    for it), nor a form whose values go nowhere until submit (nothing is sent)."""
    findings = []
    for phase in ctx.evidence.phases:
        groups: dict[str, list[BehaviourRecord]] = defaultdict(list)
        for record in phase.behaviour:
            if record.kind != "value_sent" or not record.request_host:
                continue
            if record.party is Party.first and record.field_kind == "search":
                continue  # the site's own search/autocomplete: the visitor typed it to be sent there
            groups[recipient_of(ctx.classification, record.request_host).name].append(record)
        for name, records in groups.items():
            recipient = recipient_of(ctx.classification, records[0].request_host)
            third = any(r.party is Party.third for r in records)
            fields = sorted({r.field_kind for r in records if r.field_kind})
            findings.append(finding(
                "keystrokes_before_submit", subject=name, phase=phase.phase,
                title=words("keystrokes_before_submit.title", name=name),
                severity=_severity(phase.phase, Severity.high, Severity.medium) if third else Severity.medium,
                explanation=words(
                    "keystrokes_before_submit.explanation", phase=_phase_start(phase.phase),
                    fields=listing([_maybe("field_kind", f) for f in fields]), recipient=recipient.describe(),
                    encodings=listing([_maybe("encoding", e) for e in sorted({r.encoding or "?" for r in records})]),
                ),
                evidence=[_value_item(r, phase.phase, recipient) for r in records[:10]]))
    return findings


def _value_item(record: BehaviourRecord, phase: Phase, recipient: Recipient) -> EvidenceItem:
    where = (words("evidence.in_parameter", parameter=record.parameter) if record.parameter
             else words("evidence.in_request_body"))
    sender = words("evidence.sent_by", script=record.script_url) if record.script_url else None
    return evidence_item(
        words("evidence.test_value_sent", field=_maybe("field_kind", record.field_kind),
              value=str(record.test_value), encoding=_maybe("encoding", record.encoding), where=where,
              recipient=recipient.describe(), sender=sender),
        kind="request", url=record.request_url, page_url=record.page_url, phase=phase, at_ms=record.at_ms,
        selector=record.field_selector, quote=record.test_value)


# -------------------------------------------------------------------------------- browser fingerprinting


def browser_fingerprinting(ctx: CheckContext) -> list[Finding]:
    """A third-party script fingerprints the browser: it reads a canvas back after drawing text on it,
    asks WebGL for the unmasked renderer or vendor, renders audio offline, or measures text in dozens of
    fonts one by one. An identifier nobody can delete, so it needs consent like a cookie (ePrivacy Art.
    5(3)). Must not flag a first-party chart library drawing (and exporting) a canvas, nor a script that
    reads `navigator.language` or the screen size (nothing is instrumented for that)."""
    findings = []
    for phase in ctx.evidence.phases:
        for host, records in _third_party_by_script_host(phase).items():
            signals = [r for r in records if r.kind in FINGERPRINT_KINDS
                       or (r.kind == "font_probe" and r.count >= FONT_PROBE_MIN_FONTS)]
            if not signals:
                continue
            recipient = recipient_of(ctx.classification, host)
            # in the order of their English names, as before the texts were data
            kinds = sorted({r.kind for r in signals}, key=lambda k: k.replace("font_probe", "font enumeration"))
            findings.append(finding(
                "browser_fingerprinting", subject=recipient.name, phase=phase.phase,
                title=words("browser_fingerprinting.title", name=recipient.name),
                severity=_severity(phase.phase, Severity.high, Severity.medium),
                explanation=words("browser_fingerprinting.explanation", phase=_phase_start(phase.phase), host=host,
                                  techniques=listing([words(f"technique.{k}") for k in kinds]),
                                  recipient=recipient.describe()),
                evidence=[_behaviour_item(r, phase.phase, words(
                    "evidence.fingerprint_call", script=str(r.script_url), kind=r.kind, detail=r.detail,
                    fonts=counted("evidence.fonts_measured", r.count) if r.kind == "font_probe" else None))
                          for r in signals[:10]]))
    return findings


# -------------------------------------------------------------------------- hashed identifiers in pixels


@cache
def _pixel_parameters() -> tuple[dict[str, str], dict[str, str]]:
    """(parameter name -> vendor, packed-value prefix -> vendor) from data/hashed_identifier_params.json."""
    raw = json.loads(resources.files("privacyscan").joinpath("data/hashed_identifier_params.json")
                     .read_text(encoding="utf-8"))
    names = {n: p["vendor"] for p in raw["pixels"] for n in p.get("names", [])}
    prefixes = {x: p["vendor"] for p in raw["pixels"] for x in p.get("prefixes", [])}
    return names, prefixes


def hashed_parameters(url: str, body: str | None) -> list[tuple[str, str, str]]:
    """(parameter, hash kind, pixel) for each known identifier parameter holding a SHA-256 or MD5 value."""
    names, prefixes = _pixel_parameters()
    pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    if body:
        if body.lstrip()[:1] == "{":
            with contextlib.suppress(ValueError):
                pairs += _flat_json(json.loads(body))
        elif "=" in body:
            pairs += parse_qsl(body, keep_blank_values=True)
    out = []
    for key, value in pairs:
        vendor = names.get(key)
        for prefix, packed_vendor in prefixes.items():
            if value.startswith(prefix):
                value, vendor = value[len(prefix):].split("~", 1)[0], vendor or packed_vendor
        if vendor and (HEX64.match(value) or HEX32.match(value)):
            out.append((key, "sha256" if len(value) == 64 else "md5", vendor))
    return out


def _flat_json(node: object, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _flat_json(v, f"{prefix}.{k}" if prefix else str(k))]
    if isinstance(node, list):
        return [p for v in node for p in _flat_json(v, prefix)]
    return [(prefix, str(node))]


def hashed_identifiers_in_pixels(ctx: CheckContext) -> list[Finding]:
    """A tracking pixel received a hashed e-mail address or phone number ("advanced matching", "enhanced
    conversions"): Meta `ud[em]`/`ud[ph]`, Google `em` (`tv.1~em.<hash>`), TikTok and LinkedIn equivalents
    holding a SHA-256/MD5 value, or any third-party request carrying the hash of a value privacyscan typed.
    A hash of an e-mail address is personal data: it identifies the person across sites. Must not flag a
    pixel whose only hex parameter is an event or content id, nor first-party requests."""
    findings = []
    for phase in ctx.evidence.phases:
        groups: dict[str, list[EvidenceItem]] = defaultdict(list)
        hosts: dict[str, str] = {}
        for request in phase.requests:
            if request.party is not Party.third or request.blocked_reason:
                continue
            for parameter, kind, vendor in hashed_parameters(request.url, request.post_data_preview):
                name = recipient_of(ctx.classification, request.host).name
                hosts[name] = request.host
                groups[name].append(evidence_item(
                    words("evidence.hashed_parameter", vendor=vendor, parameter=parameter, kind=kind),
                    kind="request", url=request.url, page_url=request.page_url, phase=phase.phase,
                    at_ms=request.started_ms))
        for record in phase.behaviour:
            if (record.kind == "value_sent" and record.party is Party.third and record.encoding in ("sha256", "md5")
                    and record.request_host):
                name = recipient_of(ctx.classification, record.request_host).name
                hosts[name] = record.request_host
                groups[name].append(evidence_item(
                    words("evidence.hashed_test_value", encoding=str(record.encoding),
                          field=_maybe("field_kind", record.field_kind), value=str(record.test_value),
                          selector=str(record.field_selector),
                          parameter=record.parameter or words("evidence.body_parameter")),
                    kind="request", url=record.request_url, page_url=record.page_url, phase=phase.phase,
                    at_ms=record.at_ms, selector=record.field_selector, quote=record.test_value))
        for name, evidence in groups.items():
            recipient = recipient_of(ctx.classification, hosts[name])
            findings.append(finding(
                "hashed_identifiers_in_pixels", subject=name, phase=phase.phase,
                title=words("hashed_identifiers_in_pixels.title", name=name),
                severity=_severity(phase.phase, Severity.high, Severity.medium),
                explanation=words("hashed_identifiers_in_pixels.explanation", phase=_phase_start(phase.phase),
                                  recipient=recipient.describe()),
                evidence=evidence[:10]))
    return findings


RULES = [session_recording, keystrokes_before_submit, browser_fingerprinting, hashed_identifiers_in_pixels]
__all__ = ["RULES", "hashed_parameters"]
