"""The consent-label classifier reads what a control asks, in nb, nn, sv, da, de and en: consent boxes
are recognised with their purposes; remember-me, send-me-a-copy, terms and delivery options are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from privacyscan.forms.consent_labels import (
    ControlKind,
    Document,
    Purpose,
    classify_control,
    is_affirmative_option,
    read_control,
    read_text,
)
from privacyscan.models import FormControl

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "forms" / "consent_labels.json"
LABELS = json.loads(CORPUS.read_text(encoding="utf-8"))["labels"]
LANGUAGES = {"nb", "nn", "sv", "da", "de", "en"}


def box(label: str = "", **fields) -> FormControl:
    return FormControl(tag="input", type="checkbox", label=label, selector="#box", **fields)


def _id(entry: dict) -> str:
    return f"{entry['lang']}:{entry['label'] or entry.get('name')}"[:60]


def test_the_corpus_has_positives_and_decoys_in_every_language():
    for lang in LANGUAGES:
        kinds = [e["kind"] for e in LABELS if e["lang"] == lang]
        assert kinds.count("consent") >= 8, lang
        assert len(kinds) - kinds.count("consent") >= 8, lang


@pytest.mark.parametrize("entry", LABELS, ids=_id)
def test_each_labelled_control_gets_the_kind_a_reader_gives_it(entry):
    control = box(entry["label"], group_label=entry.get("group_label", ""), name=entry.get("name"))
    reading = read_control(control)
    assert reading.kind.value == entry["kind"]
    if "purposes" in entry:
        assert {p.value for p in reading.stated_purposes} == set(entry["purposes"])
    if "opt_out" in entry:
        assert reading.opt_out is entry["opt_out"]
    if "bundled" in entry:
        assert bool(reading.bundled_with) is entry["bundled"]
    if "refers_elsewhere" in entry:
        assert reading.refers_elsewhere is entry["refers_elsewhere"]


def test_a_newsletter_box_is_consent_for_marketing_and_remember_me_is_not():
    assert classify_control(box("Ja, jeg vil motta nyhetsbrev")) is ControlKind.consent
    assert classify_control(box("Husk meg")) is ControlKind.functional
    assert classify_control(box("Remember me")) is ControlKind.functional


def test_terms_and_privacy_policy_together_are_documents_not_a_bundle():
    reading = read_text("I accept the terms and the privacy policy")
    assert reading.kind is ControlKind.terms_acceptance
    assert reading.documents_accepted == {Document.terms, Document.privacy_policy}
    assert reading.bundled_with == []


def test_marketing_with_terms_acceptance_is_a_bundle():
    reading = read_text("I accept the terms, the privacy policy and to receive marketing")
    assert reading.is_consent
    assert reading.bundled_with == ["direct marketing", "accepting the privacy policy", "accepting the terms"]


def test_a_privacy_policy_named_as_a_reference_is_not_accepted():
    reading = read_text("I agree to receive marketing as described in our privacy policy")
    assert reading.documents_referenced == {Document.privacy_policy}
    assert not reading.documents_accepted
    assert reading.bundled_with == []
    assert not reading.refers_elsewhere


def test_news_by_email_and_sms_is_one_purpose_not_a_bundle():
    reading = read_text("Send meg nyheter og tilbud på e-post og SMS")
    assert reading.purposes == {Purpose.marketing}
    assert reading.bundled_with == []


def test_german_verb_final_acceptance_is_read_after_the_document():
    assert read_text("Ich bin mit den AGB einverstanden").kind is ControlKind.terms_acceptance
    reading = read_text("Ich habe die Datenschutzerklärung gelesen")
    assert reading.documents_acknowledged == {Document.privacy_policy}


def test_an_unsubscribe_note_after_the_consent_does_not_make_it_an_opt_out():
    reading = read_text(
        "Yes, send me the newsletter. If you do not want it any more, unsubscribe at any time."
    )
    assert reading.is_consent and not reading.opt_out


def test_a_label_less_toggle_is_read_from_its_name():
    assert classify_control(box(name="newsletterOptIn")) is ControlKind.consent
    assert classify_control(box(name="remember_me")) is ControlKind.functional
    assert classify_control(box(name="photos")) is ControlKind.other  # 'tos' inside a word is not terms


def test_a_yes_radio_under_a_newsletter_question_is_the_affirmative_option_and_no_is_not():
    yes = FormControl(
        tag="input",
        type="radio",
        name="nl",
        value="ja",
        label="Ja",
        group_label="Vil du ha nyhetsbrev?",
        selector="#yes",
    )
    no = FormControl(
        tag="input",
        type="radio",
        name="nl",
        value="nei",
        label="Nei",
        group_label="Vil du ha nyhetsbrev?",
        selector="#no",
    )
    assert is_affirmative_option(yes, read_control(yes))
    assert read_control(no).is_consent and not is_affirmative_option(no, read_control(no))


def test_every_language_has_phrases_for_every_category():
    from privacyscan.forms.consent_labels import phrase_book

    assert set(phrase_book().languages) == LANGUAGES
