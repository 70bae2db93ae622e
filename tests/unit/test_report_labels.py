"""Findings of one rule must not read alike in the report: a missing privacy-notice item is named."""

from __future__ import annotations

from privacyscan.models import Finding, Severity
from privacyscan.report.i18n import Messages
from privacyscan.report.verdict import finding_label


def _missing(number: int) -> Finding:
    return Finding(rule_id="privacy_notice_item_missing", title=f"Privacy notice lacks item {number}",
                   severity=Severity.low, explanation="", fix="", subject=f"https://www.butikk.no/personvern#item-{number}")


def test_each_missing_notice_item_is_named_in_norwegian() -> None:
    labels = {finding_label(Messages("nb"), _missing(n)) for n in (7, 11)}
    assert len(labels) == 2
    assert any(label.endswith("Hvor personopplysningene kommer fra") for label in labels)


def test_english_keeps_the_checks_own_title_and_a_url_subject_is_never_shown() -> None:
    assert finding_label(Messages("en"), _missing(11)) == "Privacy notice lacks item 11"
    odd = _missing(11).model_copy(update={"subject": "https://www.butikk.no/#item-x"})
    assert "https://" not in finding_label(Messages("nb"), odd)
