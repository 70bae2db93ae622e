"""What changed between two scans of a site: findings that are new or resolved (matched by their
fingerprint: rule, phase and subject), and cookies and third-party hosts that appeared or went away."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..models import Finding
from .model import ScanReport


class ReportDiff(BaseModel):
    model_config = ConfigDict(extra="forbid")

    site_url: str
    old_scan_id: str
    new_scan_id: str
    comparable: bool = Field(
        default=True,
        description="False when the scans did not look at the same thing (scope differs, or one could not look): "
        "then nothing is listed as new or resolved",
    )
    not_comparable_reason: str | None = None
    new_findings: list[Finding] = Field(default_factory=list)
    resolved_findings: list[Finding] = Field(default_factory=list)
    cookies_added: list[str] = Field(default_factory=list, description="name@domain")
    cookies_removed: list[str] = Field(default_factory=list)
    third_party_hosts_added: list[str] = Field(default_factory=list)
    third_party_hosts_removed: list[str] = Field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.new_findings or self.resolved_findings or self.cookies_added or self.cookies_removed
                    or self.third_party_hosts_added or self.third_party_hosts_removed)

    def summary_line(self) -> str:
        if not self.comparable:
            return f"not compared with scan {self.old_scan_id}: {self.not_comparable_reason}"
        return (f"since scan {self.old_scan_id}: {len(self.new_findings)} new and {len(self.resolved_findings)} "
                f"resolved findings, {len(self.cookies_added)} new and {len(self.cookies_removed)} gone cookies, "
                f"{len(self.third_party_hosts_added)} new and {len(self.third_party_hosts_removed)} gone third-party hosts")


def _cookies(report: ScanReport) -> set[str]:
    return {f"{c.name}@{c.domain.lstrip('.')}" for p in report.evidence.phases for c in p.cookies if c.stored}


def _hosts(report: ScanReport) -> set[str]:
    return {h for p in report.evidence.phases for h in p.third_party_hosts}


def not_comparable_reason(old: ScanReport, new: ScanReport) -> str | None:
    """Why a diff of these two scans would invent changes; None when they looked at the same thing."""
    if old.schema_version.split(".")[0] != new.schema_version.split(".")[0]:
        return (f"the reports have different schema versions ({old.schema_version}, {new.schema_version}); "
                "finding ids changed between them")
    for report, which in ((old, "the older"), (new, "the newer")):
        if not report.looked:
            return f"{which} scan could not look at the site ({report.status})"
    if old.site_id != new.site_id:
        return f"the scans are of different sites ({old.site_id}, {new.site_id})"
    phases_old, phases_new = ({p.phase for p in r.evidence.phases} for r in (old, new))
    if phases_old != phases_new:  # also for reports written before the scope was recorded
        return "the scans crawled different phases"
    if old.scope is not None and new.scope is not None and old.scope != new.scope:
        before, after = old.scope.model_dump(), new.scope.model_dump()
        changed = sorted(k for k in after if before.get(k) != after[k])
        return f"the scans used different options ({', '.join(changed)})"
    return None


def diff_reports(old: ScanReport, new: ScanReport) -> ReportDiff:
    reason = not_comparable_reason(old, new)
    if reason is not None:
        return ReportDiff(site_url=new.site_url, old_scan_id=old.scan_id, new_scan_id=new.scan_id,
                          comparable=False, not_comparable_reason=reason)
    old_by_key = {f.fingerprint: f for f in old.findings}
    new_by_key = {f.fingerprint: f for f in new.findings}
    return ReportDiff(
        site_url=new.site_url,
        old_scan_id=old.scan_id,
        new_scan_id=new.scan_id,
        new_findings=[f for key, f in new_by_key.items() if key not in old_by_key],
        resolved_findings=[f for key, f in old_by_key.items() if key not in new_by_key],
        cookies_added=sorted(_cookies(new) - _cookies(old)),
        cookies_removed=sorted(_cookies(old) - _cookies(new)),
        third_party_hosts_added=sorted(_hosts(new) - _hosts(old)),
        third_party_hosts_removed=sorted(_hosts(old) - _hosts(new)),
    )
