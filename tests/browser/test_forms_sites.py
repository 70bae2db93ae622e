"""Forms in a real browser: each fixture page in tests/fixtures/forms/ (see its README) yields exactly the
findings it is built for, and the decoys yield none. One crawl of a site that links them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from privacyscan.demo.webserver import Response, VirtualHostWeb
from privacyscan.pipeline import scan_site

from .conftest import scan_options

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent.parent / "fixtures" / "forms"
HOST = "forms.shop.example"  # same site as shop.example, where the insecure form posts
FORM_RULES = {"preticked_consent", "bundled_consent", "consent_refers_elsewhere", "consent_required_for_service",
              "third_party_form_post", "insecure_form"}

EXPECTED = {
    "preticked_checked": {"preticked_consent"},
    "preticked_by_script": {"preticked_consent"},
    "aria_switch_on": {"preticked_consent"},
    "preselected_yes_radio": {"preticked_consent"},
    "bundled": {"bundled_consent", "consent_required_for_service"},
    "refers_elsewhere": {"consent_refers_elsewhere"},
    "consent_required": {"consent_required_for_service"},
    "hubspot_post": {"third_party_form_post"},
    "insecure_form": {"insecure_form"},
    "correct_form": set(),
    "login_remember_me": set(),
    "delivery_option": set(),
}


@pytest.fixture(scope="module")
def forms_report(tmp_path_factory):
    web = VirtualHostWeb()
    web.start()
    links = "".join(f'<li><a href="/{name}.html">{name}</a></li>' for name in EXPECTED)
    web.route(HOST, "/", Response(f"<!doctype html><html lang=nb><title>Skjema</title><ul>{links}</ul></html>"))
    for name in EXPECTED:
        web.route(HOST, f"/{name}.html", Response((FIXTURES / f"{name}.html").read_text()))
    try:
        options = scan_options(web, f"https://{HOST}/", max_pages=len(EXPECTED) + 1, max_depth=1)
        yield scan_site(options, tmp_path_factory.mktemp("forms"))
    finally:
        web.stop()


def form_findings(report, name: str) -> list:
    url = f"https://{HOST}/{name}.html"
    return [f for f in report.findings if f.rule_id in FORM_RULES and any(e.page_url == url for e in f.evidence)]


@pytest.mark.parametrize("name", EXPECTED)
def test_each_form_page_yields_exactly_its_findings(forms_report, name):
    assert {f.rule_id for f in form_findings(forms_report, name)} == EXPECTED[name]


def test_preticked_findings_carry_selector_label_state_and_a_screenshot(forms_report, tmp_path_factory):
    by_script = form_findings(forms_report, "preticked_by_script")[0]
    control = next(e for e in by_script.evidence if e.kind == "form_control")
    assert control.selector == "#marketing" and control.quote
    assert control.screenshot and control.screenshot.startswith("screenshots/control-")
    page = next(p for p in forms_report.evidence.phases[0].pages if p.url.endswith("/preticked_by_script.html"))
    box = next(c for f in page.forms for c in f.controls if c.selector == "#marketing")
    assert box.checked is True and box.checked_attribute is False  # ticked by a script after load


def test_the_hubspot_post_names_its_recipient(forms_report):
    finding = form_findings(forms_report, "hubspot_post")[0]
    assert "HubSpot" in finding.explanation and "api.hsforms.com" in " ".join(e.url or "" for e in finding.evidence)
