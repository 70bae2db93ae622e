"""What changed since a site's previous comparable scan, as an alert a person can read. Pure functions
over reports; the reading of earlier reports is behind `ReportHistory` (S3 or a local folder)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel

from ..report.diff import ReportDiff, diff_reports, not_comparable_reason
from ..report.i18n import Messages, report_language
from ..report.model import ScanReport
from .notifier import Notifier


def comparable(old: ScanReport, new: ScanReport) -> bool:
    """Same site, both scans looked, the same phases and scope (`report.diff.not_comparable_reason`, the one
    rule the diff, the CLI and the alerts share): fewer phases would "resolve" findings the scan never looked
    for, more would report old ones as new."""
    return not_comparable_reason(old, new) is None


class ReportHistory(Protocol):
    def scan_ids(self, site_id: str) -> list[str]: ...

    def load(self, site_id: str, scan_id: str) -> ScanReport | None: ...


def previous_comparable(history: ReportHistory, new: ScanReport, max_candidates: int = 20) -> ScanReport | None:
    """The newest earlier scan of the site that looked and covered the same phases (scan ids start with the
    start time, so they sort by time)."""
    earlier = sorted((s for s in history.scan_ids(new.site_id) if s < new.scan_id), reverse=True)
    for scan_id in earlier[:max_candidates]:
        old = history.load(new.site_id, scan_id)
        if old is not None and comparable(old, new):
            return old
    return None


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


def alert_on_report(history: ReportHistory, site_id: str, scan_id: str, report_link: str, notifier: Notifier,
                    recipient: str | None = None) -> AlertOutcome:
    """The alert use case, shared by the notify function (a report landed in S3) and `sites run-due` (a
    local scan was stored): diff the stored report against the site's previous comparable scan and publish
    what changed, for the operator and the site's own `recipient`."""
    report = history.load(site_id, scan_id)
    if report is None:
        return AlertOutcome(published=False, reason="report not found")
    previous = previous_comparable(history, report)
    alert = change_alert(report, previous, report_link)
    if alert is None:
        return AlertOutcome(published=False, reason="no change")
    subject, body = alert
    message_id = notifier.publish(subject, body, site_id, recipient)
    return AlertOutcome(published=True, message_id=message_id, recipient=recipient,
                        compared_with=previous.scan_id if previous else None)


def report_history(store_url: str) -> ReportHistory:
    """The history behind a store URL: `s3://bucket/prefix` or a local folder."""
    if store_url.startswith("s3://"):
        bucket, _, prefix = store_url[5:].partition("/")
        return S3ReportHistory(bucket, prefix)
    return LocalReportHistory(store_url)


class S3ReportHistory:
    def __init__(self, bucket: str, prefix: str = "", client=None) -> None:
        if client is None:
            import boto3

            client = boto3.client("s3")
        self.bucket, self.prefix, self.s3 = bucket, prefix.strip("/"), client

    def _key(self, *parts: str) -> str:
        return "/".join(p for p in (self.prefix, *parts) if p)

    def scan_ids(self, site_id: str) -> list[str]:
        base = self._key("sites", site_id, "scans") + "/"
        found = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=base, Delimiter="/"):
            found += [p["Prefix"][len(base):].rstrip("/") for p in page.get("CommonPrefixes", [])]
        return found

    def load(self, site_id: str, scan_id: str) -> ScanReport | None:
        from botocore.exceptions import ClientError

        try:
            body = self.s3.get_object(Bucket=self.bucket, Key=self._key("sites", site_id, "scans", scan_id, "report.json"))
        except ClientError:
            return None
        return ScanReport.model_validate_json(body["Body"].read())


class LocalReportHistory:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def scan_ids(self, site_id: str) -> list[str]:
        folder = self.root / "sites" / site_id / "scans"
        return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []

    def load(self, site_id: str, scan_id: str) -> ScanReport | None:
        path = self.root / "sites" / site_id / "scans" / scan_id / "report.json"
        return ScanReport.model_validate_json(path.read_text()) if path.exists() else None


def split_report_key(key: str) -> tuple[str, str, str] | None:
    """`<prefix>/sites/<site>/scans/<scan>/report.json` -> (prefix, site id, scan id); None for other keys."""
    parts = key.split("/")
    if len(parts) < 5 or parts[-1] != "report.json" or parts[-3] != "scans" or parts[-5] != "sites":
        return None
    return "/".join(parts[:-5]), parts[-4], parts[-2]


def pointer_json(site_id: str, scan_id: str) -> str:
    return json.dumps({"site_id": site_id, "scan_id": scan_id})
