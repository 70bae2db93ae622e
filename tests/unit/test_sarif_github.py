"""SARIF against the official 2.1.0 schema (vendored from an MIT npm package, tests/fixtures/schemas) and
GitHub code scanning's ingestion rules: repository-relative locations with a region, stable fingerprints
from finding ids, rule help and security-severity, the gate in level / suppressions / baselineState,
and the per-run result limit and upload size."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from privacyscan.gate import Baseline, Outcome, Policy, decide_report, parse_policy
from privacyscan.models import Confidence, Finding, Severity
from privacyscan.report import render
from privacyscan.report.sarif import FINGERPRINT_KEY, MAX_RESULTS_PER_RUN, run_sarif
from privacyscan.rules import rule_registry

from ..builders import FJORDSKO, TRACKED_SHOP_COOKIES, TRACKED_SHOP_REQUESTS, report

SCHEMA = json.loads((Path(__file__).parents[1] / "fixtures/schemas/sarif-2.1.0.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA)
TODAY = date(2026, 11, 30)


@pytest.fixture
def scanned():
    return report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))


def sarif_of(scanned, gate=None) -> dict:
    return json.loads(render(scanned, "sarif", gate=gate)["report.sarif"])


def test_the_vendored_schema_is_the_sarif_2_1_0_schema_and_rejects_a_broken_log():
    assert SCHEMA["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    assert list(VALIDATOR.iter_errors({"version": "2.1.0", "runs": [{"tool": {}}]}))  # driver missing


def test_sarif_validates_against_the_official_schema(scanned):
    baseline = Baseline.of(scanned.site_url, "s0", scanned.findings[:2])
    accepted = parse_policy('[gate]\nfail_on = "medium"\n[[accept]]\nrecipient = "Google LLC"\n'
                            'justification = "analytics DPA"\nuntil = 2027-01-01\n')
    for gate in (None, decide_report(scanned, accepted, baseline, today=TODAY, baseline_name="b.json")):
        errors = sorted(VALIDATOR.iter_errors(sarif_of(scanned, gate)), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_every_result_has_a_repository_relative_file_and_a_start_line_and_the_page_in_message(scanned):
    run = sarif_of(scanned)["runs"][0]
    assert run["results"]
    for result in run["results"]:
        [location] = result["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert uri == "privacyscan.toml" and "://" not in uri and not uri.startswith("/")
        assert physical["region"]["startLine"] >= 1
        page = result["properties"]["page_url"]
        assert page.startswith("https://www.fjordsko.no/") and page in result["message"]["text"]


def test_a_page_to_source_mapping_in_the_policy_points_results_at_the_template(scanned):
    mapped = parse_policy('[sarif]\nartifact = "ci/privacyscan.toml"\n[sarif.sources]\n"^/$" = "templates/index.html"\n')
    run = sarif_of(scanned, decide_report(scanned, mapped))["runs"][0]
    uris = {r["properties"]["page_url"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]}
    assert uris["https://www.fjordsko.no/"] == "templates/index.html"
    assert all(u == "ci/privacyscan.toml" for p, u in uris.items() if p != "https://www.fjordsko.no/")


def test_fingerprints_are_the_stable_finding_ids_and_survive_a_rescan(scanned):
    first = sarif_of(scanned)["runs"][0]["results"]
    again = sarif_of(scanned.model_copy(update={"scan_id": "another"}))["runs"][0]["results"]
    ids = [r["partialFingerprints"][FINGERPRINT_KEY] for r in first]
    assert ids == [f.id for f in sorted(scanned.findings, key=lambda f: -f.severity.rank)] or set(ids) == {
        f.id for f in scanned.findings}
    assert len(set(ids)) == len(ids) == len(scanned.findings)
    assert ids == [r["partialFingerprints"][FINGERPRINT_KEY] for r in again]


def test_rules_carry_help_markdown_with_fix_and_law_and_security_severity_per_rule(scanned):
    rules = sarif_of(scanned)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(rule_registry())
    for rule in rules:
        spec = rule_registry()[rule["id"]]
        assert rule["shortDescription"]["text"] == spec.text().title
        assert "**Fix:**" in rule["help"]["markdown"] and spec.text().fix in rule["help"]["markdown"]
        assert all(ref in rule["help"]["markdown"] for ref in spec.legal)
        assert 0.0 <= float(rule["properties"]["security-severity"]) <= 10.0
        assert len(rule["properties"]["tags"]) <= 20


def test_the_gate_decides_level_suppressions_and_baseline_state(scanned):
    google = next(f for f in scanned.findings if f.subject == "Google LLC")
    yandex = next(f for f in scanned.findings if f.subject == "Yandex LLC")
    policy = parse_policy('[gate]\nfail_on = "medium"\n[[accept]]\nrecipient = "Google LLC"\n'
                          'justification = "analytics DPA"\nuntil = 2027-01-01\n')
    baseline = Baseline.of(scanned.site_url, "s0", [yandex])
    gate = decide_report(scanned, policy, baseline, today=TODAY, baseline_name="b.json")
    results = {r["properties"]["finding_id"]: r for r in sarif_of(scanned, gate)["runs"][0]["results"]}
    assert results[google.id]["suppressions"][0]["justification"].startswith("recipient Google LLC accepted")
    assert results[google.id]["level"] != "error"
    assert results[yandex.id]["baselineState"] == "unchanged" and results[yandex.id]["level"] != "error"
    failed = [v.finding_id for v in gate.verdicts if v.outcome is Outcome.failed]
    assert failed and all(results[i]["level"] == "error" and results[i]["baselineState"] == "new" for i in failed)
    assert {i for i, r in results.items() if r["level"] == "error"} == set(failed)


def test_over_githubs_result_limit_the_failures_are_kept_and_the_cut_is_said(scanned):
    many = [Finding(rule_id="unclassified_cookie", title="c", severity=Severity.info, confidence=Confidence.high,
                    explanation="e", fix="f", subject=f"c{i}") for i in range(MAX_RESULTS_PER_RUN + 10)]
    big = scanned.model_copy(update={"findings": [*many, *scanned.findings]})
    gate = decide_report(big, Policy().with_fail_on("high"))
    run = run_sarif(big, gate)["runs"][0]
    assert len(run["results"]) == MAX_RESULTS_PER_RUN
    kept = {r["properties"]["finding_id"] for r in run["results"]}
    assert {v.finding_id for v in gate.failures} <= kept
    assert "left out" in run["invocations"][0]["toolExecutionNotifications"][-1]["message"]["text"]
    # GitHub takes at most 10 MB gzipped per upload
    assert len(gzip.compress(json.dumps(run).encode())) < 10 * 1024 * 1024


def test_a_scan_that_could_not_look_is_an_unsuccessful_invocation(scanned):
    unreachable = scanned.model_copy(update={"status": "unreachable", "findings": []})
    run = sarif_of(unreachable)["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False and run["results"] == []
    assert not list(VALIDATOR.iter_errors(sarif_of(unreachable)))
