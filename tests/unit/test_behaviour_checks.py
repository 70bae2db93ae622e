"""The behaviour checks as pure functions of evidence: what each flags, at which severity per phase, with
which recipient, and the look-alikes each must leave alone."""

from __future__ import annotations

from privacyscan.check.behaviour import (
    browser_fingerprinting,
    hashed_identifiers_in_pixels,
    keystrokes_before_submit,
    session_recording,
)
from privacyscan.models import Confidence, Phase, Severity

from ..builders import CRITEO_SCRIPT, HASHED_EMAIL, HOTJAR_SCRIPT, Shop, behaviour_scan, classified, phase

SHOP = Shop("https://www.opptak.no/")
CHART = "https://www.opptak.no/js/chart.js"
LAZY_LOADER = "https://cdn.jsdelivr.net/npm/lazysizes@5/lazysizes.min.js"


def ctx_of(which: Phase, behaviour=(), requests=()):
    """A phase whose scripts were seen doing `behaviour`; each script was loaded (so it is classified)."""
    loaded = [SHOP.request(url) for url in dict.fromkeys(b.script_url for b in behaviour if b.script_url)]
    return classified(SHOP.evidence(phase(which, pages=[SHOP.page()], requests=[*loaded, *requests],
                                          behaviour=list(behaviour))))


def recorder(which: Phase = Phase.before_consent):
    return ctx_of(which, [SHOP.behaviour("dom_observer", HOTJAR_SCRIPT, "subtree of the document"),
                          SHOP.behaviour("input_listener", HOTJAR_SCRIPT, "mousemove")],
                  [SHOP.request(HOTJAR_SCRIPT), SHOP.request("in.hotjar.com", path="/batch", method="POST")])


def test_a_third_party_observing_the_document_and_mouse_is_a_recording_high_before_consent_low_after_accept():
    [before] = session_recording(recorder())
    assert (before.subject, before.severity, before.confidence) == ("Hotjar Ltd", Severity.high, Confidence.high)
    assert "1 batched beacons" in before.explanation and "country MT" in before.explanation
    assert [(e.kind, e.url) for e in before.evidence] == [("note", HOTJAR_SCRIPT), ("note", HOTJAR_SCRIPT),
                                                          ("request", "https://in.hotjar.com/batch")]
    assert "subtree of the document" in before.evidence[0].description
    assert "mousemove" in before.evidence[1].description
    assert session_recording(recorder(Phase.after_reject))[0].severity is Severity.high
    assert session_recording(recorder(Phase.after_accept))[0].severity is Severity.low


def test_an_observer_without_input_listeners_or_a_first_party_one_is_no_recording():
    lazy_loader = ctx_of(Phase.before_consent, [SHOP.behaviour("dom_observer", LAZY_LOADER, "subtree of the document")],
                         [SHOP.request("plausible.io", path="/api/event", method="POST")])
    assert session_recording(lazy_loader) == []
    own = ctx_of(Phase.before_consent, [SHOP.behaviour("dom_observer", CHART, "subtree of the document"),
                                        SHOP.behaviour("input_listener", CHART, "mousemove")])
    assert session_recording(own) == []


def test_a_session_replay_service_known_only_from_the_catalogue_is_reported_with_medium_confidence():
    [known] = session_recording(ctx_of(Phase.before_consent, requests=[SHOP.request("in.hotjar.com")]))
    assert (known.subject, known.confidence, known.severity) == ("Hotjar Ltd", Confidence.medium, Severity.high)
    assert session_recording(ctx_of(Phase.before_consent, requests=[SHOP.request("plausible.io")])) == []


def test_typed_values_sent_to_a_third_party_are_keystrokes_high_before_the_choice_medium_after_accept():
    sent = [SHOP.sent("https://mc.yandex.ru/watch/1?v=x", "email", "url-encoded", "v")]
    [captured] = keystrokes_before_submit(ctx_of(Phase.before_consent, sent, [SHOP.request("mc.yandex.ru")]))
    assert (captured.subject, captured.severity) == ("Yandex LLC", Severity.high)
    assert captured.evidence[0].quote == "Kari.Probe7431@Example.org" and captured.evidence[0].selector == "#email"
    assert "url-encoded" in captured.evidence[0].description and "parameter v" in captured.evidence[0].description
    after = keystrokes_before_submit(ctx_of(Phase.after_accept, sent, [SHOP.request("mc.yandex.ru")]))
    assert after[0].severity is Severity.medium


def test_the_sites_own_autocomplete_is_not_keystroke_capture_but_its_own_email_capture_is():
    search = SHOP.sent("https://www.opptak.no/api/autocomplete?q=probesok7431", "search", "plain", "q")
    assert keystrokes_before_submit(ctx_of(Phase.before_consent, [search])) == []
    abandoned = SHOP.sent("https://www.opptak.no/api/draft", "email", "plain", "e")
    [own] = keystrokes_before_submit(ctx_of(Phase.before_consent, [abandoned]))
    assert own.severity is Severity.medium


def test_third_party_canvas_webgl_audio_or_many_fonts_are_fingerprinting_and_a_few_fonts_are_not():
    for kind, detail, count in (("canvas", "toDataURL after drawing text", 1), ("webgl", "getParameter(x)", 1),
                                ("audio", "OfflineAudioContext.startRendering", 1), ("font_probe", "Arial", 30)):
        [found] = browser_fingerprinting(ctx_of(Phase.before_consent, [SHOP.behaviour(kind, CRITEO_SCRIPT, detail,
                                                                                      count=count)]))
        assert (found.subject, found.severity) == ("Criteo SA", Severity.high), kind
        assert found.evidence[0].url == CRITEO_SCRIPT and f"{kind} — {detail}" in found.evidence[0].description, kind
    assert browser_fingerprinting(ctx_of(Phase.before_consent, [SHOP.behaviour("font_probe", CRITEO_SCRIPT, "Arial",
                                                                               count=4)])) == []
    accepted = ctx_of(Phase.after_accept, [SHOP.behaviour("canvas", CRITEO_SCRIPT, "toDataURL after drawing text")])
    assert browser_fingerprinting(accepted)[0].severity is Severity.medium


def test_a_first_party_chart_exporting_its_canvas_is_not_fingerprinting():
    chart = ctx_of(Phase.before_consent, [SHOP.behaviour("canvas", CHART, "toDataURL after drawing text")])
    assert browser_fingerprinting(chart) == []


def test_hashed_identifiers_from_parameters_and_from_typed_values_name_the_pixel_recipient():
    pixel = SHOP.request(f"https://www.facebook.com/tr/?id=1&ud%5Bem%5D={HASHED_EMAIL}")
    [meta] = hashed_identifiers_in_pixels(ctx_of(Phase.before_consent, requests=[pixel]))
    assert (meta.subject, meta.severity) == ("Meta Platforms, Inc.", Severity.high)
    [item] = meta.evidence
    assert item.kind == "request" and item.url == pixel.url and "parameter ud[em]" in item.description
    assert HASHED_EMAIL not in item.description  # the hash is in the URL, not repeated in the words
    typed = SHOP.sent("https://analytics.tiktok.com/api/v2/pixel", "phone", "sha256", "context.user.phone_number")
    [tiktok] = hashed_identifiers_in_pixels(ctx_of(Phase.after_accept, [typed],
                                                   [SHOP.request("analytics.tiktok.com", path="/api/v2/pixel")]))
    assert tiktok.severity is Severity.medium and tiktok.evidence[0].quote == "917 35 286"


def test_an_event_id_a_plain_typed_value_or_a_first_party_hash_is_no_hashed_identifier():
    event = SHOP.request(f"https://www.facebook.com/tr/?id=1&eid={HASHED_EMAIL}")
    own = SHOP.request(f"https://www.opptak.no/api?ud%5Bem%5D={HASHED_EMAIL}")
    plain = SHOP.sent("https://mc.yandex.ru/watch/1", "email", "plain", "v")
    assert hashed_identifiers_in_pixels(ctx_of(Phase.before_consent, [plain], [event, own])) == []


def test_the_violating_behaviour_scan_reaches_all_four_rules():
    rules = {f.rule_id for rule in (session_recording, keystrokes_before_submit, browser_fingerprinting,
                                    hashed_identifiers_in_pixels) for f in rule(behaviour_scan())}
    assert rules == {"session_recording", "keystrokes_before_submit", "browser_fingerprinting",
                     "hashed_identifiers_in_pixels"}
