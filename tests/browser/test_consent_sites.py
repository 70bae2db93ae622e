"""Consent under test, in real Chromium: each fixture site is scanned once (before consent, after "reject
all", after "accept all") and the scenario's assertions read that one report.

The sites (tests/browser/consent_sites.py) are look-alikes of OneTrust, Cookiebot and Cookie Information
with the DOM DuckDuckGo autoconsent recognises, and home-made banners in Norwegian and English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from privacyscan.check.consent import RULES
from privacyscan.crawl.consent import make_consent_driver
from privacyscan.demo.webserver import VirtualHostWeb
from privacyscan.models import Confidence, Finding, Phase, PhaseEvidence
from privacyscan.pipeline import scan_site
from privacyscan.report.consent_section import consent_section
from privacyscan.report.model import ScanReport
from privacyscan.settings import ScanOptions

from .consent_sites import (
    COMPLIANT,
    COOKIE_INFORMATION,
    COOKIEBOT,
    IMPLIED_EN,
    IMPLIED_NB,
    NO_BANNER,
    ONETRUST,
    consent_web,
)

pytestmark = pytest.mark.browser

CONSENT_RULES = {rule.__name__ for rule in RULES}


@pytest.fixture(scope="module")
def web() -> Iterator[VirtualHostWeb]:
    with consent_web() as server:
        yield server


@pytest.fixture(scope="module")
def scanned(
    web: VirtualHostWeb, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], tuple[ScanReport, Path]]:
    reports: dict[str, tuple[ScanReport, Path]] = {}

    def scan(host: str) -> tuple[ScanReport, Path]:
        if host not in reports:
            workdir = tmp_path_factory.mktemp(host.replace(".", "-"))
            options = ScanOptions(
                site_url=f"https://{host}/",
                mappings=web.mappings(),
                ignore_https_errors=True,
                settle_s=0.3,
                quiet_window_s=0.3,
                quiet_cap_s=3.0,
                page_timeout_s=8.0,
                time_budget_s=120.0,
                consent_detect_s=3.0,
                consent_settle_s=1.0,
                consent_quiet_s=0.5,
                consent_cap_s=4.0,
            )
            reports[host] = (scan_site(options, workdir, consent=make_consent_driver()), workdir)
        return reports[host]

    return scan


def phase(report: ScanReport, which: Phase) -> PhaseEvidence:
    found = report.evidence.phase(which)
    assert found is not None, f"no {which.value} phase"
    return found


def consent_findings(report: ScanReport, rule_id: str | None = None) -> list[Finding]:
    return [
        f for f in report.findings if f.rule_id in CONSENT_RULES and (rule_id is None or f.rule_id == rule_id)
    ]


def hosts(evidence: PhaseEvidence, since_ms: float = 0.0) -> set[str]:
    return {r.host for r in evidence.requests if r.party.value == "third" and r.started_ms >= since_ms}


def cookie_names(evidence: PhaseEvidence) -> set[str]:
    return {c.name for c in evidence.cookies}


# ------------------------------------------------------------------ a compliant home-made banner


def test_a_compliant_norwegian_banner_yields_no_consent_findings(scanned) -> None:
    report, workdir = scanned(COMPLIANT)
    before, rejected, accepted = (phase(report, p) for p in Phase)

    banner = before.banners[0]
    assert banner.detected_by == "heuristic"
    roles = {b.text: b.role for b in banner.buttons}
    assert roles == {"Avvis alle": "reject", "Innstillinger": "settings", "Godta alle": "accept"}
    assert banner.screenshot and (workdir / banner.screenshot).is_file()
    assert banner.settings_screenshot and (workdir / banner.settings_screenshot).is_file()
    toggles = {t.label.strip(): t.checked for t in banner.toggles}
    assert toggles["Statistikk"] is False and toggles["Markedsføring"] is False

    action = rejected.consent_action
    assert (action.method, action.button_text, action.succeeded, action.banner_closed) == (
        "click",
        "Avvis alle",
        True,
        True,
    )
    # After the click the first page is reloaded and the second page visited.
    assert [p.url.rstrip("/") for p in rejected.pages][-2:] == [
        f"https://{COMPLIANT}",
        f"https://{COMPLIANT}/om-oss",
    ]

    assert hosts(before) == set() and hosts(rejected) == set()
    assert "www.google-analytics.com" in hosts(accepted, since_ms=accepted.consent_action.at_ms)
    assert "_ga" in cookie_names(accepted) and "_ga" not in cookie_names(rejected)
    assert consent_findings(report) == []


def test_the_comparison_shows_what_each_choice_changed(scanned) -> None:
    report, _ = scanned(COMPLIANT)
    model = report.consent_comparison
    assert model is not None
    google = next(r for r in model.rows if r.kind == "recipient" and r.name == "Google LLC")
    assert google.tracker
    assert set(google.cells) == {Phase.after_accept.value}
    ga_cookie = next(r for r in model.rows if r.kind == "cookie" and r.name == "_ga")
    assert set(ga_cookie.cells) == {Phase.after_accept.value}
    html = consent_section(report)
    assert "What each consent choice changed" in html and "Avvis alle" in html and "Google LLC" in html


# ------------------------------------------------------------------ OneTrust: trackers before consent


def test_onetrust_lookalike_with_trackers_before_consent_is_flagged(scanned) -> None:
    report, _ = scanned(ONETRUST)
    before, rejected, accepted = (phase(report, p) for p in Phase)
    banner = before.banners[0]
    assert (banner.detected_by, banner.cmp) == ("autoconsent:Onetrust", "Onetrust")
    assert {b.selector: b.role for b in banner.buttons}["#onetrust-reject-all-handler"] == "reject"
    assert rejected.consent_action.selector == "#onetrust-reject-all-handler"
    assert rejected.consent_action.method == "click"

    early = {f.subject: f for f in consent_findings(report, "tracking_before_consent")}
    assert {"Google LLC", "Meta Platforms, Inc."} <= set(early)
    google = early["Google LLC"]
    assert google.confidence is Confidence.high and google.phase is Phase.before_consent
    assert any(
        e.kind == "request" and "google-analytics.com/g/collect" in (e.url or "") for e in google.evidence
    )
    assert any(e.kind == "cookie" and "_ga" in e.description and e.at_ms is not None for e in google.evidence)

    # GA loads on every page whatever the choice: after the reject click it runs again.
    late = {f.subject: f for f in consent_findings(report, "reject_not_honoured")}
    assert "Google LLC" in late
    assert all(e.at_ms >= 0 for e in late["Google LLC"].evidence if e.kind == "request")
    assert "Before consent it received" in late["Google LLC"].explanation
    assert consent_findings(report, "no_banner_but_tracking") == []


def test_onetrust_legitimate_interest_toggle_on_by_default_is_flagged(scanned) -> None:
    report, workdir = scanned(ONETRUST)
    [finding] = consent_findings(report, "preticked_purposes")
    assert "legitimate interest" in finding.title
    described = " ".join(e.description for e in finding.evidence)
    assert "Berettiget interesse" in described
    assert "Målrettet markedsføring" not in described  # off by default: not flagged
    shot = next(e.screenshot for e in finding.evidence if e.kind == "screenshot")
    assert (workdir / shot).is_file()


def test_onetrust_tcf_strings_are_decoded_after_each_choice(scanned) -> None:
    report, _ = scanned(ONETRUST)
    rejected_tcf = phase(report, Phase.after_reject).consent_action.tcf
    accepted_tcf = phase(report, Phase.after_accept).consent_action.tcf
    assert rejected_tcf.purposes_consent == [] and rejected_tcf.vendor_consents == []
    assert rejected_tcf.event_status == "useractioncomplete"
    assert accepted_tcf.purposes_consent == list(range(1, 11)) and accepted_tcf.vendor_consents == [755, 793]
    assert not [f for f in consent_findings(report, "reject_not_honoured") if f.subject == "tcf"]


# ------------------------------------------------------------------ Cookiebot: "no" does not mean no


def test_cookiebot_lookalike_whose_visible_decline_is_ignored_is_flagged(scanned) -> None:
    report, _ = scanned(COOKIEBOT)
    before, rejected, _accepted = (phase(report, p) for p in Phase)
    assert before.banners[0].detected_by == "autoconsent:Cybotcookiebot"
    action = rejected.consent_action
    # The visible button, not Cookiebot.withdraw() (which works and would hide the defect).
    assert (action.method, action.selector) == ("click", "#CybotCookiebotDialogBodyButtonDecline")

    assert consent_findings(report, "tracking_before_consent") == []
    [meta] = [
        f for f in consent_findings(report, "reject_not_honoured") if f.subject == "Meta Platforms, Inc."
    ]
    assert meta.confidence is Confidence.high
    assert "received nothing" in meta.explanation
    requests = [e for e in meta.evidence if e.kind == "request"]
    assert requests and all(e.at_ms >= 0 and "after the reject click" in e.description for e in requests)
    assert any(e.kind == "cookie" and "_fbp" in e.description for e in meta.evidence)


def test_cookiebot_preticked_purposes_are_flagged_but_not_the_necessary_box(scanned) -> None:
    report, _ = scanned(COOKIEBOT)
    [finding] = consent_findings(report, "preticked_purposes")
    described = " ".join(e.description for e in finding.evidence)
    for label in ("Preferanser", "Statistikk", "Markedsføring"):
        assert label in described
    assert "Nødvendige" not in described
    assert finding.confidence is Confidence.high


# ------------------------------------------------------------------ Cookie Information: compliant


def test_cookie_information_lookalike_is_rejected_by_its_visible_button(scanned) -> None:
    report, _ = scanned(COOKIE_INFORMATION)
    before, rejected, accepted = (phase(report, p) for p in Phase)
    assert before.banners[0].detected_by == "autoconsent:Cookie Information Banner"
    action = rejected.consent_action
    assert (action.method, action.selector, action.button_text) == (
        "click",
        "#declineButton",
        "Kun nødvendige",
    )
    assert hosts(rejected) == {"policy.app.cookieinformation.com"}
    assert "www.google-analytics.com" in hosts(accepted)
    assert consent_findings(report) == []


# ------------------------------------------------------------------ implied consent and accept-only


def test_english_implied_consent_with_only_an_ok_button_is_flagged(scanned) -> None:
    report, workdir = scanned(IMPLIED_EN)
    [implied] = consent_findings(report, "implied_consent")
    assert implied.confidence is Confidence.medium  # text heuristics never fail a gate on their own
    quote = next(e.quote for e in implied.evidence if e.kind == "quote")
    assert "click through to the next page" in quote
    [accept_only] = consent_findings(report, "no_reject_on_first_layer")
    assert accept_only.confidence is Confidence.medium
    banner_item = next(e for e in accept_only.evidence if e.kind == "banner")
    assert "'OK' (accept, " in banner_item.description
    shot = next(e.screenshot for e in accept_only.evidence if e.kind == "screenshot")
    assert (workdir / shot).is_file()
    action = phase(report, Phase.after_reject).consent_action
    assert (action.succeeded, action.method) == (False, "none")


def test_norwegian_implied_consent_is_flagged_and_a_close_only_notice_is_not_accept_only(scanned) -> None:
    report, _ = scanned(IMPLIED_NB)
    [implied] = consent_findings(report, "implied_consent")
    assert "Ved å fortsette å bruke nettstedet" in next(
        e.quote for e in implied.evidence if e.kind == "quote"
    )
    assert consent_findings(report, "no_reject_on_first_layer") == []


# ------------------------------------------------------------------ no banner at all


def test_trackers_without_any_banner_are_reported_once(scanned) -> None:
    report, _ = scanned(NO_BANNER)
    assert all(not p.banners for p in report.evidence.phases)
    [finding] = consent_findings(report)
    assert finding.rule_id == "no_banner_but_tracking"
    assert "Google Analytics" in finding.explanation and "Hotjar" in finding.explanation
    assert consent_findings(report, "tracking_before_consent") == []
