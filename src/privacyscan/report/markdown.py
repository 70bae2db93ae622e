"""The Markdown summary (`--format md`): the verdict, counts by severity and the top findings with links
into the HTML report, short enough for a pull-request comment or an e-mail body. Site text is escaped
(`md_text`): a cookie named `<img onerror=...>` or `[x](javascript:...)` stays text in GitHub and GitLab."""

from __future__ import annotations

import re
from typing import Protocol

from ..models import Finding
from ..urls import display_url
from .html import anchor, verdict_texts
from .i18n import Messages
from .markup import md_text
from .model import ScanReport
from .verdict import by_severity, finding_label, verdict

TOP_FINDINGS = 8
REPORT_LINK = "report.html"  # beside report.md in the scan folder


class GateDecision(Protocol):
    """What a policy gate decided (the gate module fills it; any object with these two attributes does). A
    `gate.GateDecision` also has its verdicts, from which a report in another language words the lines."""

    passed: bool
    reasons: list[str]


# The free-text parts of a verdict's reason (`gate._judge`): the policy's own words and dates stay as written.
_EXPIRED = re.compile(r"the acceptance of (?P<recipient>.+) expired on (?P<date>\d{4}-\d{2}-\d{2})")
_ACCEPTED = re.compile(r"recipient (?P<recipient>.+) accepted until (?P<date>\d{4}-\d{2}-\d{2}): (?P<justification>.*)",
                       re.S)
_DISABLED = "rule disabled by the policy: "


def gate_lines(t: Messages, gate: GateDecision, findings: list[Finding]) -> list[str]:
    """The gate's summary line, then each failure, expired acceptance and fix, in the report's language. In
    English (or for a decision that carries only its reasons) they are the gate's own `reasons`, the lines
    the CLI prints."""
    verdicts = getattr(gate, "verdicts", None)
    if t.lang == "en" or verdicts is None:
        return list(gate.reasons)
    by_id = {f.id: f for f in findings}
    counts = [t("gate.count", n=n, outcome=t(f"gate.outcome.{o}"))
              for o in ("failed", "below_threshold", "disabled", "accepted", "baselined")
              if (n := sum(1 for v in verdicts if v.outcome.value == o))]
    if gate.fixed:
        counts.append(t("gate.fixed_count", n=len(gate.fixed)))
    threshold = t("gate.threshold_never") if gate.fail_on == "never" else t(
        "gate.threshold", severity=t.enum("severity", gate.fail_on), confidence=t.enum("confidence", gate.min_confidence))
    lines = [t("gate.summary", verdict=t("gate.passed" if gate.passed else "gate.failed"), threshold=threshold,
               counts=", ".join(counts) or t("gate.no_findings"))]
    for v in verdicts:
        if not (v.fails or v.acceptance_expired):
            continue
        found = by_id.get(v.finding_id)
        label = finding_label(t, found) if found else (v.subject or v.title)
        lines.append(t("gate.line", outcome=t(f"gate.outcome.{v.outcome.value}"), rule=v.rule_id, label=label,
                       severity=t.enum("severity", v.severity), confidence=t.enum("confidence", v.confidence),
                       reason=_reason(t, gate, v)))
    lines += [t("gate.fixed_line", rule=e.rule_id, label=e.subject or e.title) for e in gate.fixed]
    return lines


def _reason(t: Messages, gate, v) -> str:
    """Why the gate judged a finding so (`gate._judge`), in the report's language; the English reason when
    it does not read as one of the gate's own."""
    expired = _EXPIRED.search(v.reason)
    expired_words = t("gate.reason.expired", **expired.groupdict()) if expired else ""
    outcome = v.outcome.value
    if outcome == "failed":
        if v.acceptance_expired:
            return t("gate.reason.expired_fails", expired=expired_words) if expired else v.reason
        return t("gate.reason.failed", severity=t.enum("severity", v.severity),
                 fail_on=t.enum("severity", gate.fail_on), confidence=t.enum("confidence", v.confidence)) + (
            t("gate.reason.not_in_baseline") if gate.baseline is not None else "")
    if outcome == "below_threshold":
        if gate.fail_on == "never":
            reason = t("gate.reason.never")
        elif v.reason.startswith(f"{v.severity.value} is below"):
            reason = t("gate.reason.below", severity=t.enum("severity", v.severity),
                       fail_on=t.enum("severity", gate.fail_on))
        else:
            reason = t("gate.reason.confidence_below", confidence=t.enum("confidence", v.confidence),
                       min_confidence=t.enum("confidence", gate.min_confidence))
        return reason + (f"; {expired_words}" if expired else "")
    if outcome == "baselined":
        return t("gate.reason.baselined")
    if outcome == "disabled" and v.reason.startswith(_DISABLED):
        return t("gate.reason.disabled", reason=v.reason.removeprefix(_DISABLED))
    accepted = _ACCEPTED.fullmatch(v.reason)
    if outcome == "accepted" and accepted:
        return t("gate.reason.accepted", **accepted.groupdict())
    return v.reason


def render_markdown(report: ScanReport, lang: str | None = None, gate: GateDecision | None = None, *,
                    report_link: str = REPORT_LINK) -> str:
    t = Messages(lang)
    v = verdict(report)
    headline, detail = verdict_texts(t, report, v)
    icon = icon_for(v.level)
    lines = [
        f"## {icon} {md_text(headline)}",
        "",
        f"**{md_text(display_url(report.site_url))}** — {md_text(detail)}",
        "",
    ]
    if gate is not None:
        lines.append(f"**{t('md.gate_passed') if gate.passed else t('md.gate_failed')}**")
        lines += [f"- {md_text(reason)}" for reason in gate_lines(t, gate, report.findings)]
        lines.append("")
    if v.looked:
        lines += [f"| {t('areas.heading')} | {t('md.counts')} |", "|---|---|"]
        for light in v.areas:
            counts = ", ".join(f"{n} {t.enum('severity', s)}" for s, n in light.counts().items())
            state = t("light.grey") if light.level == "grey" else (counts or t("light.none"))
            lines.append(f"| {icon_for(light.level)} {t.enum('area', light.area)} | {state} |")
        lines.append("")
    findings = by_severity(report.findings)
    if findings:
        lines.append(f"### {t('md.top_findings')}")
        lines.append("")
        for f in findings[:TOP_FINDINGS]:
            phases = ", ".join(t.enum("phase", p) for p in f.phases)
            lines.append(
                f"- **{t.enum('severity', f.severity)}** [{md_text(finding_label(t, f))}]({report_link}#{anchor(f)})"
                + (f" ({md_text(phases)})" if phases else "") + f" `{f.rule_id}`"
            )
        if len(findings) > TOP_FINDINGS:
            lines.append(f"- {t.plural('count.more_in_report', len(findings) - TOP_FINDINGS)}")
        lines.append("")
    pages = t.plural("count.pages", report.summary.pages_visited)
    lines.append(f"{t('md.scanned', pages=pages, date=t.date(report.started_at), version=report.tool_version or '?')}"
                 f" [{t('md.full_report')}]({report_link})")
    return "\n".join(lines) + "\n"


def icon_for(level: str) -> str:
    return {"red": "🔴", "amber": "🟠", "green": "🟢", "grey": "⚪"}[level]
