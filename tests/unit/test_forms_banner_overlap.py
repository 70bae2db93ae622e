"""A consent banner's own purpose toggles are reported by the consent checks, not again by the form
rules; the same box in an ordinary newsletter form is still a form finding."""

from __future__ import annotations

from datetime import UTC, datetime

from privacyscan.check import CheckContext
from privacyscan.check.forms import preticked_consent
from privacyscan.models import (
    BannerRecord,
    Evidence,
    FormControl,
    FormRecord,
    PageRecord,
    Phase,
    PhaseEvidence,
)

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def marketing_box(selector: str, control_id: str) -> FormControl:
    return FormControl(tag="input", type="checkbox", id=control_id, name="marketing", checked=True,
                       checked_attribute=True, label="Ja, jeg samtykker til markedsføring på e-post", selector=selector)


def evidence(form_selector: str, control: FormControl, banner: BannerRecord | None) -> Evidence:
    form = FormRecord(page_url="https://x.example/", selector=form_selector, controls=[control])
    phase = PhaseEvidence(phase=Phase.before_consent, started_at=NOW, banners=[banner] if banner else [],
                          pages=[PageRecord(url="https://x.example/", status=200, forms=[form])])
    return Evidence(site_url="https://x.example/", site_id="x", registrable_domain="x.example", scan_id="s",
                    started_at=NOW, phases=[phase])


def test_a_banner_toggle_is_left_to_the_consent_checks():
    box = marketing_box("#CybotCookiebotDialog > div > input", "CybotMarketing")
    banner = BannerRecord(page_url="https://x.example/", detected_by="autoconsent:Cybotcookiebot",
                          selector="#CybotCookiebotDialog", toggles=[box])
    assert preticked_consent(CheckContext(evidence=evidence("#CybotCookiebotDialog > div", box, banner))) == []


def test_the_same_box_in_a_newsletter_form_is_still_flagged():
    banner = BannerRecord(page_url="https://x.example/", detected_by="heuristic", selector="#cookie-banner")
    box = marketing_box("#marketing", "marketing")
    findings = preticked_consent(CheckContext(evidence=evidence("#newsletter", box, banner)))
    assert [f.rule_id for f in findings] == ["preticked_consent"]
