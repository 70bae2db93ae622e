"""What changed since a site's previous comparable scan, as an alert a person can read. Pure functions
over reports; earlier reports are read from the `ReportStore` that holds them (S3 or a local folder), with
the same `store.previous_comparable` look-up the stored scan's diff uses."""

from __future__ import annotations

from pydantic import BaseModel

from ..report.diff import ReportDiff, diff_reports
from ..report.i18n import Messages, report_language
from ..report.model import ScanReport
from ..store import ReportStore, comparable, previous_comparable
from .notifier import Notifier

__all__ = ["AlertOutcome", "alert_on_report", "change_alert", "comparable", "previous_comparable", "split_report_key"]


def change_alert(new: ScanReport, previous: ScanReport | None, report_link: str,
                 lang: str | None = None) -> tuple[str, str] | None:
    """(subject, body) of the alert for `new`, or None when there is nothing to tell. Written in `lang`, else
    in the report's own language (the site's, as its HTML report), with the findings' titles in it."""
    if not new.looked:
        return None
    if previous is None:
        diff = ReportDiff(site_url=new.site_url, old_scan_id="", new_scan_id=new.scan_id, new_findings=new.findings)
    else:
        diff = diff_reports(previous, new)
    if not (diff.new_findings or diff.resolved_findings):
        return None
    t = Messages(report_language(new, lang))
    host = new.site_url.split("//", 1)[-1].rstrip("/")
    subject = t("alert.subject", host=host, new=len(diff.new_findings), resolved=len(diff.resolved_findings))
    lines = [t("alert.site", url=new.site_url),
             t("alert.scan", scan_id=new.scan_id, finished=new.finished_at),
             t("alert.compared_with", scan_id=previous.scan_id) if previous else t("alert.first_scan"),
             t("alert.report", link=report_link), ""]
    for heading, findings in (("alert.new_findings", diff.new_findings),
                              ("alert.resolved_findings", diff.resolved_findings)):
        if findings:
            lines.append(t(heading, n=len(findings)))
            lines += [t("alert.finding", severity=t.enum("severity", f.severity), rule_id=f.rule_id,
                        title=t.words(f.title_wording, f.title)) for f in findings]
            lines.append("")
    return subject, "\n".join(lines).rstrip() + "\n"


class AlertOutcome(BaseModel):
    published: bool
    reason: str = ""
    message_id: str | None = None
    recipient: str | None = None
    compared_with: str | None = None


def alert_on_report(store: ReportStore, site_id: str, scan_id: str, report_link: str, notifier: Notifier,
                    recipient: str | None = None) -> AlertOutcome:
    """The alert use case, shared by the notify function (a report landed in S3) and `sites run-due` (a
    local scan was stored): diff the stored report against the site's previous comparable scan and publish
    what changed, for the operator and the site's own `recipient`."""
    report = store.load(site_id, scan_id)
    if report is None:
        return AlertOutcome(published=False, reason="report not found")
    previous = previous_comparable(store, report)
    alert = change_alert(report, previous, report_link)
    if alert is None:
        return AlertOutcome(published=False, reason="no change")
    subject, body = alert
    message_id = notifier.publish(subject, body, site_id, recipient)
    return AlertOutcome(published=True, message_id=message_id, recipient=recipient,
                        compared_with=previous.scan_id if previous else None)


def split_report_key(key: str) -> tuple[str, str, str] | None:
    """`<prefix>/sites/<site>/scans/<scan>/report.json` -> (prefix, site id, scan id); None for other keys."""
    parts = key.split("/")
    if len(parts) < 5 or parts[-1] != "report.json" or parts[-3] != "scans" or parts[-5] != "sites":
        return None
    return "/".join(parts[:-5]), parts[-4], parts[-2]
