"""SARIF 2.1.0 for CI code-scanning views: one result per finding, the page URL as its location."""

from __future__ import annotations

import json

from ..models import Severity
from .model import ScanReport

LEVEL = {Severity.critical: "error", Severity.high: "error", Severity.medium: "warning",
         Severity.low: "note", Severity.info: "note"}


def render_sarif(report: ScanReport) -> str:
    rules = {}
    results = []
    for f in report.findings:
        rules.setdefault(f.rule_id, {
            "id": f.rule_id, "name": f.rule_id,
            "shortDescription": {"text": f.title},
            "help": {"text": f.fix},
            "properties": {"legal_reference": f.legal_reference},
        })
        page = next((e.page_url or e.url for e in f.evidence if e.page_url or e.url), report.site_url)
        results.append({
            "ruleId": f.rule_id,
            "level": LEVEL[f.severity],
            "message": {"text": f"{f.title}. {f.explanation}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": page}}}],
            "partialFingerprints": {"privacyscan/v1": f.fingerprint},
            "properties": {"severity": f.severity.value, "confidence": f.confidence.value,
                           "phase": f.phase.value if f.phase else None},
        })
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "privacyscan", "version": report.tool_version,
                                "informationUri": "https://github.com/privacyscan/privacyscan",
                                "rules": list(rules.values())}},
            "results": results,
            "properties": {"site": report.site_url, "scan_id": report.scan_id, "complete": report.complete},
        }],
    }
    return json.dumps(sarif, indent=2)
