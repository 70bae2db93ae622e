"""The rule registry (data/rules.json) is the one list of rules: every rule a check can emit is in it
(found by running every check on violating scans, and by reading each `finding("...")` in check/), every
entry is complete, findings take their rule's shared text from it, and SARIF describes rules from it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from privacyscan.check import all_rules, run_checks
from privacyscan.check.finding import finding
from privacyscan.models import Confidence, Severity
from privacyscan.report import render
from privacyscan.rules import RuleArea, UnknownRule, rule_registry, rule_spec

from ..builders import (
    FJORDSKO,
    TRACKED_SHOP_COOKIES,
    TRACKED_SHOP_REQUESTS,
    classified,
    report,
    violating_scans,
)

CHECK_DIR = Path(__file__).resolve().parents[2] / "src" / "privacyscan" / "check"


def _emitted_rule_ids() -> set[str]:
    ids: set[str] = set()
    for ctx in violating_scans():
        findings = run_checks(ctx)
        assert not [f for f in findings if f.rule_id == "internal_error"], findings
        ids |= {f.rule_id for f in findings}
    return ids


def _rule_id_literals() -> dict[str, str]:
    """rule id -> where: the first argument of every `finding(...)` call and every `rule_id=` keyword in check/."""
    found: dict[str, str] = {}
    for path in sorted(CHECK_DIR.glob("*.py")):
        if path.name == "finding.py":  # the helper itself passes the id on
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            args = [node.args[0]] if name == "finding" and node.args else []
            args += [k.value for k in node.keywords if k.arg == "rule_id"]
            for arg in args:
                assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
                    f"{path.name}:{node.lineno}: a rule id must be a literal, so this test can read it"
                )
                found.setdefault(arg.value, f"{path.name}:{node.lineno}")
    return found


def test_every_rule_the_checks_emit_on_violating_scans_is_registered_and_every_rule_is_reached() -> None:
    emitted = _emitted_rule_ids()
    registry = rule_registry()
    assert emitted <= set(registry), emitted - set(registry)
    # the violating scans reach every rule, so the line above says something about each of them
    assert set(registry) - emitted == {"internal_error"}


def test_every_rule_id_written_in_check_is_registered() -> None:
    literals = _rule_id_literals()
    assert len(literals) == len(rule_registry())
    assert {rule: where for rule, where in literals.items() if rule not in rule_registry()} == {}


def test_findings_are_made_only_through_the_registry_helper() -> None:
    direct = [
        f"{path.name}:{node.lineno}"
        for path in sorted(CHECK_DIR.glob("*.py"))
        if path.name != "finding.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Finding"
    ]
    assert direct == []


@pytest.mark.parametrize("rule_id", list(rule_registry()))
def test_every_registry_entry_is_complete(rule_id: str) -> None:
    spec = rule_spec(rule_id)
    assert spec.area in RuleArea and spec.severity in Severity
    text = spec.text("en")
    assert text.title and text.description and text.fix
    assert text.title[0].isupper() and not text.title.endswith(".")
    assert all(isinstance(ref, str) and ref for ref in spec.legal)
    if spec.area is not RuleArea.crawl_health:  # a compliance rule names its law and its decoys
        assert spec.legal and text.decoys


def test_the_registry_file_is_keyed_by_rule_id_with_shared_fields_and_one_block_per_language() -> None:
    raw = json.loads((CHECK_DIR.parent / "data" / "rules.json").read_text(encoding="utf-8"))
    for rule_id, entry in raw.items():
        assert set(entry) == {"area", "severity", "legal", "en", "nb"}, rule_id
        assert set(entry["en"]) == {"title", "description", "fix", "decoys"}, rule_id
        assert set(entry["nb"]) == {"title", "description", "fix"}, rule_id  # decoys are notes for engineers


def test_every_check_function_says_what_it_catches_and_what_it_leaves_alone() -> None:
    for rule in all_rules():
        assert rule.__doc__ and len(rule.__doc__) > 80, rule.__name__


def test_a_finding_takes_its_rules_shared_text_and_keeps_its_own() -> None:
    made = finding("implied_consent", subject="s", explanation="The banner says: ...", confidence=Confidence.low)
    spec = rule_spec("implied_consent")
    assert (made.title, made.fix, made.legal_reference) == (spec.text().title, spec.text().fix, spec.legal)
    assert made.severity is spec.severity and made.confidence is Confidence.low
    own = finding("page_failed", subject="p", explanation="e", title="Page could not be inspected: HTTP 404",
                  severity=Severity.low, legal=["x"], fix="y")
    assert (own.title, own.severity, own.legal_reference, own.fix) == (
        "Page could not be inspected: HTTP 404", Severity.low, ["x"], "y")
    with pytest.raises(UnknownRule):
        finding("no_such_rule", subject="s", explanation="e")


def test_sarif_rule_descriptors_come_from_the_registry_not_from_findings() -> None:
    scanned = report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    cookie_finding = next(f for f in scanned.findings if f.rule_id == "cookie_lifetime_excessive")
    sarif = json.loads(render(scanned, "sarif")["report.sarif"])
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(rule_registry())
    lifetime = next(r for r in rules if r["id"] == "cookie_lifetime_excessive")
    spec = rule_spec("cookie_lifetime_excessive")
    assert lifetime["shortDescription"]["text"] == spec.text().title != cookie_finding.title
    assert lifetime["fullDescription"]["text"] == spec.text().description
    assert lifetime["help"]["text"].startswith(spec.text().fix) and "**Fix:**" in lifetime["help"]["markdown"]
    assert lifetime["properties"]["tags"] == ["privacy", "third_country_transfers"]
    severities = {r["id"]: float(r["properties"]["security-severity"]) for r in rules}
    assert severities["tracking_before_consent"] >= 7.0 and 0.1 <= severities["cookie_lifetime_excessive"] < 4.0
    assert 4.0 <= severities["third_country_transfer"] < 7.0 and severities["page_failed"] == 0.0
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert len(run["results"]) == len(scanned.findings)


def test_a_finding_of_an_unregistered_rule_still_gets_a_descriptor_that_only_names_it() -> None:
    scanned = report(FJORDSKO.evidence_with([]))
    scanned.findings.append(finding("page_failed", subject="x", explanation="e").model_copy(
        update={"rule_id": "plugin_rule"}))
    run = json.loads(render(scanned, "sarif")["report.sarif"])["runs"][0]
    [result] = [r for r in run["results"] if r["ruleId"] == "plugin_rule"]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]] == {"id": "plugin_rule", "name": "plugin_rule"}


def test_the_context_always_carries_the_classification() -> None:
    ctx = classified(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS))
    assert ctx.classification.hosts and ctx.privacy_notice is None
