"""The CI gate: the policy file (valid, invalid with line and key), accepted recipients (valid, expired,
look-alikes), baselines (new vs known, fixed), rule overrides, and the exit code of `scan` with and
without a policy and a baseline (the scan itself replaced by a stored outcome, so no browser runs)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from privacyscan import cli
from privacyscan.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, main
from privacyscan.gate import (
    EXAMPLE_POLICY,
    Baseline,
    Outcome,
    Policy,
    PolicyError,
    decide,
    load_gate_inputs,
    parse_policy,
)
from privacyscan.models import Confidence, EvidenceItem, Finding, Severity
from privacyscan.usecase import ScanOutcome, ScanStatus

from ..builders import FJORDSKO, TRACKED_SHOP_COOKIES, TRACKED_SHOP_REQUESTS, report

TODAY = date(2026, 11, 30)


def f(rule: str, subject: str, severity: Severity = Severity.high, confidence: Confidence = Confidence.high,
      url: str | None = None) -> Finding:
    evidence = [EvidenceItem(kind="request", description="r", url=url)] if url else []
    return Finding(rule_id=rule, title=f"{rule} {subject}", severity=severity, confidence=confidence,
                   explanation="e", fix="x", subject=subject, evidence=evidence)


STRIPE = f("third_country_transfer", "Stripe, Inc.", url="https://js.stripe.com/v3/")
GA = f("tracking_before_consent", "Google LLC", url="https://www.google-analytics.com/g/collect")
WORDING = f("implied_consent", "heuristic", Severity.medium, Confidence.medium)


def policy(text: str) -> Policy:
    return parse_policy(text, "privacyscan.toml")


# ------------------------------------------------------------------------------ policy file


def test_the_example_policy_is_valid_and_gates_high_findings_at_high_confidence():
    example = policy(EXAMPLE_POLICY)
    assert example.gate.fail_on is Severity.high and example.gate.min_confidence is Confidence.high
    decision = decide([GA, WORDING], example, today=TODAY)
    assert not decision.passed
    assert [v.outcome for v in decision.verdicts] == [Outcome.failed, Outcome.below_threshold]


@pytest.mark.parametrize("text, expected", [
    ('[gate]\nfail_on = "hgih"\n', "privacyscan.toml:2: gate.fail_on: invalid value 'hgih'"),
    ('[gate]\nfail_on = "high"\n\n[gate]\n', "privacyscan.toml:4:"),  # TOML: a table defined twice
    ('[gate]\nfail_on = high\n', "privacyscan.toml:2: fail_on: invalid TOML"),
    ('[gate]\nfail_on = "high"\nthreshold = 3\n', "privacyscan.toml:3: gate.threshold: unknown key"),
    ('[rules.no_such_rule]\ndisabled = true\nreason = "x"\n', "privacyscan.toml:1: rules: unknown rule 'no_such_rule'"),
    ('[rules.implied_consent]\ndisabled = true\n', "privacyscan.toml:1: rules.implied_consent: a disabled rule needs"),
    ('[[accept]]\nrecipient = "Stripe"\njustification = "payment"\nuntil = 2027-06-30\n\n'
     '[[accept]]\nrecipient = "Klarna"\njustification = "payment"\nuntil = "soon"\n',
     "privacyscan.toml:9: accept.1.until:"),
    ('[sarif.sources]\n"^/(" = "x.html"\n', "privacyscan.toml:1: sarif.sources: invalid regex"),
])
def test_an_invalid_policy_is_one_line_with_the_line_and_the_key(text, expected):
    with pytest.raises(PolicyError) as caught:
        policy(text)
    message = str(caught.value)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_an_invalid_policy_exits_2_with_line_and_key_before_any_scan(tmp_path, monkeypatch):
    (tmp_path / "privacyscan.toml").write_text('[gate]\nfail_on = "high"\nmin_confidence = "sure"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "run_scan", lambda *a, **k: pytest.fail("scanned despite an invalid policy"))
    result = CliRunner().invoke(main, ["scan", "https://www.example.no/"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "privacyscan.toml:3: gate.min_confidence:" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_policy_init_writes_the_commented_example_and_keeps_an_existing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["policy", "init"]).exit_code == 0
    assert (tmp_path / "privacyscan.toml").read_text() == EXAMPLE_POLICY
    assert CliRunner().invoke(main, ["policy", "init"]).exit_code == EXIT_BAD_INPUT
    assert CliRunner().invoke(main, ["policy", "check"]).exit_code == 0


# ------------------------------------------------------------------------------ acceptances

ACCEPT_STRIPE = '[[accept]]\nrecipient = "{r}"\njustification = "payment, necessary"\nuntil = {until}\n'


@pytest.mark.parametrize("recipient", ["Stripe, Inc.", "stripe.com", "js.stripe.com"])
def test_an_accepted_recipient_does_not_fail_the_gate_until_it_expires(recipient):
    accepted = policy(ACCEPT_STRIPE.format(r=recipient, until="2027-06-30"))
    [verdict] = decide([STRIPE], accepted.with_fail_on("medium"), today=TODAY).verdicts
    assert verdict.outcome is Outcome.accepted and "until 2027-06-30: payment, necessary" in verdict.reason


def test_an_expired_acceptance_fails_again_and_says_so_even_with_a_baseline():
    expired = policy(ACCEPT_STRIPE.format(r="Stripe, Inc.", until="2026-11-29")).with_fail_on("medium")
    baseline = Baseline.of("https://www.fjordsko.no/", "s0", [STRIPE])
    decision = decide([STRIPE], expired, baseline, today=TODAY)
    [verdict] = decision.verdicts
    assert not decision.passed and verdict.outcome is Outcome.failed and verdict.acceptance_expired
    assert "the acceptance of Stripe, Inc. expired on 2026-11-29: it fails again" in verdict.reason
    # the last day of an acceptance still counts
    assert decide([STRIPE], expired, today=date(2026, 11, 29)).passed


def test_a_renewed_acceptance_wins_over_the_expired_one():
    both = policy(ACCEPT_STRIPE.format(r="Stripe, Inc.", until="2025-01-01")
                  + ACCEPT_STRIPE.format(r="stripe.com", until="2028-01-01"))
    assert decide([STRIPE], both.with_fail_on("low"), today=TODAY).verdicts[0].outcome is Outcome.accepted


@pytest.mark.parametrize("decoy", [
    f("third_country_transfer", "Stripe Imitations AS", url="https://notstripe.com/x"),  # look-alike host
    f("third_country_transfer", "Google LLC", url="https://stripe.com.evil.example/"),  # stripe.com as a label
    f("preticked_consent", "form#signup stripe.com"),  # a rule the acceptance does not cover
])
def test_an_acceptance_covers_only_its_recipient_and_rules(decoy):
    accepted = policy(ACCEPT_STRIPE.format(r="stripe.com", until="2027-06-30")).with_fail_on("medium")
    assert decide([decoy], accepted, today=TODAY).verdicts[0].outcome is Outcome.failed


# ------------------------------------------------------------------------------ thresholds, overrides


def test_confidence_threshold_keeps_wording_only_findings_from_failing():
    gate = policy('[gate]\nfail_on = "medium"\nmin_confidence = "high"\n')
    [verdict] = decide([WORDING], gate, today=TODAY).verdicts
    assert verdict.outcome is Outcome.below_threshold and "medium confidence is below high" in verdict.reason
    stricter = policy('[gate]\nfail_on = "medium"\n[rules.implied_consent]\nmin_confidence = "medium"\n')
    assert decide([WORDING], stricter, today=TODAY).verdicts[0].outcome is Outcome.failed


def test_a_disabled_rule_and_a_severity_override():
    text = ('[gate]\nfail_on = "high"\n[rules.tracking_before_consent]\ndisabled = true\nreason = "staging only"\n'
            '[rules.third_country_transfer]\nseverity = "low"\n')
    decision = decide([GA, STRIPE], policy(text), today=TODAY)
    assert decision.passed
    assert decision.verdicts[0].outcome is Outcome.disabled and "staging only" in decision.verdicts[0].reason
    assert decision.verdicts[1].outcome is Outcome.below_threshold and decision.verdicts[1].severity is Severity.low


def test_never_reports_and_never_fails():
    assert decide([GA, STRIPE], Policy.never(), today=TODAY).passed


# ------------------------------------------------------------------------------ baselines


def test_with_a_baseline_only_new_findings_fail_and_fixed_ones_are_reported():
    baseline = Baseline.of("https://www.fjordsko.no/", "s0", [GA, f("tracking_before_consent", "Meta")])
    decision = decide([GA, STRIPE], Policy().with_fail_on("medium"), baseline, today=TODAY)
    assert [v.outcome for v in decision.verdicts] == [Outcome.baselined, Outcome.failed]
    assert "not in the baseline" in decision.verdicts[1].reason
    assert [e.subject for e in decision.fixed] == ["Meta"]


def test_baseline_write_records_stable_ids_of_a_real_report(tmp_path, monkeypatch):
    scanned = report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    (tmp_path / "report.json").write_text(scanned.model_dump_json())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["baseline", "write", "report.json"])
    assert result.exit_code == 0, result.output
    written = Baseline.model_validate_json((tmp_path / "privacyscan-baseline.json").read_text())
    assert written.ids == {x.id for x in scanned.findings} and written.scan_id == scanned.scan_id
    # a rescan of the same site (new scan id, same findings) passes the gate with that baseline
    (tmp_path / "privacyscan.toml").write_text('[gate]\nfail_on = "info"\nmin_confidence = "low"\n'
                                               'baseline = "privacyscan-baseline.json"\n')
    pol, base, _ = load_gate_inputs(None, None, cwd=tmp_path)
    rescan = scanned.model_copy(update={"scan_id": "s2"})
    assert decide(rescan.findings, pol, base).passed
    assert not decide(rescan.findings, pol, None).passed


# ------------------------------------------------------------------------------ exit codes


@pytest.fixture
def stored_scan(monkeypatch):
    """`scan` with the use case replaced by a written report of FJORDSKO (its real findings); the gate is
    decided by the real code from whatever policy the CLI passes in."""
    scanned = report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    from privacyscan.gate import decide_report

    def fake_store_scan(options, store, *, policy=None, baseline=None, baseline_name=None, **_):
        gate = decide_report(scanned, policy or Policy(), baseline, baseline_name=baseline_name)
        return ScanOutcome(status=ScanStatus.written, site_url=scanned.site_url, site_id=scanned.site_id,
                           scan_id=scanned.scan_id, report_location="/tmp/r", report=scanned, gate=gate,
                           findings=len(scanned.findings))

    monkeypatch.setattr(cli, "store_scan", fake_store_scan)
    return scanned


def _scan(tmp_path, *args):
    return CliRunner().invoke(main, ["scan", "https://www.fjordsko.no/", "--out", str(tmp_path), "-q", *args])


def test_exit_codes_without_policy_with_fail_on_with_policy_and_with_baseline(stored_scan, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _scan(tmp_path).exit_code == EXIT_OK  # no policy, no --fail-on: never fails
    failed = _scan(tmp_path, "--fail-on", "high")
    assert failed.exit_code == EXIT_FINDINGS
    assert "gate FAILED" in failed.output and "FAILED          third_country_transfer  Yandex LLC" in failed.output
    assert "[high, high confidence]" in failed.output
    (tmp_path / "strict.toml").write_text('[gate]\nfail_on = "low"\nmin_confidence = "high"\n')
    assert _scan(tmp_path, "--policy", "strict.toml").exit_code == EXIT_FINDINGS
    # --fail-on is shorthand for the policy's threshold: it overrides the file's
    assert _scan(tmp_path, "--policy", "strict.toml", "--fail-on", "critical").exit_code == EXIT_OK
    # ./privacyscan.toml is found without --policy
    (tmp_path / "privacyscan.toml").write_text('[gate]\nfail_on = "low"\n')
    assert _scan(tmp_path).exit_code == EXIT_FINDINGS
    # with a baseline of today's findings the same scan passes, and a new finding would fail
    (tmp_path / "base.json").write_text(Baseline.of(stored_scan.site_url, "s0", stored_scan.findings).to_json())
    assert _scan(tmp_path, "--baseline", "base.json").exit_code == EXIT_OK
    partial = Baseline.of(stored_scan.site_url, "s0", [x for x in stored_scan.findings if x.subject != "Yandex LLC"])
    (tmp_path / "partial.json").write_text(partial.to_json())
    result = _scan(tmp_path, "--baseline", "partial.json", "--fail-on", "info")
    assert result.exit_code == EXIT_FINDINGS
    assert "third_country_transfer  Yandex LLC" in result.output and "not in the baseline" in result.output


def test_a_missing_or_broken_baseline_is_exit_2(stored_scan, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = _scan(tmp_path, "--baseline", "nope.json")
    assert missing.exit_code == EXIT_BAD_INPUT and "nope.json: baseline file not found" in missing.output
    Path(tmp_path / "bad.json").write_text(json.dumps({"findings": [{"id": 1}]}))
    assert _scan(tmp_path, "--baseline", "bad.json").exit_code == EXIT_BAD_INPUT


def test_the_markdown_summary_shows_the_same_gate_decision():
    from privacyscan.gate import decide_report
    from privacyscan.report import render
    from privacyscan.report.markup import md_text

    scanned = report(FJORDSKO.evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    failed = decide_report(scanned, Policy().with_fail_on("high"))
    markdown = render(scanned, "md", lang="en", gate=failed)["report.md"].decode()
    assert not failed.passed and md_text(failed.summary_line()) in markdown
    assert md_text(failed.failures[0].line()) in markdown and "Yandex LLC" in markdown
    passed = decide_report(scanned, Policy.never())
    assert md_text(passed.summary_line()) in render(scanned, "md", lang="en", gate=passed)["report.md"].decode()
    assert md_text(failed.summary_line()) not in render(scanned, "md", lang="en")["report.md"].decode()
