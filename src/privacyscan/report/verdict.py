"""The verdict at the top of every human format (HTML, PDF, Markdown, terminal) and the traffic light per
area, computed once from the consolidated findings so the formats cannot disagree.

- A scan that could not look (`report.looked` False) gets no verdict at all: "No verdict".
- Otherwise the worst severity among the compliance areas decides: a high or critical finding makes it
  "not compliant", medium "needs attention", low or info only "no serious problems", none "no problems
  found". Crawl-health findings (a page that failed, a check that raised) say how well privacyscan could
  look, not what the site does, so they never make a site non-compliant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..models import Finding, Severity
from ..notice.items import item_specs
from ..rules import RuleArea, rule_registry
from .i18n import Messages
from .model import ScanReport

COMPLIANCE_AREAS = (
    RuleArea.tracking_and_consent,
    RuleArea.third_country_transfers,
    RuleArea.forms,
    RuleArea.privacy_notice,
    RuleArea.behaviour,
)
Level = Literal["red", "amber", "green", "grey"]
VerdictKind = Literal["not_compliant", "attention", "minor", "clean", "no_verdict"]


def finding_area(finding: Finding) -> RuleArea:
    """The area of a finding's rule; a rule the registry does not know counts as tracking and consent."""
    spec = rule_registry().get(finding.rule_id)
    return spec.area if spec else RuleArea.tracking_and_consent


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Most serious first; the order of the check within a severity is kept."""
    return sorted(findings, key=lambda f: -f.severity.rank)


def _level(findings: list[Finding]) -> Level:
    worst = max((f.severity.rank for f in findings), default=-1)
    if worst >= Severity.high.rank:
        return "red"
    if worst == Severity.medium.rank:
        return "amber"
    return "green"


@dataclass(frozen=True)
class AreaLight:
    area: RuleArea
    level: Level
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[Severity, int]:
        return _counts(self.findings)


def _counts(findings: list[Finding]) -> dict[Severity, int]:
    out: dict[Severity, int] = {}
    for severity in reversed(Severity):
        n = sum(1 for f in findings if f.severity is severity)
        if n:
            out[severity] = n
    return out


@dataclass(frozen=True)
class Verdict:
    kind: VerdictKind
    level: Level
    count: int = 0
    severity_counts: dict[Severity, int] = field(default_factory=dict)
    areas: list[AreaLight] = field(default_factory=list)

    @property
    def looked(self) -> bool:
        return self.kind != "no_verdict"


def verdict(report: ScanReport) -> Verdict:
    if not report.looked:
        return Verdict(kind="no_verdict", level="grey")
    compliance = [f for f in report.findings if finding_area(f) in COMPLIANCE_AREAS]
    areas = []
    for area in COMPLIANCE_AREAS:
        found = by_severity([f for f in compliance if finding_area(f) is area])
        not_checked = area is RuleArea.privacy_notice and report.privacy_notice is None and not found
        areas.append(AreaLight(area=area, level="grey" if not_checked else _level(found), findings=found))
    counts = _counts(compliance)
    high = counts.get(Severity.critical, 0) + counts.get(Severity.high, 0)
    if high:
        return Verdict("not_compliant", "red", high, counts, areas)
    if counts.get(Severity.medium):
        return Verdict("attention", "amber", counts[Severity.medium], counts, areas)
    if compliance:
        return Verdict("minor", "green", len(compliance), counts, areas)
    return Verdict("clean", "green", 0, counts, areas)


def subject_label(subject: str) -> str:
    """A finding's subject as a reader names it: an organisation, a country, a cookie's name. Subjects that
    are keys rather than names (a URL, a CSS selector, the word 'cookies') give nothing."""
    for prefix in ("recipient:", "transfer:"):
        if subject.startswith(prefix):
            return subject[len(prefix):]
    if "://" in subject or subject.startswith(("#", ".", "[")) or subject == "cookies":
        return ""
    if "@" in subject and " " not in subject:
        return subject.split("@", 1)[0]  # a cookie: name@domain
    return subject


def _notice_item_title(t: Messages, subject: str) -> str:
    """A privacy-notice item's name ("…#item-11" -> "Hvor personopplysningene kommer fra"): four findings of
    one rule must not read alike."""
    _, marker, number = subject.rpartition("#item-")
    if not marker or not number.isdigit():
        return ""
    key = next((spec.key for spec in item_specs() if spec.number == int(number)), None)
    return t(f"notice.title.{key}") if key and t.has(f"notice.title.{key}") else ""


def finding_label(t: Messages, finding: Finding) -> str:
    """A finding's one-line name in the report's language. The checks word a finding's own title in English
    ("Personal data sent to Google LLC (US)"); in another language it is the rule's translated title and the
    subject's name."""
    if finding.title_wording is not None and t.translates(finding.title_wording):
        return t.words(finding.title_wording, finding.title)
    text = t.rule_text(finding.rule_id)
    if t.lang == "en" or text is None:
        return finding.title
    subject = _notice_item_title(t, finding.subject) or subject_label(finding.subject)
    return f"{text.title}: {subject}" if subject and subject not in text.title else text.title
