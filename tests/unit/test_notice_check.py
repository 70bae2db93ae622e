"""The privacy-notice rules: a missing notice, missing items, and a notice that does not match the
recipients the crawl saw."""

from __future__ import annotations

from privacyscan.check import CheckContext
from privacyscan.check.privacy_notice import (
    RULES,
    privacy_notice_inconsistent_with_observed,
    privacy_notice_item_missing,
    privacy_notice_missing,
)
from privacyscan.notice import assess_notice_text
from privacyscan.notice.model import NoticeAssessment, ObservedRecipient
from privacyscan.report.model import ScanReport

from ..builders import Shop, classified
from ..builders import report as build_report
from .notice_samples import BOKMAL_COMPLIANT, BOKMAL_DEFICIENT

SHOP = Shop("https://bakeri.example")
EVIDENCE = SHOP.evidence()
GOOGLE = ObservedRecipient(organisation="Google LLC", country="US", hosts=["www.google-analytics.com"])
META = ObservedRecipient(organisation="Meta Platforms, Inc.", country="US", hosts=["connect.facebook.net"])
HOTJAR = ObservedRecipient(organisation="Hotjar Ltd", country="MT", hosts=["static.hotjar.com"])


def ctx(notice: NoticeAssessment | None) -> CheckContext:
    return classified(EVIDENCE, notice)


def test_a_site_without_a_notice_gets_one_finding_and_a_stage_that_did_not_run_gets_none() -> None:
    [finding] = privacy_notice_missing(ctx(NoticeAssessment(found=False)))
    assert finding.rule_id == "privacy_notice_missing"
    assert privacy_notice_missing(ctx(None)) == []


def test_each_absent_item_is_one_finding_with_the_law_and_an_example_in_the_notices_language() -> None:
    notice = assess_notice_text(BOKMAL_DEFICIENT, url="https://bakeri.example/personvern")
    findings = privacy_notice_item_missing(ctx(notice))
    numbers = {f.subject.rsplit("-", 1)[1] for f in findings}
    assert {"1", "2", "7", "8", "10"} <= numbers
    assert "3" not in numbers  # no legitimate interest relied on: not applicable, no finding
    complaint = next(f for f in findings if f.subject.endswith("item-10"))
    assert "Art. 77" in complaint.explanation
    assert "Datatilsynet" in complaint.fix


def test_a_complete_notice_has_no_missing_items() -> None:
    assert privacy_notice_item_missing(ctx(assess_notice_text(BOKMAL_COMPLIANT))) == []


def test_a_recipient_named_by_its_brand_is_consistent_and_an_unnamed_one_is_not() -> None:
    notice = assess_notice_text(BOKMAL_COMPLIANT, observed_recipients=[GOOGLE, META])
    findings = privacy_notice_inconsistent_with_observed(ctx(notice))
    assert [f.subject for f in findings] == ["recipient:Meta Platforms, Inc."]  # US transfer is described


def test_us_recipients_with_a_notice_silent_on_transfers_is_a_finding() -> None:
    notice = assess_notice_text(
        "Vi bruker Google Analytics til statistikk. Behandlingsgrunnlaget er samtykke.",
        observed_recipients=[GOOGLE],
    )
    [finding] = privacy_notice_inconsistent_with_observed(ctx(notice))
    assert finding.subject == "transfer:US"


def test_a_notice_that_says_nothing_leaves_the_eea_while_us_recipients_got_data_is_flagged_harder() -> None:
    notice = assess_notice_text(
        "Google Analytics brukes til statistikk. Vi overfører ikke personopplysninger til land utenfor EU/EØS.",
        observed_recipients=[GOOGLE],
    )
    [finding] = privacy_notice_inconsistent_with_observed(ctx(notice))
    assert finding.subject == "transfer:US"
    assert "EU/EEA" in finding.title
    assert any(e.quote and "utenfor EU/EØS" in e.quote for e in finding.evidence)


def test_a_recipient_inside_the_eea_needs_no_transfer_statement() -> None:
    notice = assess_notice_text(
        "Vi bruker Hotjar til å forstå bruken av nettsiden.", observed_recipients=[HOTJAR]
    )
    assert privacy_notice_inconsistent_with_observed(ctx(notice)) == []


def test_the_assessment_travels_in_the_report_and_round_trips_as_json() -> None:
    notice = assess_notice_text(BOKMAL_COMPLIANT, observed_recipients=[GOOGLE])
    report = build_report(SHOP.evidence()).model_copy(update={"privacy_notice": notice})
    again = ScanReport.model_validate_json(report.model_dump_json())
    assert again.privacy_notice == notice
    assert len(RULES) == 3
