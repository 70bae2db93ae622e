"""The one use case behind every front door: scan a site and store the result.

The CLI maps a `ScanOutcome` to an exit code; the Lambda scan handler maps it to success or a retryable
failure. Neither holds scanning logic of its own. `ScanRequest` is what a user asks for (it travels in
queue messages and API calls); `RuntimeSettings` is how this machine runs scans, read once from the
environment.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .crawl.browser import BrowserUnavailable, chromium_executable
from .crawl.browser_factory import BrowserLaunch
from .crawl.control import StopToken
from .crawl.crawler import ConsentDriver, CrawlAborted, ProgressCallback
from .gate import Baseline, GateDecision, Policy, decide_report
from .models import CauseKind, Phase
from .netguard import HostMapping, NetGuard, RefusedAddress
from .pipeline import default_consent_driver, scan_site
from .report.diff import ReportDiff, diff_reports
from .report.i18n import report_language
from .report.model import ScanReport
from .settings import ScanOptions
from .store import (
    ReportStore,
    StoreUnavailable,
    previous_comparable,
    render_formats,
    scan_order,
    write_to_fallback,
)
from .urls import BadUrl, parse_site_url
from .urls import scan_id as make_scan_id
from .urls import site_id as make_site_id

FORMATS = ("json", "html", "md", "pdf", "sarif", "junit")
ALL_PHASES = (Phase.before_consent, Phase.after_reject, Phase.after_accept)
# Seconds kept back from a caller's deadline (a Lambda's remaining time) for rendering and storing.
STORE_MARGIN_S = 30.0


class ScanRequest(BaseModel):
    """What a user asks for: a site and the bounds of the scan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    site_url: str
    max_pages: int = Field(default=20, ge=1, le=10_000)
    max_depth: int = Field(default=3, ge=0, le=50)
    phases: tuple[Phase, ...] = ALL_PHASES
    time_budget_s: float = Field(default=600.0, ge=5, le=86_400)
    settle_s: float = Field(default=0.0, ge=0, le=120)
    page_timeout_s: float = Field(default=30.0, ge=1, le=600)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    seeds: tuple[str, ...] = ()
    user_agent: str | None = None
    resolve: tuple[str, ...] = Field(default=(), description="HOST:ADDR[:PORT] mappings, like curl --resolve")
    ignore_https_errors: bool = False
    screenshots: bool = True
    formats: tuple[str, ...] = ("json", "html")
    lang: Literal["nb", "en"] | None = Field(
        default=None, description="language of the human formats; None: the site's own when nb or en"
    )
    label: str | None = Field(default=None, description="client or owner label")
    scheduled_slot: datetime | None = Field(
        default=None, description="the schedule's slot: the scan id is then deterministic per site and slot"
    )

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value: str) -> str:
        try:
            return parse_site_url(value)
        except BadUrl as exc:
            raise ValueError(f"invalid URL: {exc}") from None

    @field_validator("seeds")
    @classmethod
    def _seeds(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        try:
            return tuple(parse_site_url(v) for v in values)
        except BadUrl as exc:
            raise ValueError(f"invalid seed URL: {exc}") from None

    @field_validator("formats")
    @classmethod
    def _formats(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [f for f in values if f not in FORMATS]
        if unknown:
            raise ValueError(f"unknown format {', '.join(unknown)} (choose from {', '.join(FORMATS)})")
        return values

    @field_validator("resolve")
    @classmethod
    def _resolve(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for spec in values:
            HostMapping.parse(spec)  # raises ValueError with a one-line message
        return values


@dataclass(frozen=True)
class RuntimeSettings:
    """How this machine runs scans: read once (from the environment or the CLI), never from a request."""

    store_url: str = "./privacyscan-reports"
    chromium_path: str | None = None
    allow_private_network: bool = False
    fallback_dir: str | None = None
    # How to launch that Chromium beyond the defaults (the Lambda layer's switches and library paths);
    # set from a BrowserLaunch by `with_browser`, not from the environment.
    chromium_args: tuple[str, ...] = ()
    chromium_env: tuple[tuple[str, str], ...] = ()
    # Fan-out (privacyscan.fanout): "phases" runs the later phases as jobs of their own on the scan queue,
    # each with at most `shard_pages` pages besides the first (0: one job per phase).
    fan_out: Literal["none", "phases"] = "none"
    shard_pages: int = 0

    def with_browser(self, launch: BrowserLaunch) -> RuntimeSettings:
        return replace(self, chromium_path=launch.executable, chromium_args=launch.args, chromium_env=launch.env)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> RuntimeSettings:
        return cls(
            store_url=environ.get("PRIVACYSCAN_STORE", "").strip() or cls.store_url,
            chromium_path=environ.get("PRIVACYSCAN_CHROMIUM", "").strip() or None,
            allow_private_network=environ.get("PRIVACYSCAN_ALLOW_PRIVATE_NETWORK", "").strip().lower()
            in ("1", "true", "yes"),
            fallback_dir=environ.get("PRIVACYSCAN_FALLBACK_DIR", "").strip() or None,
            fan_out=_fan_out(environ.get("PRIVACYSCAN_FANOUT", "")),
            shard_pages=_shard_pages(environ.get("PRIVACYSCAN_SHARD_PAGES", "")),
        )

    def effective_fallback_dir(self) -> Path:
        if self.fallback_dir:
            return Path(self.fallback_dir)
        return Path(tempfile.gettempdir()) / "privacyscan-fallback"


def _fan_out(value: str) -> Literal["none", "phases"]:
    value = value.strip().lower() or "none"
    if value not in ("none", "phases"):
        raise ValueError(f"PRIVACYSCAN_FANOUT must be none or phases, not {value!r}")
    return value  # type: ignore[return-value]


def _shard_pages(value: str) -> int:
    try:
        pages = int(value.strip() or "0")
    except ValueError:
        raise ValueError(f"PRIVACYSCAN_SHARD_PAGES must be a whole number, not {value!r}") from None
    if pages < 0:
        raise ValueError(f"PRIVACYSCAN_SHARD_PAGES must be 0 (one job per phase) or more, not {pages}")
    return pages


class ScanStatus(StrEnum):
    written = "written"  # the scan looked at the site and its report is stored (complete or bounded)
    duplicate = "duplicate"  # a report for this scan id already existed: nothing was written
    unreachable = "unreachable"  # stored, but no document arrived: no verdict
    refused = "refused"  # the target is not a public address (SSRF guard): nothing scanned
    incomplete = "incomplete"  # stored, but a fault (crash, time budget) cut it short
    interrupted = "interrupted"  # stored with what was gathered when a signal stopped it
    no_browser = "no_browser"  # Chromium missing or would not start: nothing scanned
    store_failed = "store_failed"  # the store refused; a finished scan was kept in the fallback folder
    bad_input = "bad_input"
    part_stored = "part_stored"  # fanned out: this invocation's part is stored; the last part's invocation reports


RETRYABLE = frozenset({ScanStatus.no_browser, ScanStatus.store_failed})


class ScanOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ScanStatus
    site_url: str = ""
    site_id: str = ""
    scan_id: str = ""
    report_location: str | None = None
    causes: list[str] = Field(default_factory=list, description="every reason this is not a plain success")
    findings: int = 0
    findings_by_severity: dict[str, int] = Field(default_factory=dict)
    diff: ReportDiff | None = Field(default=None, description="against the previous comparable scan, if any")
    report: ScanReport | None = Field(default=None, exclude=True)
    gate: GateDecision | None = Field(default=None, description="the CI gate's decision on the report")

    @property
    def retryable(self) -> bool:
        return self.status in RETRYABLE


def scan_options(request: ScanRequest, settings: RuntimeSettings, time_budget_s: float | None = None) -> ScanOptions:
    return ScanOptions(
        site_url=request.site_url, max_pages=request.max_pages, max_depth=request.max_depth,
        time_budget_s=time_budget_s or request.time_budget_s, settle_s=request.settle_s,
        page_timeout_s=request.page_timeout_s, include=request.include, exclude=request.exclude,
        seeds=request.seeds, user_agent=request.user_agent,
        mappings=tuple(HostMapping.parse(s) for s in request.resolve),
        ignore_https_errors=request.ignore_https_errors, allow_private_network=settings.allow_private_network,
        phases=request.phases, screenshots=request.screenshots, chromium_path=settings.chromium_path,
        extra_chromium_args=settings.chromium_args, chromium_env=settings.chromium_env,
    )


def time_budget(request: ScanRequest, deadline_s: float | None) -> float:
    """The crawl's budget: the request's, bounded by a caller's deadline less the margin to store the result."""
    if deadline_s is None:
        return request.time_budget_s
    return max(5.0, min(request.time_budget_s, deadline_s - STORE_MARGIN_S))


def scan_and_store(request: ScanRequest, settings: RuntimeSettings, store: ReportStore, *,
                   deadline_s: float | None = None, progress: ProgressCallback | None = None,
                   consent: ConsentDriver | None = None, stop: StopToken | None = None,
                   now: datetime | None = None) -> ScanOutcome:
    """Scan `request.site_url` and store the report. `deadline_s` (a Lambda's remaining time) bounds the
    crawl's time budget, keeping a margin to render and store what was gathered."""
    return store_scan(scan_options(request, settings, time_budget(request, deadline_s)), store, formats=request.formats, lang=request.lang,
                      slot=request.scheduled_slot, fallback_dir=settings.effective_fallback_dir(),
                      progress=progress, consent=consent, stop=stop, now=now)


def store_scan(options: ScanOptions, store: ReportStore, *, formats: tuple[str, ...] | list[str] = ("json",),
               lang: str | None = None,
               slot: datetime | None = None, fallback_dir: Path | None = None,
               progress: ProgressCallback | None = None, consent: ConsentDriver | None = None,
               stop: StopToken | None = None, now: datetime | None = None, policy: Policy | None = None,
               baseline: Baseline | None = None, baseline_name: str | None = None) -> ScanOutcome:
    """The use case on composed options (the CLI composes them from its flags, `scan_and_store` from a
    request). Checks that can fail cheaply (address, browser, store) run before the crawl; a finished scan
    is never lost to the store (it goes to the fallback folder). The gate is decided once, from `policy` (None:
    the built-in policy) and `baseline`, and the CI formats and the outcome carry that one decision."""
    started_at = now or datetime.now(UTC)
    site_id = make_site_id(options.site_url)
    scan_id = make_scan_id(options.site_url, started_at, slot)
    ready = preflight(options, store, site_id, scan_id, check_duplicate=slot is not None)
    if isinstance(ready, ScanOutcome):
        return ready
    with tempfile.TemporaryDirectory(prefix="privacyscan-") as tmp:
        workdir = Path(tmp)
        base = {"site_url": options.site_url, "site_id": site_id, "scan_id": scan_id}
        try:
            report = scan_site(options, workdir, scan_id=scan_id, site_id=site_id,
                               started_at=started_at.replace(microsecond=0), progress=progress,
                               consent=consent if consent is not None else default_consent_driver(), stop=stop)
        except CrawlAborted as exc:
            return ScanOutcome(status=ScanStatus.no_browser, causes=[str(exc)], **base)
        return store_report(report, store, workdir, formats=formats, lang=lang, chromium=ready,
                            fallback_dir=fallback_dir, policy=policy, baseline=baseline, baseline_name=baseline_name)


def preflight(options: ScanOptions, store: ReportStore, site_id: str, scan_id: str, *,
              check_duplicate: bool) -> ScanOutcome | str:
    """The checks that can fail cheaply, before any browser work: the address (SSRF guard), the browser,
    the store, and (`check_duplicate`: the scan id is not fresh) whether the report is already stored.
    Returns the Chromium executable when the scan may go ahead, else the outcome to stop with."""
    base = {"site_url": options.site_url, "site_id": site_id, "scan_id": scan_id}
    try:
        NetGuard(options.mappings, options.allow_private_network).check(options.site_url)
    except RefusedAddress as exc:
        return ScanOutcome(status=ScanStatus.refused, causes=[str(exc)], **base)
    try:
        chromium = chromium_executable(options.chromium_path)
    except BrowserUnavailable as exc:
        return ScanOutcome(status=ScanStatus.no_browser, causes=[str(exc)], **base)
    try:
        store.check_writable()
        if check_duplicate and store.has_report(site_id, scan_id):
            return ScanOutcome(status=ScanStatus.duplicate, report_location=store.location(site_id, scan_id), **base)
    except StoreUnavailable as exc:
        return ScanOutcome(status=ScanStatus.store_failed, causes=[f"the store is not writable: {exc}"], **base)
    return chromium


def store_report(report: ScanReport, store: ReportStore, workdir: Path, *, formats: tuple[str, ...] | list[str],
                 lang: str | None, chromium: str | None, fallback_dir: Path | None, policy: Policy | None = None,
                 baseline: Baseline | None = None, baseline_name: str | None = None) -> ScanOutcome:
    """Everything after the report is assembled: the gate, the formats, the diff with the previous scan, and
    one conditional write (`duplicate` when this scan's report is already there). `workdir` holds the
    artefacts (screenshots) the report names. A store that refuses keeps the scan in the fallback folder."""
    gate = decide_report(report, policy or Policy(), baseline, baseline_name=baseline_name)
    rendered = render_formats(report, formats, lang=report_language(report, lang), artefacts=workdir,
                              chromium=chromium, gate=gate)
    diff = _diff_with_previous(store, report)
    if diff is not None:
        rendered["diff.json"] = diff.model_dump_json(indent=2).encode()
    try:
        written = store.put_scan(report, rendered, workdir)
    except Exception as exc:  # the operator's to fix; the scan itself must survive it
        location = write_to_fallback(report, rendered, workdir, fallback_dir or RuntimeSettings().effective_fallback_dir())
        return _outcome(report, ScanStatus.store_failed, location, diff, gate,
                        extra_causes=[f"could not write to the store ({type(exc).__name__}: {exc}); "
                                      f"kept in {location}"])
    location = store.location(report.site_id, report.scan_id)
    if not written:
        return _outcome(report, ScanStatus.duplicate, location, None, gate)
    return _outcome(report, _status(report), location, diff, gate)


def _status(report: ScanReport) -> ScanStatus:
    if report.status == "unreachable":
        return ScanStatus.unreachable
    if report.status == "refused":
        return ScanStatus.refused
    kinds = {cause.kind for cause in report.causes}
    if report.status == "aborted" and not any(kind.is_fault for kind in kinds):
        return ScanStatus.incomplete  # stopped before any page for a reason it did not record: still a fault
    if CauseKind.interrupted in kinds:
        return ScanStatus.interrupted
    if any(kind.is_fault for kind in kinds):
        return ScanStatus.incomplete
    return ScanStatus.written


def _diff_with_previous(store: ReportStore, report: ScanReport) -> ReportDiff | None:
    """Only scans that looked are compared, and with the previous comparable scan (`store.previous_comparable`,
    the one the alert compares with too). With none, the diff against the latest earlier scan says why the
    two cannot be compared."""
    if not report.looked:
        return None
    try:
        previous = previous_comparable(store, report) or store.latest(report.site_id)
    except Exception:  # an unreadable previous report must not stop this one from being stored
        return None
    if previous is None or scan_order(previous.scan_id) >= scan_order(report.scan_id):
        return None
    return diff_reports(previous, report)


def _outcome(report: ScanReport, status: ScanStatus, location: str | None, diff: ReportDiff | None,
             gate: GateDecision | None = None, extra_causes: list[str] | None = None) -> ScanOutcome:
    causes = [f"{c.phase.value}: {c.detail}" if c.phase else c.detail for c in report.causes]
    return ScanOutcome(
        status=status, site_url=report.site_url, site_id=report.site_id, scan_id=report.scan_id,
        report_location=location, causes=causes + (extra_causes or []), findings=len(report.findings),
        findings_by_severity=dict(report.summary.findings_by_severity), diff=diff, report=report,
        gate=gate,
    )
