"""One scan fanned out over invocations: the before-consent phase first, then each later phase (and, for
large sites, each shard of its pages) as a job of its own, assembled into one report by whichever
invocation stores the last part.

Why it can be split: the later phases need nothing from the first but its page list and its verdict on
consent (`crawl/parallel.py`), and they replay that list rather than discover, so a job given the list
visits what the phase would have visited in one invocation. The flow, with no coordinator of our own:

    scan message -> first invocation: before-consent phase -> part `before_consent` + `plan`
                    -> one `PhaseJob` message per later phase and shard, to the same scan queue
    phase job    -> first page, consent choice, first page again, then exactly its pages -> its part
    any invocation that stored a part lists the scan's parts; when all the plan expects are there, it
    assembles them into the `Evidence` one invocation would have gathered and stores the report (once:
    a second assembler finds it there, `duplicate`).

Everything is written once (`PartStore`): a redelivered job whose part exists crawls nothing. A job that
failed for good (its message in the dead-letter queue) leaves the scan unassembled; a job that ran out of
time stores what it gathered with its causes, so the report is marked incomplete, never silently complete.

What differs from one invocation, by construction: each job launches its own browser and visits the
first page (twice: before and after the choice) before its own pages, and a shard's cookie jar starts
from the first page's cookies rather than from everything the earlier shards' pages set.
"""

from __future__ import annotations

import base64
import math
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .crawl.crawler import ConsentDriver, CrawlAborted, OnePhaseCrawl, skipped_phase
from .models import Evidence, Phase, PhaseEvidence
from .pipeline import crawl_phase, default_consent_driver, report_from_evidence, scan_scope
from .service.queue import ScanQueue
from .settings import ScanOptions
from .store import PartStore, ReportStore, StoreUnavailable
from .urls import scan_id as make_scan_id
from .urls import site_id as make_site_id
from .usecase import (
    RuntimeSettings,
    ScanOutcome,
    ScanRequest,
    ScanStatus,
    preflight,
    scan_and_store,
    scan_options,
    store_report,
    time_budget,
)

PLAN = "plan"
FIRST_PART = Phase.before_consent.value


class PhaseJob(BaseModel):
    """The scan queue's second kind of message (a `ScanRequest` has no `kind`): crawl one part of a
    planned scan, i.e. one later phase, or one shard of its pages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["phase_job"]
    site_id: str
    scan_id: str
    part: str


class ShardPlan(BaseModel):
    """One job: a later phase and the pages it visits after the first page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phase: Phase
    shard: int = Field(ge=0)
    part: str = Field(description="the part's name: the phase, with -<shard> when the phase has several")
    pages: list[str]


class FanOutPlan(BaseModel):
    """What the first invocation decided: the scan, the first phase's pages and verdict, and the jobs."""

    model_config = ConfigDict(extra="forbid")

    request: ScanRequest
    site_id: str
    scan_id: str
    started_at: datetime
    pages: list[str] = Field(description="the pages the before-consent phase recorded without error, in order")
    skip_reason: str | None = Field(default=None, description="set: nothing to reject or accept; no jobs")
    shards: list[ShardPlan] = Field(default_factory=list)

    @property
    def expected_parts(self) -> list[str]:
        return [FIRST_PART, *(shard.part for shard in self.shards)]

    def shard(self, part: str) -> ShardPlan | None:
        return next((s for s in self.shards if s.part == part), None)


class EvidencePart(BaseModel):
    """One invocation's evidence: its phase (or none, when it gathered nothing) with the causes, and the
    artefacts (screenshots) it names, inline so that a part is one object written once."""

    model_config = ConfigDict(extra="forbid")

    part: str
    phase: Phase
    shard: int = 0
    evidence: Evidence
    pages: list[str] = Field(default_factory=list, description="before-consent: its page list for the plan")
    skip_reason: str | None = None
    artefacts: dict[str, str] = Field(default_factory=dict, description="path in the scan folder -> base64")


# ------------------------------------------------------------------------------------------- planning


def plan_shards(site_url: str, pages: list[str], phases: tuple[Phase, ...] | list[Phase], max_pages: int,
                shard_pages: int) -> list[ShardPlan]:
    """The jobs for the later phases. Each visits the first page, again after the choice, then its pages:
    the first phase's pages besides the first page, cut to what one invocation's later phase visits
    within `max_pages` (the first page and its second visit count). `shard_pages` pages per job at most;
    0: one job per phase. Never an empty shard, except the one shard of a site with only its first page."""
    if shard_pages < 0:
        raise ValueError(f"pages per shard must be 0 (one job per phase) or more, not {shard_pages}")
    later = [phase for phase in phases if phase is not Phase.before_consent]
    replay = [url for url in dict.fromkeys(pages) if url != site_url][: max(0, max_pages - 2)]
    size = shard_pages or max(1, len(replay))
    chunks = [replay[i:i + size] for i in range(0, len(replay), size)] or [[]]
    return [ShardPlan(phase=phase, shard=i, part=phase.value if len(chunks) == 1 else f"{phase.value}-{i}",
                      pages=chunk)
            for phase in later for i, chunk in enumerate(chunks)]


def fans_out(request: ScanRequest) -> bool:
    """Only a scan whose first phase discovers (before consent) and that has later phases is split."""
    return len(request.phases) > 1 and request.phases[0] is Phase.before_consent


# -------------------------------------------------------------------------------------------- merging


def _first_page_visits(site_url: str, shard: PhaseEvidence) -> int:
    """How many of a shard's leading page records are the first page (before and after the choice)."""
    count = 0
    while count < len(shard.pages) and shard.pages[count].url == site_url:
        count += 1
    return count


def merge_shards(site_url: str, shards: list[PhaseEvidence]) -> PhaseEvidence:
    """One phase's evidence from its shards, in plan order. Every shard visited the first page and made
    the choice; the first shard's visits, banner and choice are kept, later shards contribute what they
    gathered from their first own page on (by time: requests and behaviour; cookies and storage that the
    merged phase does not hold yet), and every shard's causes."""
    merged = shards[0].model_copy(deep=True)
    cookies = {(c.name, c.domain, c.path) for c in merged.cookies}
    storage = {(s.kind, s.origin, s.key) for s in merged.storage}
    for shard in shards[1:]:
        own = shard.pages[_first_page_visits(site_url, shard):]
        since = own[0].started_ms if own else math.inf
        own_urls = {page.url for page in own}
        merged.pages.extend(page.model_copy(deep=True) for page in own)
        merged.requests.extend(r.model_copy(deep=True) for r in shard.requests if r.started_ms >= since)
        merged.behaviour.extend(b.model_copy(deep=True) for b in shard.behaviour
                                if (b.at_ms >= since if b.at_ms is not None else b.page_url in own_urls))
        for cookie in shard.cookies:
            if (key := (cookie.name, cookie.domain, cookie.path)) not in cookies:
                cookies.add(key)
                merged.cookies.append(cookie.model_copy(deep=True))
        for item in shard.storage:
            if (key := (item.kind, item.origin, item.key)) not in storage:
                storage.add(key)
                merged.storage.append(item.model_copy(deep=True))
        for cause in shard.causes:
            merged.add_cause(cause.kind, cause.detail, cause.phase)
    return merged


def assemble_evidence(plan: FanOutPlan, parts: dict[str, EvidencePart]) -> Evidence:
    """The `Evidence` one invocation would have gathered: the phases in the request's order, the skipped
    phases when the first phase found nothing to act on, each phase's causes carried to the scan."""
    first = parts[FIRST_PART].evidence
    site_url = first.site_url
    evidence = Evidence(site_url=site_url, site_id=plan.site_id, registrable_domain=first.registrable_domain,
                        scan_id=plan.scan_id, started_at=plan.started_at, browser=first.browser)
    for phase in plan.request.phases:
        if phase is Phase.before_consent:
            sources = [parts[FIRST_PART]]
        elif plan.skip_reason is not None:
            evidence.phases.append(skipped_phase(phase, plan.skip_reason))
            continue
        else:
            sources = [parts[shard.part] for shard in plan.shards if shard.phase is phase]
        gathered = [found for part in sources if (found := part.evidence.phase(phase)) is not None]
        if gathered:
            evidence.phases.append(merge_shards(site_url, gathered))
        for part in sources:
            for cause in part.evidence.causes:
                evidence.add_cause(cause.kind, cause.detail, cause.phase)
    finished = [p.evidence.finished_at for p in parts.values() if p.evidence.finished_at is not None]
    evidence.finished_at = max(finished) if finished else None
    return evidence


# -------------------------------------------------------------------------------------------- parts


def _replace_strings(value: Any, moves: dict[str, str]) -> Any:
    if isinstance(value, str):
        return moves.get(value, value)
    if isinstance(value, list):
        return [_replace_strings(v, moves) for v in value]
    if isinstance(value, dict):
        return {k: _replace_strings(v, moves) for k, v in value.items()}
    return value


def part_from_crawl(part: str, phase: Phase, shard: int, crawl: OnePhaseCrawl, workdir: Path) -> EvidencePart:
    """The part of one invocation. Every invocation numbers its screenshots from the start, so a job's
    files move into a folder named after its part (`screenshots/after_reject-1/...`) and the evidence
    names them there; the first part keeps the names one invocation would give."""
    files = sorted(p for p in workdir.rglob("*")
                   if p.is_file() and not any(s.startswith(".") for s in p.relative_to(workdir).parts))
    evidence = crawl.evidence
    moves: dict[str, str] = {}
    if part != FIRST_PART:
        for path in files:
            relative = path.relative_to(workdir)
            moves[relative.as_posix()] = (relative.parent / part / relative.name).as_posix()
        evidence = Evidence.model_validate(_replace_strings(evidence.model_dump(mode="json"), moves))
    artefacts = {moves.get(path.relative_to(workdir).as_posix(), path.relative_to(workdir).as_posix()):
                 base64.b64encode(path.read_bytes()).decode("ascii") for path in files}
    return EvidencePart(part=part, phase=phase, shard=shard, evidence=evidence, pages=crawl.pages,
                        skip_reason=crawl.skip_reason, artefacts=artefacts)


def _write_artefacts(parts: dict[str, EvidencePart], folder: Path) -> None:
    for part in parts.values():
        for relative, data in part.artefacts.items():
            path = folder / relative
            if not path.resolve().is_relative_to(folder.resolve()):
                continue  # a part names only files inside its scan folder
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(data))


# ------------------------------------------------------------------------------------------ use cases


def _crawl_part(options: ScanOptions, plan_ids: tuple[str, str, datetime], part: str, phase: Phase, shard: int,
                pages: list[str] | None, consent: ConsentDriver | None) -> EvidencePart:
    site_id, scan_id, started_at = plan_ids
    with tempfile.TemporaryDirectory(prefix="privacyscan-part-") as tmp:
        workdir = Path(tmp)
        crawl = crawl_phase(options, workdir, phase, pages, scan_id=scan_id, site_id=site_id, started_at=started_at,
                            consent=consent if consent is not None else default_consent_driver())
        return part_from_crawl(part, phase, shard, crawl, workdir)


_Stored = TypeVar("_Stored", bound=BaseModel)


def _put_once(parts: PartStore, site_id: str, scan_id: str, name: str, value: _Stored) -> _Stored:
    """Write a part (or the plan) once; when another invocation of the same job wrote it first, theirs stands."""
    if parts.put_part(site_id, scan_id, name, value.model_dump_json().encode()):
        return value
    return type(value).model_validate_json(parts.get_part(site_id, scan_id, name) or b"")


def _base(plan_or_request: FanOutPlan | ScanRequest, site_id: str, scan_id: str) -> dict[str, str]:
    request = plan_or_request.request if isinstance(plan_or_request, FanOutPlan) else plan_or_request
    return {"site_url": request.site_url, "site_id": site_id, "scan_id": scan_id}


def start_fanned_out_scan(request: ScanRequest, settings: RuntimeSettings, store: ReportStore, parts: PartStore,
                          queue: ScanQueue, *, deadline_s: float | None = None, now: datetime | None = None,
                          consent: ConsentDriver | None = None) -> ScanOutcome:
    """The first invocation: the before-consent phase, its part and the plan, one job per later phase and
    shard sent to the scan queue; assembled at once when there is nothing to act on. A redelivered message
    of a scheduled scan picks up where the last attempt stopped (part, plan, jobs whose part is missing)."""
    if not fans_out(request):
        return scan_and_store(request, settings, store, deadline_s=deadline_s, consent=consent, now=now)
    options = scan_options(request, settings, time_budget(request, deadline_s))
    started_at = (now or datetime.now(UTC)).replace(microsecond=0)
    site_id = make_site_id(request.site_url)
    scan_id = make_scan_id(request.site_url, started_at, request.scheduled_slot)
    base = _base(request, site_id, scan_id)
    ready = preflight(options, store, site_id, scan_id, check_duplicate=request.scheduled_slot is not None)
    if isinstance(ready, ScanOutcome):
        return ready
    try:
        stored = parts.get_part(site_id, scan_id, FIRST_PART) if request.scheduled_slot is not None else None
        if stored is not None:
            first = EvidencePart.model_validate_json(stored)
        else:
            try:
                first = _crawl_part(options, (site_id, scan_id, started_at), FIRST_PART, Phase.before_consent, 0,
                                    None, consent)
            except CrawlAborted as exc:
                return ScanOutcome(status=ScanStatus.no_browser, causes=[str(exc)], **base)
            first = _put_once(parts, site_id, scan_id, first.part, first)
        plan = _put_once(parts, site_id, scan_id, PLAN, FanOutPlan(
            request=request, site_id=site_id, scan_id=scan_id, started_at=first.evidence.started_at,
            pages=first.pages, skip_reason=first.skip_reason,
            shards=[] if first.skip_reason is not None else plan_shards(
                request.site_url, first.pages, request.phases, request.max_pages, settings.shard_pages)))
        present = set(parts.part_names(site_id, scan_id))
        queue.send_many(PhaseJob(kind="phase_job", site_id=site_id, scan_id=scan_id, part=shard.part).model_dump_json()
                        for shard in plan.shards if shard.part not in present)
        assembled = assemble_if_complete(plan, settings, store, parts, chromium=ready)
    except StoreUnavailable as exc:
        return ScanOutcome(status=ScanStatus.store_failed, causes=[f"the store refused a part: {exc}"], **base)
    return assembled or _part_outcome(plan, first)


def _part_outcome(plan: FanOutPlan, part: EvidencePart, status: ScanStatus = ScanStatus.part_stored) -> ScanOutcome:
    causes = [f"{c.phase.value}: {c.detail}" if c.phase else c.detail for c in part.evidence.causes]
    return ScanOutcome(status=status, causes=causes, **_base(plan, plan.site_id, plan.scan_id))


def run_phase_job(job: PhaseJob, settings: RuntimeSettings, store: ReportStore, parts: PartStore, *,
                  deadline_s: float | None = None, consent: ConsentDriver | None = None) -> ScanOutcome:
    """A later phase (or one shard of it) of a planned scan: crawl, store the part, assemble if it was the
    last. A job whose part is already stored crawls nothing (it only tries the assembly, in case the
    invocation that stored the part stopped before it)."""
    base = {"site_id": job.site_id, "scan_id": job.scan_id}
    try:
        stored_plan = parts.get_part(job.site_id, job.scan_id, PLAN)
    except StoreUnavailable as exc:
        return ScanOutcome(status=ScanStatus.store_failed, causes=[str(exc)], **base)
    if stored_plan is None:
        return ScanOutcome(status=ScanStatus.bad_input, causes=[f"no plan stored for scan {job.scan_id}"], **base)
    plan = FanOutPlan.model_validate_json(stored_plan)
    shard = plan.shard(job.part)
    if shard is None:
        return ScanOutcome(status=ScanStatus.bad_input, causes=[f"the plan has no part {job.part!r}"],
                           **_base(plan, job.site_id, job.scan_id))
    options = scan_options(plan.request, settings, time_budget(plan.request, deadline_s))
    ready = preflight(options, store, plan.site_id, plan.scan_id, check_duplicate=True)
    if isinstance(ready, ScanOutcome):
        return ready
    try:
        existing = parts.get_part(plan.site_id, plan.scan_id, shard.part)
        if existing is not None:
            part, status = EvidencePart.model_validate_json(existing), ScanStatus.duplicate
        else:
            try:
                part = _crawl_part(options, (plan.site_id, plan.scan_id, plan.started_at), shard.part, shard.phase,
                                   shard.shard, shard.pages, consent)
            except CrawlAborted as exc:  # a later phase never raises this, but a part must not be lost to it
                return ScanOutcome(status=ScanStatus.no_browser, causes=[str(exc)], **_base(plan, **base))
            part, status = _put_once(parts, plan.site_id, plan.scan_id, part.part, part), ScanStatus.part_stored
        assembled = assemble_if_complete(plan, settings, store, parts, chromium=ready)
    except StoreUnavailable as exc:
        return ScanOutcome(status=ScanStatus.store_failed, causes=[f"the store refused a part: {exc}"],
                           **_base(plan, **base))
    if assembled is not None and not (status is ScanStatus.duplicate and assembled.status is ScanStatus.duplicate):
        return assembled
    return _part_outcome(plan, part, status)


def assemble_if_complete(plan: FanOutPlan, settings: RuntimeSettings, store: ReportStore, parts: PartStore, *,
                         chromium: str | None) -> ScanOutcome | None:
    """The report, when every part the plan expects is stored (None: not yet). Two invocations may both
    get here; the report is one conditional write, so the second finds it there (`duplicate`)."""
    present = set(parts.part_names(plan.site_id, plan.scan_id))
    if not set(plan.expected_parts) <= present:
        return None
    if store.has_report(plan.site_id, plan.scan_id):
        return ScanOutcome(status=ScanStatus.duplicate, report_location=store.location(plan.site_id, plan.scan_id),
                           **_base(plan, plan.site_id, plan.scan_id))
    loaded = {name: EvidencePart.model_validate_json(parts.get_part(plan.site_id, plan.scan_id, name) or b"")
              for name in plan.expected_parts}
    evidence = assemble_evidence(plan, loaded)
    report = report_from_evidence(evidence, scan_scope(scan_options(plan.request, settings)))
    with tempfile.TemporaryDirectory(prefix="privacyscan-assemble-") as tmp:
        workdir = Path(tmp)
        _write_artefacts(loaded, workdir)
        return store_report(report, store, workdir, formats=plan.request.formats, lang=plan.request.lang,
                            chromium=chromium, fallback_dir=settings.effective_fallback_dir())


def scan_from_queue(message: ScanRequest | PhaseJob, settings: RuntimeSettings, store: ReportStore,
                    parts: PartStore, queue: ScanQueue | None, *, deadline_s: float | None = None) -> ScanOutcome:
    """One scan-queue message, whichever kind: a phase job runs its part; a scan request is fanned out when
    this machine is set to (`RuntimeSettings.fan_out`), else scanned in one invocation as always."""
    if isinstance(message, PhaseJob):
        return run_phase_job(message, settings, store, parts, deadline_s=deadline_s)
    if settings.fan_out == "phases" and queue is not None:
        return start_fanned_out_scan(message, settings, store, parts, queue, deadline_s=deadline_s)
    return scan_and_store(message, settings, store, deadline_s=deadline_s)
