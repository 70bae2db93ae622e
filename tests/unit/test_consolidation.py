"""One finding per problem and subject: the same problem seen in several phases or on several pages is one
finding listing them, with a stable id that survives re-scans."""

from __future__ import annotations

from privacyscan.check import run_checks
from privacyscan.check.consolidate import consolidate
from privacyscan.models import Confidence, EvidenceItem, Finding, Phase, Severity, finding_id
from privacyscan.report.diff import diff_reports

from ..builders import Shop, classified, phase, report

SHOP = Shop("https://www.butikk.no/")
PHASES = (Phase.before_consent, Phase.after_reject, Phase.after_accept)


def _phase_sending_to(which: Phase, *hosts: str):
    return phase(which, pages=[SHOP.page()], requests=[SHOP.request(h, 500 + i) for i, h in enumerate(hosts)])


def _transfers(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id == "third_country_transfer"]


def test_the_same_organisation_in_three_phases_is_one_transfer_finding_listing_three_phases() -> None:
    evidence = SHOP.evidence(*(_phase_sending_to(p, "www.google-analytics.com") for p in PHASES))
    transfers = _transfers(run_checks(classified(evidence)))
    assert len(transfers) == 1
    assert transfers[0].phases == list(PHASES)
    assert transfers[0].phase is Phase.before_consent
    assert {e.phase for e in transfers[0].evidence} == set(PHASES)


def test_two_organisations_are_two_transfer_findings() -> None:
    evidence = SHOP.evidence(
        *(_phase_sending_to(p, "www.google-analytics.com", "connect.facebook.net") for p in PHASES)
    )
    transfers = _transfers(run_checks(classified(evidence)))
    assert sorted(f.subject for f in transfers) == ["Google LLC", "Meta Platforms, Inc."]
    assert all(f.phases == list(PHASES) for f in transfers)


def test_ids_are_stable_across_rescans_and_ignore_phase_and_page() -> None:
    first = report(SHOP.evidence(_phase_sending_to(Phase.before_consent, "www.google-analytics.com")))
    again = report(SHOP.evidence(*(_phase_sending_to(p, "www.google-analytics.com") for p in PHASES)))
    ids = {f.id for f in _transfers(first.findings)}
    assert ids == {f.id for f in _transfers(again.findings)} == {finding_id("third_country_transfer", "Google LLC")}
    diff = diff_reports(first, again)
    assert not [f for f in diff.new_findings if f.rule_id == "third_country_transfer"]


def test_the_most_serious_duplicate_leads_and_evidence_is_kept_once() -> None:
    item = EvidenceItem(kind="note", description="seen", page_url="https://www.butikk.no/a")
    low = Finding(rule_id="r", title="low", severity=Severity.low, explanation="", fix="", subject="s",
                  phase=Phase.after_accept, evidence=[item])
    high = Finding(rule_id="r", title="high", severity=Severity.high, explanation="", fix="", subject="s",
                   phase=Phase.before_consent, evidence=[item, item.model_copy(update={"page_url": "https://www.butikk.no/b"})])
    other = Finding(rule_id="r", title="other", severity=Severity.low, explanation="", fix="", subject="t")
    merged = consolidate([low, high, other])
    assert [f.title for f in merged] == ["high", "other"]
    assert merged[0].phases == [Phase.before_consent, Phase.after_accept]
    assert merged[0].pages == ["https://www.butikk.no/a", "https://www.butikk.no/b"]
    # the same item from two phases stays two items (each says its phase); the exact duplicate is dropped
    assert len(merged[0].evidence) == 3


def test_among_equally_severe_duplicates_the_surer_one_leads() -> None:
    def seen(which: Phase, confidence: Confidence, explanation: str) -> Finding:
        return Finding(rule_id="implied_consent", title="t", severity=Severity.medium, confidence=confidence,
                       phase=which, explanation=explanation, fix="f", subject="banner")

    [merged] = consolidate([seen(Phase.before_consent, Confidence.low, "a guess"),
                            seen(Phase.after_reject, Confidence.high, "seen for sure"),
                            seen(Phase.after_accept, Confidence.medium, "likely")])
    assert (merged.confidence, merged.explanation) == (Confidence.high, "seen for sure")
    assert merged.phases == list(PHASES) and merged.phase is Phase.before_consent
    assert [c.rank for c in (Confidence.low, Confidence.medium, Confidence.high)] == [0, 1, 2]
