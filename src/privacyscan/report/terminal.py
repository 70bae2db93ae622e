"""The terminal summary after a scan: the verdict, pages per phase, and the consolidated findings with
their full rule ids, the most serious first; when the list is cut it says how many more the report has.
Site text goes to rich as `Text`, never as markup (a cookie named `[bold red]` stays that text)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .html import verdict_texts
from .i18n import Messages
from .model import ScanReport
from .verdict import by_severity, finding_label, verdict

TERMINAL_FINDINGS = 25
STYLE = {"red": "bold red", "amber": "bold yellow", "green": "bold green", "grey": "bold"}


def print_summary(console: Console, report: ScanReport, location: str, lang: str | None = None,
                  limit: int = TERMINAL_FINDINGS) -> None:
    t = Messages(lang)
    v = verdict(report)
    headline, _ = verdict_texts(t, report, v)
    title = Text(report.site_url, style="bold")
    title.append(f"  scan {report.scan_id}", style="")
    if not report.complete and report.incomplete_reason:
        title.append("  (" + t("terminal.incomplete", reason=report.incomplete_reason) + ")", style="yellow")
    console.print(title)
    console.print(Text(headline, style=STYLE[v.level]))
    phases = Table(show_header=True, header_style="bold")
    for key in ("phase", "pages", "cookies", "storage", "third_party_hosts", "requests"):
        phases.add_column(t(f"terminal.{key}"))
    for phase in report.evidence.phases:
        phases.add_row(t.enum("phase", phase.phase), str(len(phase.pages)), str(len(phase.cookies)),
                       str(len(phase.storage)), str(len(phase.third_party_hosts)), str(len(phase.requests)))
    console.print(phases)
    findings = by_severity(report.findings)
    if findings:
        table = Table(show_header=True, header_style="bold", title=t.plural("count.findings", len(findings)))
        for key in ("severity", "rule", "finding", "phases"):
            table.add_column(t(f"terminal.{key}"), overflow="fold")
        for f in findings[:limit]:
            table.add_row(t.enum("severity", f.severity), Text(f.rule_id), Text(finding_label(t, f)),
                          ", ".join(t.enum("phase", p) for p in f.phases))
        console.print(table)
        if len(findings) > limit:
            console.print(t.plural("count.more_in_report", len(findings) - limit), highlight=False)
    else:
        console.print(t("findings.none_at_all"))
    console.print(Text(t("terminal.report", location=location)), soft_wrap=True)
