"""JUnit XML for CI: one test case per check (rule) per site, judged by the CI gate's decision so JUnit and
the exit code always agree.

- passed: the check ran and the gate failed none of its findings (findings that did not fail it, e.g.
  below the threshold, accepted or baselined, are listed in `system-out` with the gate's reason);
- failure: the gate failed at least one of its findings; the failure lists each with rule, subject,
  severity, confidence and why it failed;
- skipped: the check could not run: the scan could not look at the site, the phase it needs was not
  scanned, there was no banner to reject, no privacy notice to read.

XML 1.0 cannot carry some characters at all, not even as character references (U+0000-U+0008, U+000B,
U+000C, U+000E-U+001F, U+FFFE, U+FFFF, surrogates); a consent label with U+0001 in it made the whole file
"not well-formed". Every text and attribute value goes through `xml_text`, which writes such a character
as a visible `\\uXXXX` escape, so the file always parses and the reader still sees what was there.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, tostring

from ..gate import GateDecision, Policy, decide_report
from ..models import Finding, Phase
from ..rules import rule_registry
from ..urls import display_url
from .model import ScanReport

_NOT_XML_10 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

BANNER_RULES = {"no_reject_on_first_layer", "preticked_purposes"}
NOTICE_RULES = {"privacy_notice_item_missing", "privacy_notice_inconsistent_with_observed"}
PHASE_RULES = {"tracking_before_consent": Phase.before_consent, "no_banner_but_tracking": Phase.before_consent,
               "reject_not_honoured": Phase.after_reject}


def xml_text(value: object) -> str:
    """`value` as text that XML 1.0 can carry: forbidden characters become a literal `\\uXXXX`."""
    return _NOT_XML_10.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value))


def why_not_run(rule_id: str, report: ScanReport) -> str | None:
    """Why a check could not run on this scan, or None when it ran. A check with findings always ran."""
    if not report.looked:
        return f"the scan could not look at the site ({report.status}: {report.incomplete_reason or 'no page'})"
    evidence = report.evidence
    needed = PHASE_RULES.get(rule_id)
    if needed is not None and evidence.phase(needed) is None:
        return f"the {needed.value} phase was not scanned"
    if rule_id == "reject_not_honoured":
        action = evidence.phase(Phase.after_reject).consent_action
        if action is None or not action.succeeded:
            return "no banner to reject" + (f" ({action.detail})" if action is not None and action.detail else "")
    if rule_id in BANNER_RULES and not any(phase.banners for phase in evidence.phases):
        return "no consent banner was found"
    if rule_id in NOTICE_RULES and not (report.privacy_notice and report.privacy_notice.found):
        return "no privacy notice was found to read (see privacy_notice_missing)"
    return None


def render_junit(report: ScanReport, gate: GateDecision | None = None) -> str:
    gate = gate or decide_report(report, Policy())
    verdicts = {v.finding_id: v for v in gate.verdicts}
    site = display_url(report.site_url)
    by_rule: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    registry = rule_registry()
    rule_ids = list(dict.fromkeys([*registry, *by_rule]))

    suites = Element("testsuites", name="privacyscan")
    suite = SubElement(suites, "testsuite", name=xml_text(f"privacyscan {site}"))
    failures = skipped = 0
    for rule_id in rule_ids:
        spec = registry.get(rule_id)
        area = spec.area.value if spec else "other"
        case = SubElement(suite, "testcase", classname=xml_text(f"privacyscan.{area}"),
                          name=xml_text(f"{rule_id} [{site}]"))
        findings = by_rule.get(rule_id, [])
        failing = [verdicts[f.id] for f in findings if f.id in verdicts and verdicts[f.id].fails]
        others = [verdicts[f.id] for f in findings if f.id in verdicts and not verdicts[f.id].fails]
        reason = None if findings else why_not_run(rule_id, report)
        if failing:
            failures += 1
            failure = SubElement(case, "failure", type=max((v.severity for v in failing), key=lambda s: s.rank).value,
                                 message=xml_text(f"{len(failing)} finding(s) failed the gate"))
            failure.text = xml_text("\n".join(v.line() for v in failing)
                                    + "".join(f"\nFix: {f.fix}" for f in findings if verdicts.get(f.id) in failing)
                                    + (f"\nLaw: {', '.join(spec.legal)}" if spec and spec.legal else ""))
        elif reason is not None:
            skipped += 1
            SubElement(case, "skipped", message=xml_text(reason))
        if others:
            SubElement(case, "system-out").text = xml_text("\n".join(v.line() for v in others))
    suite.set("tests", str(len(rule_ids)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    for name in ("tests", "failures", "errors", "skipped"):
        suites.set(name, suite.get(name))
    return tostring(suites, encoding="unicode", xml_declaration=True)
