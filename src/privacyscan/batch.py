"""Batch scans for agencies: many sites from one YAML or CSV file, N at a time, each its own report in the
store, under one batch id.

- Bounded memory: at most N workers, each a subprocess running the one use case (`store_scan`) with one
  Chromium; nothing of a finished site is kept in the parent but its one-line result.
- Isolation: a worker that crashes, fails or hangs past `site_timeout_s` is killed with its whole
  process group (its Chromium included) and recorded; the other sites go on.
- Resumable: a batch id is a point in time, and every site's scan id is derived from it (the use case's
  `slot`), so a restarted batch finds the reports it already finished in the store and skips those sites.
  An interrupted batch (Ctrl-C / SIGINT / SIGTERM) kills its running workers before they store anything,
  so those sites are scanned again on resume.
- The sites file is the same one `privacyscan sites import` pushes into the site registry: `parse_sites`
  is the parser both use.

Sites file, YAML: a list of URLs or of mappings (or `sites:` holding that list); CSV: a header row with
`url` and any of the other keys. Keys besides `url` and `label` are `ScanRequest` fields
(`max_pages`, `page_timeout_s`, `resolve` ...), per site.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .gate import load_gate_inputs
from .store import open_store
from .urls import scan_id as make_scan_id
from .urls import site_id as make_site_id
from .usecase import RuntimeSettings, ScanRequest, scan_options, store_scan

BATCH_ID_FORMAT = "%Y%m%dT%H%M%SZ"
EXIT_INTERRUPTED = 130


class BatchFileError(ValueError):
    """A sites file that cannot be read; the message names the file and the line or entry."""


class BatchSite(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    label: str | None = None
    options: dict = Field(default_factory=dict, description="ScanRequest fields for this site")


def parse_sites(path: Path) -> list[BatchSite]:
    """Read a sites file (YAML or CSV, by extension) into validated sites. Each site's options are checked
    against `ScanRequest` here, so a bad entry is reported before any scan starts."""
    text = path.read_text(encoding="utf-8")
    entries = _csv_entries(text, path) if path.suffix.lower() == ".csv" else _yaml_entries(text, path)
    sites = []
    seen: set[str] = set()
    for where, entry in entries:
        if isinstance(entry, str):
            entry = {"url": entry}
        if not isinstance(entry, dict) or not entry.get("url"):
            raise BatchFileError(f"{path}:{where}: an entry needs a url")
        options = {k: v for k, v in entry.items() if k not in ("url", "label") and v not in (None, "")}
        for key in ("resolve", "include", "exclude", "seeds", "phases", "formats"):
            if isinstance(options.get(key), str):
                options[key] = [part.strip() for part in options[key].split(";") if part.strip()]
        try:
            request = ScanRequest(site_url=str(entry["url"]).strip(), **options)
        except ValidationError as exc:
            error = exc.errors()[0]
            key = ".".join(str(p) for p in error["loc"]) or "url"
            raise BatchFileError(f"{path}:{where}: {key}: {error['msg'].removeprefix('Value error, ')}") from None
        if request.site_url in seen:
            raise BatchFileError(f"{path}:{where}: {request.site_url} is listed twice")
        seen.add(request.site_url)
        sites.append(BatchSite(url=request.site_url, label=entry.get("label") or None, options=options))
    if not sites:
        raise BatchFileError(f"{path}: no sites")
    return sites


def _yaml_entries(text: str, path: Path) -> list[tuple[str, object]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}" if mark is not None else "1"
        raise BatchFileError(f"{path}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if isinstance(data, dict) and "sites" in data:
        data = data["sites"]
    if not isinstance(data, list):
        raise BatchFileError(f"{path}: expected a list of sites (or `sites:` with one)")
    return [(f"entry {i}", entry) for i, entry in enumerate(data, start=1)]


def _csv_entries(text: str, path: Path) -> list[tuple[str, object]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "url" not in [f.strip() for f in reader.fieldnames]:
        raise BatchFileError(f"{path}:1: the header row needs a url column")
    entries = []
    for row in reader:
        cleaned = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if not any(cleaned.values()) or cleaned.get("url", "").startswith("#"):
            continue
        for key, value in list(cleaned.items()):
            if value.isdigit():
                cleaned[key] = int(value)
        entries.append((str(reader.line_num), cleaned))
    return entries


# ------------------------------------------------------------------------------------------ running


def new_batch_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime(BATCH_ID_FORMAT)


def batch_slot(batch_id: str) -> datetime:
    try:
        return datetime.strptime(batch_id, BATCH_ID_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise BatchFileError(f"invalid batch id {batch_id!r} (expected e.g. 20261130T083000Z)") from None


class SiteResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str
    label: str | None = None
    site_id: str
    scan_id: str
    status: str = Field(description="a ScanStatus value, or skipped / timed_out / worker_failed / interrupted")
    causes: list[str] = Field(default_factory=list)
    report_location: str | None = None
    findings: int = 0
    gate_passed: bool | None = None
    seconds: float = 0.0


class BatchState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    batch_id: str
    sites_file: str
    store: str
    started_at: datetime
    finished_at: datetime | None = None
    interrupted: bool = False
    results: dict[str, SiteResult] = Field(default_factory=dict, description="by site URL")


@dataclass
class BatchSettings:
    store: str
    workers: int = 2
    site_timeout_s: float = 900.0
    policy_file: str | None = None
    defaults: dict = field(default_factory=dict)  # ScanRequest fields for every site (a site's own win)
    runtime: RuntimeSettings = field(default_factory=RuntimeSettings)
    state_dir: Path | None = None  # default: <store>/batches for a local store, ./privacyscan-batches for S3


def state_path(settings: BatchSettings, batch_id: str) -> Path:
    if settings.state_dir is not None:
        base = Path(settings.state_dir)
    elif settings.store.startswith("s3://"):
        base = Path("privacyscan-batches")
    else:
        base = Path(settings.store) / "batches"
    return base / batch_id / "batch.json"


class BatchRunner:
    """Runs one batch; `stop()` (a signal handler calls it) kills running workers and ends the batch."""

    def __init__(self, sites: list[BatchSite], settings: BatchSettings, batch_id: str, sites_file: str = "",
                 on_result: Callable[[SiteResult], None] | None = None) -> None:
        self.sites = sites
        self.settings = settings
        self.batch_id = batch_id
        self.slot = batch_slot(batch_id)
        self.on_result = on_result
        self.path = state_path(settings, batch_id)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._running: dict[str, subprocess.Popen] = {}
        previous = BatchState.model_validate_json(self.path.read_text()) if self.path.is_file() else None
        self.state = BatchState(batch_id=batch_id, sites_file=sites_file, store=settings.store,
                                started_at=previous.started_at if previous else datetime.now(UTC),
                                results=previous.results if previous else {})

    # -- state
    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(self.state.model_dump_json(indent=2))
        os.replace(tmp, self.path)

    def _record(self, result: SiteResult) -> None:
        with self._lock:
            self.state.results[result.url] = result
            self._save()
        if self.on_result:
            self.on_result(result)

    # -- running
    def run(self) -> BatchState:
        store = open_store(self.settings.store)
        store.check_writable()
        self.state.interrupted = False
        self.state.finished_at = None
        self._save()
        with ThreadPoolExecutor(max_workers=max(1, self.settings.workers), thread_name_prefix="batch") as pool:
            futures = [pool.submit(self._one, site, store) for site in self.sites]
            for future in futures:
                future.result()
        with self._lock:
            self.state.interrupted = self._stopping.is_set()
            self.state.finished_at = None if self.state.interrupted else datetime.now(UTC)
            self._save()
        return self.state

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            running = list(self._running.values())
        for process in running:
            _kill_group(process)

    def _one(self, site: BatchSite, store) -> None:
        if self._stopping.is_set():
            return
        site_id = make_site_id(site.url)
        scan_id = make_scan_id(site.url, self.slot, self.slot)
        base = dict(url=site.url, label=site.label, site_id=site_id, scan_id=scan_id)
        try:
            if store.has_report(site_id, scan_id):  # finished in an earlier run of this batch
                earlier = self.state.results.get(site.url)
                if earlier is None or earlier.status in ("timed_out", "worker_failed", "interrupted"):
                    self._record(SiteResult(**base, status="skipped", causes=["a report for this batch exists"],
                                            report_location=store.location(site_id, scan_id)))
                elif self.on_result:
                    self.on_result(earlier.model_copy(update={"status": "skipped"}))
                return
        except Exception as exc:  # noqa: BLE001 - one site's store trouble must not stop the batch
            self._record(SiteResult(**base, status="store_failed", causes=[str(exc)]))
            return
        request = {**self.settings.defaults, **site.options, "site_url": site.url,
                   "scheduled_slot": self.slot.isoformat(), "label": site.label}
        job = {"request": request, "store": self.settings.store, "policy": self.settings.policy_file,
               "runtime": {"chromium_path": self.settings.runtime.chromium_path,
                           "allow_private_network": self.settings.runtime.allow_private_network,
                           "fallback_dir": self.settings.runtime.fallback_dir}}
        log = self.path.parent / "logs" / f"{site_id}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with log.open("ab") as log_file:
            process = subprocess.Popen([sys.executable, "-m", "privacyscan.batch"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=log_file, start_new_session=True)
            with self._lock:
                self._running[site.url] = process
            try:
                out, _ = process.communicate(json.dumps(job).encode(), timeout=self.settings.site_timeout_s)
            except subprocess.TimeoutExpired:
                _kill_group(process)
                process.communicate()
                self._record(SiteResult(**base, status="timed_out", seconds=round(time.monotonic() - started, 1),
                                        causes=[f"no result after {self.settings.site_timeout_s:.0f} s; the worker "
                                                "and its browser were killed"]))
                return
            finally:
                with self._lock:
                    self._running.pop(site.url, None)
        seconds = round(time.monotonic() - started, 1)
        if self._stopping.is_set():
            self._record(SiteResult(**base, status="interrupted", seconds=seconds,
                                    causes=["the batch was interrupted; scanned again on resume"]))
            return
        lines = out.decode("utf-8", "replace").strip().splitlines()
        try:
            outcome = json.loads(lines[-1])
        except (IndexError, ValueError):
            self._record(SiteResult(**base, status="worker_failed", seconds=seconds,
                                    causes=[f"the worker exited with {process.returncode} and no result; see {log}"]))
            return
        self._record(SiteResult(**base, status=outcome["status"], causes=outcome.get("causes", []),
                                report_location=outcome.get("report_location"), findings=outcome.get("findings", 0),
                                gate_passed=(outcome.get("gate") or {}).get("passed"), seconds=seconds))


def _kill_group(process: subprocess.Popen) -> None:
    """The worker runs in its own session: killing the group takes its Playwright driver and Chromium too."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def worker_main() -> int:
    """One site, in a worker subprocess: the job (JSON) on stdin, the outcome (JSON) as the last stdout line."""
    job = json.loads(sys.stdin.read())
    request = ScanRequest(**job["request"])
    runtime = RuntimeSettings(store_url=job["store"], **job["runtime"])
    policy, baseline, baseline_name = load_gate_inputs(job.get("policy"), None) if job.get("policy") else (
        None, None, None)
    outcome = store_scan(scan_options(request, runtime), open_store(job["store"]), formats=request.formats,
                         slot=request.scheduled_slot, fallback_dir=runtime.effective_fallback_dir(), policy=policy,
                         baseline=baseline, baseline_name=baseline_name)
    sys.stdout.write("\n" + outcome.model_dump_json() + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a worker stops (it kills it)
    sys.exit(worker_main())
