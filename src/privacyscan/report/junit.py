"""JUnit XML for CI: one test case per rule that ran, failed by each finding of medium severity or worse
with high confidence (a finding resting on text heuristics alone does not fail the build)."""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, tostring

from ..models import Confidence, Severity
from .model import ScanReport


def render_junit(report: ScanReport) -> str:
    suite = Element("testsuite", name=f"privacyscan {report.site_url}")
    failures = 0
    for f in report.findings:
        case = SubElement(suite, "testcase", classname=f"privacyscan.{f.rule_id}", name=f.subject or f.title)
        gating = f.severity.rank >= Severity.medium.rank and f.confidence is not Confidence.low
        if gating:
            failures += 1
            failure = SubElement(case, "failure", message=f.title, type=f.severity.value)
            failure.text = f"{f.explanation}\nFix: {f.fix}\nLaw: {', '.join(f.legal_reference)}"
        else:
            SubElement(case, "system-out").text = f"[{f.severity.value}] {f.title}"
    if not report.findings:
        SubElement(suite, "testcase", classname="privacyscan", name="no findings")
    suite.set("tests", str(max(1, len(report.findings))))
    suite.set("failures", str(failures))
    return tostring(suite, encoding="unicode", xml_declaration=True)
