"""Banner wording (data/banner_phrases.json): button roles and implied consent in nb, nn, sv, da, de, en,
with the decoys each must leave alone."""

from __future__ import annotations

import pytest

from privacyscan.data.banner_phrases import banner_phrases, normalise

PHRASES = banner_phrases()


@pytest.mark.parametrize(
    ("text", "role"),
    [
        # reject, in every language, including the "accept only necessary" wordings that contain "accept"
        ("Avvis alle", "reject"),
        ("Godta kun nødvendige", "reject"),
        ("Kun nødvendige", "reject"),
        ("Berre naudsynte", "reject"),
        ("Avvisa alla", "reject"),
        ("Acceptera endast nödvändiga", "reject"),
        ("Afvis alle", "reject"),
        ("Tillad kun nødvendige", "reject"),
        ("Alle ablehnen", "reject"),
        ("Nur notwendige Cookies akzeptieren", "reject"),
        ("Reject all", "reject"),
        ("Decline", "reject"),
        ("Use necessary cookies only", "reject"),
        ("I don\u2019t accept", "reject"),
        # accept
        ("Godta alle", "accept"),
        ("Godta alle informasjonskapsler", "accept"),
        ("OK", "accept"),
        ("Eg godtek", "accept"),
        ("Acceptera alla kakor", "accept"),
        ("Accepter alle", "accept"),
        ("Alle akzeptieren", "accept"),
        ("Accept all cookies", "accept"),
        ("Got it", "accept"),
        # settings, save, close
        ("Innstillinger", "settings"),
        ("Vis detaljar", "settings"),
        ("Hantera inställningar", "settings"),
        ("Cookie-indstillinger", "settings"),
        ("Einstellungen", "settings"),
        ("Manage preferences", "settings"),
        ("Tillat utvalg", "save"),
        ("Lagre valg", "save"),
        ("Auswahl speichern", "save"),
        ("Confirm my choices", "save"),
        ("Lukk", "close"),
        ("×", "close"),
        ("Schließen", "close"),
    ],
)
def test_button_texts_name_their_role(text: str, role: str) -> None:
    assert PHRASES.button_role(text) == role


@pytest.mark.parametrize(
    "text",
    [
        "Les mer om personvern",
        "Privacy policy",
        "Okay then, here is a long paragraph that happens to begin with ok",
        "Kontakt oss",
        "Accepterade betalningsmetoder och mycket mer text som inte är en knapp alls här",
    ],
)
def test_ordinary_links_and_paragraphs_have_no_role(text: str) -> None:
    assert PHRASES.button_role(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "We use cookies. When you click through to the next page, you\u2019re accepting that we\u2019re setting cookies.",
        "By continuing to browse this site you agree to our use of cookies.",
        "Ved å fortsette å bruke nettstedet godtar du at vi bruker informasjonskapsler.",
        "Ved å bruke nettstedet godtar du bruk av informasjonskapsler.",
        "Om du held fram med å bruke nettstaden, godtek du informasjonskapslar.",
        "Genom att fortsätta använda webbplatsen godkänner du att vi använder kakor.",
        "Ved fortsat brug af hjemmesiden accepterer du cookies.",
        "Durch die weitere Nutzung der Seite stimmen Sie der Verwendung von Cookies zu.",
    ],
)
def test_implied_consent_wording_is_found_in_every_language(text: str) -> None:
    assert PHRASES["implied_consent"].search(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ved å klikke «Godta alle» godtar du bruk av informasjonskapsler.",
        "By clicking 'Accept all' you agree to the storing of cookies on your device.",
        "Mit Klick auf „Alle akzeptieren“ stimmen Sie der Verwendung von Cookies zu.",
        "Du kan fortsette uten å godta ved å klikke «Avvis alle».",
    ],
)
def test_an_affirmative_click_is_not_implied_consent(text: str) -> None:
    assert PHRASES["implied_consent"].search(text) is None


def test_banner_words_and_toggle_words() -> None:
    assert PHRASES["banner_words"].search("Vi bruker informasjonskapsler")
    assert PHRASES["banner_words"].search("Denne side bruger cookies")
    assert PHRASES["banner_words"].search("Welcome to our shop") is None
    assert PHRASES["necessary"].search("Strengt nødvendige informasjonskapsler")
    assert PHRASES["necessary"].search("Statistikk") is None
    assert PHRASES["legitimate_interest"].search("Berettiget interesse: måle annonseytelse")
    assert PHRASES["legitimate_interest"].search("Legitimate interests")


def test_normalise_reads_punctuation_as_space_and_keeps_apostrophes() -> None:
    assert normalise("  Godta\u00a0ALLE!  ") == "godta alle"
    assert normalise("You\u2019re accepting") == "you're accepting"


def test_patterns_compile_for_the_browser() -> None:
    data = PHRASES.for_browser()
    assert data["role_order"][0] == "reject"
    assert all("\\w" not in p for patterns in data["patterns"].values() for p in patterns)
