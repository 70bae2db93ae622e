"""JUnit: one test case per check per site, parsed back. Passing checks are passed tests, checks that
could not run are skipped with the reason, failures carry the findings the gate failed, and JUnit fails
exactly when the gate (and so the exit code) does."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from privacyscan.gate import Policy, decide_report, parse_policy
from privacyscan.models import BannerRecord, ConsentAction, Phase, PhaseEvidence
from privacyscan.report import render
from privacyscan.rules import rule_registry

from ..builders import FJORDSKO, TRACKED_SHOP_COOKIES, TRACKED_SHOP_REQUESTS, report

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def cases(scanned, gate=None) -> tuple[ET.Element, dict[str, ET.Element]]:
    root = ET.fromstring(render(scanned, "junit", gate=gate)["report.junit.xml"])
    suite = root.find("testsuite")
    return root, {c.get("name").split(" [")[0]: c for c in suite.iter("testcase")}


def outcome(case: ET.Element) -> str:
    return "failed" if case.find("failure") is not None else "skipped" if case.find("skipped") is not None else "passed"


def test_one_case_per_check_with_unique_names_and_consistent_counts():
    scanned = report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    root, by_rule = cases(scanned)
    names = [c.get("name") for c in root.iter("testcase")]
    assert len(names) == len(set(names)) == len(rule_registry())
    assert set(by_rule) == set(rule_registry())
    assert all(name.endswith("[https://www.fjordsko.no/]") for name in names)
    suite = root.find("testsuite")
    counted = [outcome(c) for c in by_rule.values()]
    assert int(suite.get("tests")) == len(counted)
    assert int(suite.get("failures")) == counted.count("failed") and int(suite.get("skipped")) == counted.count("skipped")
    assert root.get("failures") == suite.get("failures")


def test_passing_failing_and_skipped_checks():
    scanned = report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    _, by_rule = cases(scanned, decide_report(scanned, Policy().with_fail_on("high")))
    assert outcome(by_rule["third_country_transfer"]) == "failed"
    failure = by_rule["third_country_transfer"].find("failure")
    assert "Yandex LLC" in failure.text and "[high, high confidence]" in failure.text
    assert "Google LLC" in by_rule["third_country_transfer"].find("system-out").text  # medium: did not fail
    assert outcome(by_rule["preticked_consent"]) == "passed"  # ran, found nothing
    assert outcome(by_rule["cookie_lifetime_excessive"]) == "passed"  # found, but below the gate
    # the scan had one phase (after_accept) and no banner: these checks could not run
    assert by_rule["reject_not_honoured"].find("skipped").get("message") == "the after_reject phase was not scanned"
    assert by_rule["no_reject_on_first_layer"].find("skipped").get("message") == "no consent banner was found"


def test_no_banner_to_reject_is_a_skip_and_a_banner_makes_the_check_run():
    def with_reject(succeeded: bool):
        scanned = report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
        reject = PhaseEvidence(phase=Phase.after_reject, started_at=NOW,
                               consent_action=ConsentAction(action="reject", succeeded=succeeded,
                                                            detail="" if succeeded else "no banner found"))
        if succeeded:
            reject.banners.append(BannerRecord(page_url=FJORDSKO.url, detected_by="heuristic"))
        scanned.evidence.phases.append(reject)
        return cases(scanned)[1]

    assert with_reject(False)["reject_not_honoured"].find("skipped").get("message") == "no banner to reject (no banner found)"
    ran = with_reject(True)
    assert outcome(ran["reject_not_honoured"]) == "passed" and outcome(ran["no_reject_on_first_layer"]) == "passed"


def test_a_wording_only_finding_does_not_fail_junit_when_the_gate_does_not_fail_it():
    scanned = report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    # privacy_notice_missing is high severity but medium confidence
    gate = decide_report(scanned, parse_policy('[gate]\nfail_on = "medium"\nmin_confidence = "high"\n'))
    _, by_rule = cases(scanned, gate)
    assert outcome(by_rule["privacy_notice_missing"]) == "passed"
    assert "medium confidence is below high" in by_rule["privacy_notice_missing"].find("system-out").text
    stricter = decide_report(scanned, parse_policy('[gate]\nfail_on = "medium"\nmin_confidence = "medium"\n'))
    assert outcome(cases(scanned, stricter)[1]["privacy_notice_missing"]) == "failed"


def test_junit_fails_exactly_when_the_gate_fails():
    scanned = report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    for fail_on in ("never", "critical", "high", "medium", "low", "info"):
        gate = decide_report(scanned, Policy().with_fail_on(fail_on))
        root, by_rule = cases(scanned, gate)
        assert (int(root.get("failures")) > 0) == (not gate.passed), fail_on
        assert {r for r, c in by_rule.items() if outcome(c) == "failed"} == {v.rule_id for v in gate.failures}


def test_a_scan_that_could_not_look_skips_every_check():
    scanned = report(FJORDSKO.evidence_with([], [])).model_copy(update={"status": "unreachable", "findings": []})
    root, by_rule = cases(scanned)
    assert {outcome(c) for c in by_rule.values()} == {"skipped"}
    assert "could not look at the site" in next(iter(by_rule.values())).find("skipped").get("message")
