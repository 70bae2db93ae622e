"""The bounded interaction's safety list (issue 16 item 4): which control texts are never clicked. The
clicking itself runs on real Chromium in tests/browser/test_unseen_sites.py."""

from __future__ import annotations

import re

import pytest

from privacyscan.crawl.interaction import BUDGET_S, FIND_JS, FORBIDDEN, MAX_CLICKS


@pytest.mark.parametrize("text", [
    "Slett konto", "Delete account", "Kjøp", "Kjøp nå", "Buy now", "Betal", "Legg i handlekurv", "Add to cart",
    "Logg ut", "Log out", "Sign out", "Godta alle", "Accept all", "Avvis alle", "Reject", "Cookie-innstillinger",
    "Send", "Submit", "Abonner", "Subscribe", "Meld deg på", "Registrer deg", "Lagre", "Jetzt kaufen", "Konto löschen",
])
def test_consent_purchase_delete_logout_and_submit_controls_are_never_clicked(text):
    assert FORBIDDEN.search(text)


@pytest.mark.parametrize("text", ["Vis mer", "Les mer", "Show more", "Mehr anzeigen", "Kart", "Våre butikker",
                                  "Åpningstider", "Read more", "Se alle produkter"])
def test_disclosure_and_link_texts_are_allowed(text):
    assert FORBIDDEN.search(text) is None


def _js_forbidden_words() -> set[str]:
    source = FIND_JS.split("const FORBIDDEN = new RegExp(", 1)[1].split('"i");', 1)[0]
    joined = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', source)).replace("\\\\", "\\")
    return set(joined.removeprefix("\\b(").removesuffix(")").split("|"))


def test_the_page_side_and_the_python_side_refuse_the_same_words():
    python_words = set(FORBIDDEN.pattern.removeprefix(r"\b(").removesuffix(")").split("|"))
    assert _js_forbidden_words() == python_words


def test_the_interaction_is_bounded():
    assert MAX_CLICKS <= 10 and BUDGET_S <= 3.0
