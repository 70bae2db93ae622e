"""JUnit XML for CI: one test case per rule that ran, failed by each finding of medium severity or worse
with high confidence (a finding resting on text heuristics alone does not fail the build).

XML 1.0 cannot carry some characters at all, not even as character references (U+0000-U+0008, U+000B,
U+000C, U+000E-U+001F, U+FFFE, U+FFFF, surrogates); a consent label with U+0001 in it made the whole file
"not well-formed". Every text and attribute value goes through `xml_text`, which writes such a character
as a visible `\\uXXXX` escape, so the file always parses and the reader still sees what was there.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, tostring

from ..models import Confidence, Severity
from ..urls import display_url
from .model import ScanReport

_NOT_XML_10 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """`value` as text that XML 1.0 can carry: forbidden characters become a literal `\\uXXXX`."""
    return _NOT_XML_10.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value))


def render_junit(report: ScanReport) -> str:
    suite = Element("testsuite", name=xml_text(f"privacyscan {display_url(report.site_url)}"))
    failures = 0
    for f in report.findings:
        case = SubElement(suite, "testcase", classname=xml_text(f"privacyscan.{f.rule_id}"),
                          name=xml_text(f.subject or f.title))
        gating = f.severity.rank >= Severity.medium.rank and f.confidence is not Confidence.low
        if gating:
            failures += 1
            failure = SubElement(case, "failure", message=xml_text(f.title), type=f.severity.value)
            failure.text = xml_text(f"{f.explanation}\nFix: {f.fix}\nLaw: {', '.join(f.legal_reference)}")
        else:
            SubElement(case, "system-out").text = xml_text(f"[{f.severity.value}] {f.title}")
    if not report.findings:
        SubElement(suite, "testcase", classname="privacyscan", name="no findings")
    suite.set("tests", str(max(1, len(report.findings))))
    suite.set("failures", str(failures))
    return tostring(suite, encoding="unicode", xml_declaration=True)
