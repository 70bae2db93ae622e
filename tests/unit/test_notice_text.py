"""Notice text: main content without banners and footers, sentences, and the language."""

from __future__ import annotations

import pytest

from privacyscan.notice.text import detect_language, main_text, sentences, visible_text

from .notice_samples import (
    BOKMAL_COMPLIANT,
    DANISH_COMPLIANT,
    ENGLISH_COMPLIANT,
    GERMAN_COMPLIANT,
    NYNORSK_COMPLIANT,
    SWEDISH_COMPLIANT,
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (BOKMAL_COMPLIANT, "nb"),
        (NYNORSK_COMPLIANT, "nn"),
        (ENGLISH_COMPLIANT, "en"),
        (SWEDISH_COMPLIANT, "sv"),
        (DANISH_COMPLIANT, "da"),
        (GERMAN_COMPLIANT, "de"),
    ],
)
def test_the_language_of_each_notice_is_told_by_its_function_words(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_too_little_text_has_no_language() -> None:
    assert detect_language("Personvern") is None


def test_sentences_do_not_break_after_legal_abbreviations_and_join_hard_wrapped_lines() -> None:
    text = "Grunnlaget er art. 6 nr. 1 bokstav b. Vi lagrer\nopplysningene i tre år.\n- Navn\n- E-post"
    assert sentences(text) == [
        "Grunnlaget er art. 6 nr. 1 bokstav b.",
        "Vi lagrer opplysningene i tre år.",
        "Navn",
        "E-post",
    ]


def test_consent_banners_navigation_and_footers_are_not_part_of_the_notice() -> None:
    html = (
        "<html><body><header><nav><a href='/'>Hjem</a></nav></header>"
        "<div class='cookie-consent'>Vi bruker informasjonskapsler <button>Godta</button></div>"
        "<main><h1>Personvernerklæring</h1><p>Du kan klage til Datatilsynet.</p>"
        "<ul><li>Navn</li><li>E-postadresse</li></ul></main>"
        "<footer>Kontakt oss</footer></body></html>"
    )
    for extract in (main_text, visible_text):
        text = extract(html)
        assert "Datatilsynet" in text and "E-postadresse" in text
        assert "Godta" not in text and "Kontakt oss" not in text
    assert "Hjem" not in visible_text(html)
