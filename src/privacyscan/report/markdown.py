"""The Markdown summary (`--format md`): the verdict, counts by severity and the top findings with links
into the HTML report, short enough for a pull-request comment or an e-mail body. Site text is escaped
(`md_text`): a cookie named `<img onerror=...>` or `[x](javascript:...)` stays text in GitHub and GitLab."""

from __future__ import annotations

from typing import Protocol

from ..urls import display_url
from .html import anchor, verdict_texts
from .i18n import Messages
from .markup import md_text
from .model import ScanReport
from .verdict import by_severity, finding_label, verdict

TOP_FINDINGS = 8
REPORT_LINK = "report.html"  # beside report.md in the scan folder


class GateDecision(Protocol):
    """What a policy gate decided (the gate module fills it; any object with these two attributes does)."""

    passed: bool
    reasons: list[str]


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
        lines += [f"- {md_text(reason)}" for reason in gate.reasons]
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
