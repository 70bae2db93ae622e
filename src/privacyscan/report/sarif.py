"""SARIF 2.1.0 that GitHub code scanning accepts and displays.

What GitHub needs (its "SARIF support for code scanning" page) and how a web scan meets it:

- Rules: one `reportingDescriptor` per registered rule (data/rules.json via `privacyscan.rules`), never
  copied from a finding: `shortDescription`, `fullDescription`, `help.text` + `help.markdown` (the fix, the
  law and what the rule leaves alone) and `properties.security-severity` (GitHub maps >= 9.0 to critical,
  7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low), plus `tags` (at most 20 per rule are read; we send 2).
- Locations: GitHub only shows results located in a repository file (`artifactLocation.uri` relative to
  the checkout) with `region.startLine`. A web finding has no file, so, as other dynamic scanners do, it
  points at a stand-in: the template that renders the page when the policy maps the page's path to one
  (`[sarif.sources]`), else the policy file (`[sarif] artifact`, default `privacyscan.toml`), line 1. The
  page URL is in the message text and in `properties.page_url`/`pages`.
- Fingerprints: `partialFingerprints` carries the finding's stable id (rule + subject), so an alert stays
  one alert across scans even though the stand-in location is the same file and line for all of them.
- Limits: at most 25,000 results per run (GitHub drops the rest; we keep the gate's failures and the most
  severe first), 20 runs per file, 1,000 rules per run, 10 MB gzipped per upload; `run_sarif` checks the
  result count and the tests check the size of a large report.
- The gate: `level` is `error` exactly for the findings the gate failed; accepted and disabled findings
  carry a `suppressions` entry with the policy's reason; with a baseline, `baselineState` is `new` or
  `unchanged`. The run's `automationDetails.id` is per site, so one repository can upload several sites.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from ..gate import FindingVerdict, GateDecision, Outcome, Policy, decide_report
from ..models import Finding, Severity
from ..rules import RuleSpec, rule_registry
from .model import ScanReport

MAX_RESULTS_PER_RUN = 25_000
LEVEL = {Severity.critical: "error", Severity.high: "error", Severity.medium: "warning",
         Severity.low: "note", Severity.info: "note"}
# GitHub code scanning reads `security-severity` (0.0-10.0) as critical >= 9.0, high 7.0-8.9,
# medium 4.0-6.9, low 0.1-3.9 and none at 0.0: each severity gets a number inside its own band.
SECURITY_SEVERITY = {Severity.critical: "9.5", Severity.high: "8.0", Severity.medium: "5.5",
                     Severity.low: "2.0", Severity.info: "0.0"}
FINGERPRINT_KEY = "privacyscanFindingId/v1"


def rule_descriptor(spec: RuleSpec) -> dict:
    """A SARIF `reportingDescriptor` for one registered rule."""
    text = spec.text()
    decoys = "".join(f"\n- {d}" for d in text.decoys)
    not_flagged = f"\n\nNot flagged:{decoys}" if decoys else ""
    legal_text = f"\n\nLaw: {', '.join(spec.legal)}" if spec.legal else ""
    legal_md = "".join(f"\n- {ref}" for ref in spec.legal)
    return {
        "id": spec.id,
        "name": spec.id,
        "shortDescription": {"text": text.title},
        "fullDescription": {"text": text.description},
        "help": {
            "text": f"{text.fix}{legal_text}{not_flagged}",
            "markdown": (f"{text.description}\n\n**Fix:** {text.fix}"
                         + (f"\n\n**Law:**{legal_md}" if legal_md else "")
                         + (f"\n\n**Not flagged:**{decoys}" if decoys else "")),
        },
        "defaultConfiguration": {"level": LEVEL[spec.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[spec.severity],
            "tags": ["privacy", spec.area.value],
            "precision": "high",
            "legal_reference": spec.legal,
        },
    }


def _page(finding: Finding, site_url: str) -> str:
    if finding.pages:
        return finding.pages[0]
    pages = [e.page_url for e in finding.evidence if e.page_url]
    pages += [e.url for e in finding.evidence if e.url and e.url.startswith(("http://", "https://"))]
    return pages[0] if pages else site_url


def _artifact(page: str, gate: GateDecision) -> str:
    path = urlsplit(page).path or "/"
    for pattern, source in gate.sarif.sources.items():
        if re.search(pattern, path):
            return source
    return gate.sarif.artifact


def _result(finding: Finding, index: dict[str, int], gate: GateDecision, verdicts: dict[str, FindingVerdict],
            report: ScanReport) -> dict:
    verdict = verdicts.get(finding.id)
    page = _page(finding, report.site_url)
    failed = verdict is not None and verdict.fails
    level = "error" if failed else ("warning" if LEVEL[finding.severity] == "error" else LEVEL[finding.severity])
    result: dict = {
        "ruleId": finding.rule_id,
        "ruleIndex": index[finding.rule_id],
        "level": level,
        "message": {"text": f"{finding.title} (on {page}). {finding.explanation}"},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": _artifact(page, gate)}, "region": {"startLine": 1}},
            "message": {"text": page},
        }],
        "partialFingerprints": {FINGERPRINT_KEY: finding.id},
        "properties": {
            "finding_id": finding.id, "subject": finding.subject, "severity": finding.severity.value,
            "confidence": finding.confidence.value, "page_url": page, "pages": finding.pages,
            "phases": [p.value for p in finding.phases], "legal_reference": finding.legal_reference,
            "site": report.site_url,
            "gate": {"outcome": verdict.outcome.value, "reason": verdict.reason} if verdict else None,
        },
    }
    if verdict is not None and verdict.outcome in (Outcome.accepted, Outcome.disabled):
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": verdict.reason}]
    if gate.baseline is not None and verdict is not None:
        result["baselineState"] = "unchanged" if verdict.outcome is Outcome.baselined else "new"
    return result


def render_sarif(report: ScanReport, gate: GateDecision | None = None) -> str:
    return json.dumps(run_sarif(report, gate), indent=2)


def run_sarif(report: ScanReport, gate: GateDecision | None = None) -> dict:
    gate = gate or decide_report(report, Policy())
    registry = rule_registry()
    rules = [rule_descriptor(spec) for spec in registry.values()]
    # A finding of a rule the registry does not know (a plug-in, an older report) still gets a descriptor
    # that names it, and nothing it does not say.
    for rule_id in dict.fromkeys(f.rule_id for f in report.findings if f.rule_id not in registry):
        rules.append({"id": rule_id, "name": rule_id})
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    # Over GitHub's per-run limit the gate's failures and the most severe findings are kept.
    verdicts = {v.finding_id: v for v in gate.verdicts}
    ordered = sorted(report.findings, key=lambda f: (not (f.id in verdicts and verdicts[f.id].fails),
                                                     -f.severity.rank))
    kept = ordered[:MAX_RESULTS_PER_RUN]
    results = [_result(f, index, gate, verdicts, report) for f in kept]
    notifications = [{"level": "warning", "message": {"text": c.detail if not c.phase else f"{c.phase.value}: {c.detail}"}}
                     for c in report.causes]
    if len(report.findings) > len(kept):
        notifications.append({"level": "warning", "message": {
            "text": f"{len(report.findings) - len(kept)} findings left out (GitHub reads at most "
                    f"{MAX_RESULTS_PER_RUN} results per run); report.json has them all"}})
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "privacyscan", "version": report.tool_version or "0",
                                "informationUri": "https://github.com/privacyscan/privacyscan",
                                "rules": rules}},
            "automationDetails": {"id": f"privacyscan/{report.site_id}/"},
            "invocations": [{"executionSuccessful": report.looked,
                             "toolExecutionNotifications": notifications}],
            "results": results,
            "properties": {"site": report.site_url, "scan_id": report.scan_id, "complete": report.complete,
                           "status": report.status,
                           "gate": {"passed": gate.passed, "fail_on": gate.fail_on,
                                    "min_confidence": gate.min_confidence.value, "policy": gate.policy,
                                    "baseline": gate.baseline, "fixed": [e.id for e in gate.fixed]}},
        }],
    }
    return sarif
