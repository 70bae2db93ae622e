"""SARIF 2.1.0 for CI code-scanning views: one result per finding, the page URL as its location.

The rule descriptors come from the rule registry (`privacyscan.rules`, data/rules.json), one per registered
rule, never from a finding: a rule's description is what the rule catches, not what one finding found."""

from __future__ import annotations

import json

from ..models import Severity
from ..rules import RuleSpec, rule_registry
from .model import ScanReport

LEVEL = {Severity.critical: "error", Severity.high: "error", Severity.medium: "warning",
         Severity.low: "note", Severity.info: "note"}
# GitHub code scanning reads `security-severity` (0.0-10.0) as critical >= 9.0, high 7.0-8.9,
# medium 4.0-6.9, low 0.1-3.9 and none at 0.0: each severity gets a number inside its own band.
SECURITY_SEVERITY = {Severity.critical: "9.5", Severity.high: "8.0", Severity.medium: "5.5",
                     Severity.low: "2.0", Severity.info: "0.0"}


def rule_descriptor(spec: RuleSpec) -> dict:
    """A SARIF `reportingDescriptor` for one registered rule."""
    text = spec.text()
    decoys = "".join(f"\n- {d}" for d in text.decoys)
    not_flagged = f"\n\nNot flagged:{decoys}" if decoys else ""
    legal = f"\n\nLaw: {', '.join(spec.legal)}" if spec.legal else ""
    return {
        "id": spec.id,
        "name": spec.id,
        "shortDescription": {"text": text.title},
        "fullDescription": {"text": text.description},
        "help": {
            "text": f"{text.fix}{legal}{not_flagged}",
            "markdown": f"**Fix:** {text.fix}{legal}{not_flagged}",
        },
        "defaultConfiguration": {"level": LEVEL[spec.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[spec.severity],
            "tags": ["privacy", spec.area.value],
            "legal_reference": spec.legal,
        },
    }


def render_sarif(report: ScanReport) -> str:
    registry = rule_registry()
    rules = [rule_descriptor(spec) for spec in registry.values()]
    # A finding of a rule the registry does not know (a plug-in, an older report) still gets a descriptor
    # that names it, and nothing it does not say.
    for rule_id in dict.fromkeys(f.rule_id for f in report.findings if f.rule_id not in registry):
        rules.append({"id": rule_id, "name": rule_id})
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for f in report.findings:
        page = next((e.page_url or e.url for e in f.evidence if e.page_url or e.url), report.site_url)
        results.append({
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": LEVEL[f.severity],
            "message": {"text": f"{f.title}. {f.explanation}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": page}}}],
            "partialFingerprints": {"privacyscan/v1": f.fingerprint},
            "properties": {"severity": f.severity.value, "confidence": f.confidence.value,
                           "phase": f.phase.value if f.phase else None,
                           "legal_reference": f.legal_reference},
        })
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "privacyscan", "version": report.tool_version,
                                "informationUri": "https://github.com/privacyscan/privacyscan",
                                "rules": rules}},
            "results": results,
            "properties": {"site": report.site_url, "scan_id": report.scan_id, "complete": report.complete},
        }],
    }
    return json.dumps(sarif, indent=2)
