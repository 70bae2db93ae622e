"""Keystrokes captured before submit, in real Chromium: privacyscan types marked values into the text,
e-mail and phone fields and never submits; a third party that sends them as typed (URL-encoded e-mail,
base64 phone) is a high finding; a form whose values go nowhere and the site's own autocomplete receiving
the search term are not."""

from __future__ import annotations

import pytest

from privacyscan.models import Phase, Severity

from .behaviour_helpers import behaviour_of, evidence_text, findings_of
from .behaviour_sites import (
    AUTOCOMPLETE,
    KEYLOGGER,
    KEYLOGGER_BELOW_COMMENT,
    KEYS_SCRIPT,
    QUIET_FORM,
    RECORDING,
)

pytestmark = pytest.mark.browser


def test_a_third_party_receiving_typed_values_before_submit_is_a_high_finding(behaviour_scan, behaviour_web):
    report = behaviour_scan(KEYLOGGER)
    sent = {(r.field_kind, r.encoding, r.parameter, r.request_host) for r in behaviour_of(report, kind="value_sent")}
    assert ("email", "url-encoded", "v", "mc.yandex.ru") in sent
    assert ("phone", "base64", "p", "mc.yandex.ru") in sent
    [captured] = findings_of(report, "keystrokes_before_submit")
    assert (captured.subject, captured.severity, captured.phase) == ("Yandex LLC", Severity.high, Phase.before_consent)
    text = evidence_text(captured)
    assert "Kari.Probe7431@Example.org" in text and "917 35 286" in text and KEYS_SCRIPT in text
    assert {e.selector for e in captured.evidence} == {'input[name="epost"]', 'input[name="telefon"]'}
    # what the server really received, and that the form was never submitted
    assert any("Kari.Probe7431%40Example.org" in h.query for h in behaviour_web.requests_to("mc.yandex.ru", "/watch"))
    assert behaviour_web.requests_to(KEYLOGGER, "/takk") == []


def test_a_textarea_before_the_fields_does_not_shift_which_field_gets_which_value(behaviour_scan):
    report = behaviour_scan(KEYLOGGER_BELOW_COMMENT)
    sent = {(r.field_kind, r.encoding, r.parameter, r.request_host) for r in behaviour_of(report, kind="value_sent")}
    assert ("email", "url-encoded", "v", "mc.yandex.ru") in sent
    assert ("phone", "base64", "p", "mc.yandex.ru") in sent
    [captured] = findings_of(report, "keystrokes_before_submit")
    assert {e.selector for e in captured.evidence} == {'input[name="epost"]', 'input[name="telefon"]'}

def test_a_recorder_capturing_inputs_sends_the_plain_values_in_its_batches(behaviour_scan):
    report = behaviour_scan(RECORDING)
    [captured] = findings_of(report, "keystrokes_before_submit")
    assert captured.subject == "Hotjar Ltd" and captured.severity is Severity.high
    kinds = {(r.field_kind, r.encoding) for r in behaviour_of(report, kind="value_sent")}
    assert {("email", "plain"), ("phone", "plain"), ("text", "plain")} <= kinds


def test_a_form_whose_values_go_nowhere_until_submit_is_not_flagged(behaviour_scan, behaviour_web):
    report = behaviour_scan(QUIET_FORM)
    assert findings_of(report, "keystrokes_before_submit") == []
    assert behaviour_of(report, kind="value_sent") == []
    assert behaviour_web.requests_to(QUIET_FORM, "/takk") == []


def test_the_sites_own_autocomplete_receiving_the_search_term_is_not_flagged(behaviour_scan, behaviour_web):
    report = behaviour_scan(AUTOCOMPLETE)
    # the term was typed and did reach the site's own endpoint ...
    assert any("probesok7431" in h.query for h in behaviour_web.requests_to(AUTOCOMPLETE, "/api/autocomplete"))
    [sent] = [r for r in behaviour_of(report, kind="value_sent") if r.request_host == AUTOCOMPLETE]
    assert (sent.field_kind, sent.parameter, sent.party.value) == ("search", "q", "first")
    # ... which is what the visitor typed it for
    assert findings_of(report, "keystrokes_before_submit") == []
