"""Browser fingerprinting in real Chromium: a third-party script reading canvas, WebGL, audio and
enumerating fonts is a high finding named with Criteo SA and the script; a first-party chart library
drawing text on a canvas and exporting it, and a script reading navigator.language, are not."""

from __future__ import annotations

import pytest

from privacyscan.models import Party, Phase, Severity

from .behaviour_helpers import behaviour_of, evidence_text, findings_of
from .behaviour_sites import CHART, FINGERPRINT, FINGERPRINT_SCRIPT, LANGUAGE

pytestmark = pytest.mark.browser


def test_a_third_party_fingerprinting_script_is_a_high_finding_with_each_technique(behaviour_scan):
    report = behaviour_scan(FINGERPRINT)
    records = [r for r in behaviour_of(report) if r.script_url == FINGERPRINT_SCRIPT]
    kinds = {r.kind for r in records}
    assert {"canvas", "audio", "font_probe"} <= kinds
    assert [r.count for r in records if r.kind == "font_probe"] == [30]
    [fingerprint] = findings_of(report, "browser_fingerprinting")
    assert (fingerprint.subject, fingerprint.severity, fingerprint.phase) == ("Criteo SA", Severity.high,
                                                                              Phase.before_consent)
    text = evidence_text(fingerprint)
    assert FINGERPRINT_SCRIPT in text and "toDataURL after drawing text" in text and "30 fonts" in text
    assert "OfflineAudioContext.startRendering" in text
    assert "country FR" in fingerprint.explanation


def test_a_first_party_chart_drawing_and_exporting_a_canvas_is_not_fingerprinting(behaviour_scan):
    report = behaviour_scan(CHART)
    canvas = behaviour_of(report, kind="canvas")
    assert canvas and all(r.party is Party.first and r.script_url.endswith("/js/chart.js") for r in canvas)
    assert findings_of(report, "browser_fingerprinting") == []


def test_a_script_reading_navigator_language_is_not_fingerprinting(behaviour_scan, behaviour_web):
    report = behaviour_scan(LANGUAGE)
    assert behaviour_web.requests_to("plausible.io", "/api/lang")  # it ran
    assert [r for r in behaviour_of(report) if r.kind in ("canvas", "webgl", "audio", "font_probe")] == []
    assert findings_of(report, "browser_fingerprinting") == []
