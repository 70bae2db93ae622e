"""Session recording in real Chromium: a Hotjar-like recorder before consent is a high finding named
with Hotjar Ltd, its script and its batches; the same recorder loaded only after "Godta alle" is seen only
in that phase, at low severity; an analytics beacon with page views only is no recording."""

from __future__ import annotations

import pytest

from privacyscan.models import Phase, Severity
from privacyscan.report import render

from .behaviour_helpers import behaviour_of, evidence_text, findings_of
from .behaviour_sites import PAGE_VIEWS_ONLY, RECORDER, RECORDER_BATCH, RECORDING, RECORDING_AFTER_CONSENT

pytestmark = pytest.mark.browser


def test_a_recorder_before_consent_is_a_high_finding_with_its_script_beacons_and_recipient(behaviour_scan):
    report = behaviour_scan(RECORDING)
    kinds = {(r.kind, r.detail) for r in behaviour_of(report) if r.script_url == RECORDER}
    assert {("dom_observer", "subtree of the document"), ("input_listener", "mousemove"),
            ("input_listener", "keydown"), ("input_listener", "input")} <= kinds
    [recording] = findings_of(report, "session_recording")
    assert (recording.subject, recording.severity, recording.phase) == ("Hotjar Ltd", Severity.high,
                                                                        Phase.before_consent)
    assert recording.confidence.value == "high"  # seen from behaviour, not only from the catalogue
    text = evidence_text(recording)
    assert RECORDER in text and RECORDER_BATCH in text and "https://www.opptaksbutikken.no/" in text
    assert "country MT" in recording.explanation and recording.fix


def test_the_report_has_a_behaviour_area_with_the_recording(behaviour_scan):
    report = behaviour_scan(RECORDING)
    html = render(report, "html", lang="en")["report.html"].decode()
    area = html.split('id="area-behaviour"', 1)[1]
    assert "Behaviour" in html and "Session recorded by Hotjar Ltd" in area
    assert "Atferd" in render(report, "html", lang="nb")["report.html"].decode()


def test_a_recorder_loaded_only_after_accept_is_not_seen_before_the_choice(behaviour_scan):
    report = behaviour_scan(RECORDING_AFTER_CONSENT, consent=True)
    assert [r for r in behaviour_of(report, Phase.before_consent) if r.script_url == RECORDER] == []
    assert [r for r in behaviour_of(report, Phase.after_reject) if r.script_url == RECORDER] == []
    assert any(r.kind == "dom_observer" for r in behaviour_of(report, Phase.after_accept) if r.script_url == RECORDER)
    [recording] = findings_of(report, "session_recording")
    assert recording.phases == [Phase.after_accept] and recording.severity is Severity.low
    # what the first page did before the click belongs to no choice: only the reload after it is watched
    clicked = report.evidence.phase(Phase.after_accept).consent_action
    assert clicked.succeeded and all(r.at_ms >= clicked.at_ms for r in behaviour_of(report, Phase.after_accept))


def test_an_analytics_beacon_with_page_views_only_is_no_recording(behaviour_scan):
    report = behaviour_scan(PAGE_VIEWS_ONLY)
    assert findings_of(report, "session_recording") == []
    third = [r for r in behaviour_of(report) if r.script_host == "plausible.io"]
    assert [r for r in third if r.kind in ("dom_observer", "input_listener")] == []
    assert any(r.host == "plausible.io" and r.method == "POST" for r in report.evidence.phases[0].requests)
