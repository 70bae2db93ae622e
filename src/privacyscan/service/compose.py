"""One place per entry point that picks the adapters: `compose_sites()` for the CLI and the API (local
SQLite or DynamoDB + EventBridge Scheduler + SQS), `compose_lambda()` for the handlers (environment set by
template.yaml). Nothing else in the package reads these environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..crawl.browser_factory import BrowserFactory, compose_browser
from ..store import ReportStore, open_store
from ..usecase import RuntimeSettings
from .alerts import LocalReportHistory, ReportHistory, S3ReportHistory
from .queue import ScanQueue, SqliteScanQueue, SqsScanQueue
from .registry import DynamoSiteRegistry, SiteRegistry, SqliteSiteRegistry
from .schedules import EventBridgeSchedules, Schedules, SqliteSchedules
from .sites import Site, SiteExists, SiteNotFound

DEFAULT_STORE = "./privacyscan-reports"
REGISTRY_FILE = "privacyscan-sites.sqlite"


def default_registry(environ: Mapping[str, str] = os.environ) -> str:
    """PRIVACYSCAN_REGISTRY, else an SQLite file beside the local reports folder."""
    if environ.get("PRIVACYSCAN_REGISTRY"):
        return environ["PRIVACYSCAN_REGISTRY"]
    store = environ.get("PRIVACYSCAN_STORE") or DEFAULT_STORE
    base = Path(".") if store.startswith("s3://") else Path(store).resolve().parent
    return str(base / REGISTRY_FILE)


@dataclass
class SiteService:
    """Registry and schedules kept in step: adding or changing a site writes its schedule, removing it
    deletes the schedule. The CLI and the API both go through here."""

    registry: SiteRegistry
    schedules: Schedules
    queue: ScanQueue

    def add(self, site: Site) -> Site:
        self.registry.add(site)
        try:
            self.schedules.put(site)
        except Exception:
            self.registry.remove(site.site_id)  # no site without its schedule
            raise
        return site

    def update(self, site_id: str, **changes) -> Site:
        current = self.registry.get(site_id)
        if current is None:
            raise SiteNotFound(site_id)
        merged = current.model_dump() | changes | {"updated_at": datetime.now(UTC).replace(microsecond=0)}
        site = Site.model_validate(merged)
        self.registry.update(site)
        self.schedules.put(site)
        return site

    def remove(self, site_id: str) -> bool:
        self.schedules.delete(site_id)
        return self.registry.remove(site_id)

    def import_sites(self, sites: list[Site], replace: bool = False) -> tuple[int, int]:
        """(added, skipped): sites already registered are skipped unless `replace`."""
        added = skipped = 0
        for site in sites:
            try:
                self.add(site)
                added += 1
            except SiteExists:
                if replace:
                    self.update(site.site_id, **site.model_dump(exclude={"site_id", "created_at", "updated_at"}))
                    added += 1
                else:
                    skipped += 1
        return added, skipped


def compose_sites(registry: str | None = None, environ: Mapping[str, str] = os.environ) -> SiteService:
    url = registry or default_registry(environ)
    if url.startswith("dynamodb://"):
        # Read every name first: a missing one is a KeyError before any client is made.
        group, queue_arn = environ["PRIVACYSCAN_SCHEDULE_GROUP"], environ["PRIVACYSCAN_SCAN_QUEUE_ARN"]
        role_arn, queue_url = environ["PRIVACYSCAN_SCHEDULER_ROLE_ARN"], environ["PRIVACYSCAN_SCAN_QUEUE_URL"]
        return SiteService(
            registry=DynamoSiteRegistry(url.removeprefix("dynamodb://")),
            schedules=EventBridgeSchedules(group=group, queue_arn=queue_arn, role_arn=role_arn,
                                           dead_letter_arn=environ.get("PRIVACYSCAN_SCHEDULE_DLQ_ARN") or None),
            queue=SqsScanQueue(queue_url),
        )
    path = url.removeprefix("sqlite://")
    return SiteService(registry=SqliteSiteRegistry(path), schedules=SqliteSchedules(path), queue=SqliteScanQueue(path))


@dataclass(frozen=True)
class ScanServices:
    settings: RuntimeSettings
    store: ReportStore
    deadline_margin_s: float
    browser: BrowserFactory

    def settings_for_scan(self) -> RuntimeSettings:
        """The settings with this environment's browser made launchable: in Lambda the layer's Chromium is
        unpacked to /tmp on the first scan of an execution environment (later scans only check a marker).
        Done per scan, not at init, so a full /tmp or a missing layer is a retryable failure of one message.
        Raises BrowserUnavailable, NotEnoughSpace or LayerMissing."""
        return self.settings.with_browser(self.browser.prepare())


def compose_scan(environ: Mapping[str, str] = os.environ) -> ScanServices:
    """The scan handler's adapters: settings read once from the environment, the store they name."""
    settings = RuntimeSettings.from_env(environ)
    return ScanServices(settings=settings, store=open_store(settings.store_url),
                        deadline_margin_s=float(environ.get("PRIVACYSCAN_DEADLINE_MARGIN_S", "60")),
                        browser=compose_browser(environ, settings.chromium_path))


@dataclass
class ApiServices:
    sites: SiteService
    store: ReportStore
    history: ReportHistory
    settings: RuntimeSettings


def compose_api(environ: Mapping[str, str] = os.environ) -> ApiServices:
    settings = RuntimeSettings.from_env(environ)
    store_url = settings.store_url
    if store_url.startswith("s3://"):
        bucket, _, prefix = store_url[5:].partition("/")
        history = S3ReportHistory(bucket, prefix)
    else:
        history = LocalReportHistory(store_url)
    return ApiServices(sites=compose_sites(environ.get("PRIVACYSCAN_REGISTRY"), environ), store=open_store(store_url),
                       history=history, settings=settings)
