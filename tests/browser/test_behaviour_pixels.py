"""Hashed identifiers in pixels, in real Chromium: Meta's automatic advanced matching hashes the typed
e-mail (lower-cased) and phone (digits with country code) into ud[em]/ud[ph], and a Google conversion
pixel carries a customer's hashed e-mail in em=tv.1~em.<hash>: each a high finding with its recipient; a
Meta PageView whose only 64-hex parameter is an event id is not."""

from __future__ import annotations

import hashlib

import pytest

from privacyscan.models import Severity

from .behaviour_helpers import behaviour_of, evidence_text, findings_of
from .behaviour_sites import ADVANCED_MATCHING, CUSTOMER_EMAIL_SHA256, PLAIN_PIXEL, QUIET_FORM

pytestmark = pytest.mark.browser


def test_advanced_matching_of_the_typed_values_and_a_google_em_are_high_findings(behaviour_scan):
    report = behaviour_scan(ADVANCED_MATCHING)
    hashed = {(r.field_kind, r.encoding, r.parameter) for r in behaviour_of(report, kind="value_sent")}
    assert {("email", "sha256", "ud[em]"), ("phone", "sha256", "ud[ph]")} <= hashed
    by_subject = {f.subject: f for f in findings_of(report, "hashed_identifiers_in_pixels")}
    assert set(by_subject) == {"Meta Platforms, Inc.", "Google LLC"}
    assert all(f.severity is Severity.high for f in by_subject.values())
    meta = evidence_text(by_subject["Meta Platforms, Inc."])
    assert hashlib.sha256(b"kari.probe7431@example.org").hexdigest() in meta
    assert hashlib.sha256(b"4791735286").hexdigest() in meta and "Kari.Probe7431@Example.org" in meta
    assert CUSTOMER_EMAIL_SHA256 in evidence_text(by_subject["Google LLC"])
    assert "DPF" in by_subject["Meta Platforms, Inc."].explanation
    # the same hashes are keystrokes captured before submit
    assert [f.subject for f in findings_of(report, "keystrokes_before_submit")] == ["Meta Platforms, Inc."]


def test_a_pixel_whose_only_hash_is_an_event_id_is_not_flagged(behaviour_scan):
    report = behaviour_scan(PLAIN_PIXEL)
    assert any("eid=" in r.url for r in report.evidence.phases[0].requests if r.host == "www.facebook.com")
    assert findings_of(report, "hashed_identifiers_in_pixels") == []


def test_a_form_with_only_page_views_sends_no_hashed_identifier(behaviour_scan):
    assert findings_of(behaviour_scan(QUIET_FORM), "hashed_identifiers_in_pixels") == []
