"""The assembled report: every stage's output for one scan. It sits above the stages so it can name each
stage's output type (`Classification`, `NoticeAssessment`, the findings, the consent comparison); the store and the front doors
read it, the stages never do."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from ..check.comparison import ConsentComparison
from ..classify.model import Classification
from ..models import SCHEMA_VERSION, Evidence, Finding, IncompleteCause, Model, Phase
from ..notice.model import NoticeAssessment


class ReportSummary(Model):
    pages_visited: int = 0
    pages_failed: int = 0
    cookies: int = 0
    third_party_hosts: int = 0
    requests: int = 0
    findings_by_severity: dict[str, int] = Field(default_factory=dict)


# complete / incomplete: the scan looked (incomplete says why in `causes`). It could not look, so the report
# carries no compliance verdict and `latest.json` never points at it: unreachable (no document arrived),
# refused (the SSRF guard refused the address), aborted (stopped before any page: time budget, interrupt, crash).
ReportStatus = Literal["complete", "incomplete", "unreachable", "refused", "aborted"]


class ScanScope(Model):
    """What a scan set out to look at. Two scans are comparable (a diff means something) only when their
    scopes are equal."""

    phases: list[Phase] = Field(default_factory=list)
    max_pages: int = 0
    max_depth: int = 0
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    seeds: list[str] = Field(default_factory=list)


class ScanReport(Model):
    schema_version: str = SCHEMA_VERSION
    tool: str = "privacyscan"
    tool_version: str = ""
    site_url: str
    site_id: str
    scan_id: str
    started_at: datetime
    finished_at: datetime | None = None
    status: ReportStatus = "complete"
    complete: bool = True
    incomplete_reason: str | None = None
    causes: list[IncompleteCause] = Field(default_factory=list, description="every reason the scan is incomplete")
    scope: ScanScope | None = Field(default=None, description="what the scan set out to look at")
    summary: ReportSummary = Field(default_factory=ReportSummary)
    findings: list[Finding] = Field(default_factory=list)
    evidence: Evidence
    privacy_notice: NoticeAssessment | None = Field(
        default=None, description="the privacy notice and its 13 Art. 13 items"
    )
    classification: Classification = Field(
        description="who receives the data: labelled hosts, cookies and storage keys, recipients per phase"
    )
    consent_comparison: ConsentComparison | None = Field(
        default=None, description="what each consent choice changed, per recipient and cookie (None: no phases)"
    )

    @property
    def looked(self) -> bool:
        """False for a scan that could not look at the site (unreachable, refused): never a verdict."""
        return self.status in ("complete", "incomplete")
