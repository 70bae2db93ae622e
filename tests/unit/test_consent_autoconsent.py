"""Reading DuckDuckGo autoconsent's rules: which rules reach a frame, and what a rule's steps click."""

from __future__ import annotations

import pytest

from privacyscan.crawl.consent.autoconsent import (
    CONFIG,
    Autoconsent,
    clicked_selectors,
    load_autoconsent,
    uses_eval,
    visible_selectors,
)

RULES = (
    {
        "name": "generic",
        "detectPopup": [{"visible": "#banner"}],
        "optOut": [{"click": "#no"}],
        "optIn": [{"waitForThenClick": "#yes"}],
    },
    {
        "name": "only-example",
        "runContext": {"urlPattern": "^https://(www\\.)?example\\.no/"},
        "optOut": [
            {
                "if": {"exists": "#a"},
                "then": [{"click": "#settings"}, {"click": ["#host", "#shadow"]}],
                "else": [{"eval": "EVAL_X"}],
            }
        ],
    },
    {"name": "frame-only", "runContext": {"main": False, "frame": True}},
    {"name": "cosmetic", "cosmetic": True},
)


def test_site_specific_cosmetic_and_frame_rules_are_filtered_per_frame() -> None:
    ac = Autoconsent(version="test", script="", rules=RULES)
    assert [r["name"] for r in ac.rules_for("https://www.example.no/side", main_frame=True)] == [
        "generic",
        "only-example",
    ]
    assert [r["name"] for r in ac.rules_for("https://other.no/", main_frame=True)] == ["generic"]
    assert [r["name"] for r in ac.rules_for("https://cmp.example/frame", main_frame=False)] == ["frame-only"]


def test_step_selectors_and_evals() -> None:
    assert clicked_selectors(RULES[0]["optOut"]) == ["#no"]
    assert clicked_selectors(RULES[0]["optIn"]) == ["#yes"]
    # a chain through a shadow root cannot be clicked with one CSS selector
    assert clicked_selectors(RULES[1]["optOut"]) == ["#settings"]
    assert uses_eval(RULES[1]["optOut"]) and not uses_eval(RULES[0]["optOut"])
    assert visible_selectors(RULES[0]["detectPopup"]) == ["#banner"]


def test_the_config_never_acts_or_hides_on_its_own() -> None:
    assert CONFIG["autoAction"] is None
    assert not CONFIG["enablePrehide"] and not CONFIG["enableCosmeticRules"]
    assert CONFIG["heuristicMode"] == "off" and not CONFIG["enableHeuristicDetection"]


def test_the_pinned_package_ships_the_full_rules() -> None:
    ac = load_autoconsent()
    if ac is None:
        pytest.skip("@duckduckgo/autoconsent is not installed (run scripts/setup)")
    assert ac.version == "16.23.0"
    info = ac.rule("Cookie Information Banner")
    assert info is not None and info["optIn"], "the full rules.json (with opt-in steps) is needed"
    assert "autoconsentSendMessage" in ac.script
