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
from ..store import PartStore, ReportStore, open_store
from ..usecase import RuntimeSettings
from .notifier import (
    AlertSubscriptions,
    FileNotifier,
    Notifier,
    OutboxSubscriptions,
    SnsAlertSubscriptions,
    SnsNotifier,
)
from .queue import ScanQueue, SqliteScanQueue, SqsScanQueue
from .registry import DynamoSiteRegistry, SiteRegistry, SqliteSiteRegistry
from .schedules import EventBridgeSchedules, Schedules, SqliteSchedules
from .sites import Site, SiteExists, SiteNotFound

DEFAULT_STORE = "./privacyscan-reports"
REGISTRY_FILE = "privacyscan-sites.sqlite"
OUTBOX_FILE = "privacyscan-alerts.jsonl"


def default_registry(environ: Mapping[str, str] = os.environ) -> str:
    """PRIVACYSCAN_REGISTRY, else an SQLite file beside the local reports folder."""
    if environ.get("PRIVACYSCAN_REGISTRY"):
        return environ["PRIVACYSCAN_REGISTRY"]
    store = environ.get("PRIVACYSCAN_STORE") or DEFAULT_STORE
    base = Path(".") if store.startswith("s3://") else Path(store).resolve().parent
    return str(base / REGISTRY_FILE)


def default_outbox(environ: Mapping[str, str] = os.environ, registry: str | None = None) -> Path:
    """PRIVACYSCAN_ALERT_OUTBOX, else a JSON-lines file beside the local registry."""
    if environ.get("PRIVACYSCAN_ALERT_OUTBOX"):
        return Path(environ["PRIVACYSCAN_ALERT_OUTBOX"])
    registry = (registry or default_registry(environ)).removeprefix("sqlite://")
    base = Path(".") if registry.startswith("dynamodb://") else Path(registry).resolve().parent
    return base / OUTBOX_FILE


@dataclass
class SiteService:
    """Registry, schedules and alert subscriptions kept in step: adding or changing a site writes its
    schedule and subscribes its alert address, removing it deletes the schedule. The CLI and the API both go
    through here."""

    registry: SiteRegistry
    schedules: Schedules
    queue: ScanQueue
    subscriptions: AlertSubscriptions

    def add(self, site: Site) -> Site:
        if site.notify:
            self.subscriptions.subscribe(site.notify)  # first: a failure leaves nothing half-registered
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
        if site.notify and site.notify != current.notify:
            self.subscriptions.subscribe(site.notify)
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
            subscriptions=SnsAlertSubscriptions(environ["PRIVACYSCAN_ALERT_TOPIC_ARN"]),
        )
    path = url.removeprefix("sqlite://")
    return SiteService(registry=SqliteSiteRegistry(path), schedules=SqliteSchedules(path), queue=SqliteScanQueue(path),
                       subscriptions=OutboxSubscriptions())


@dataclass(frozen=True)
class ScanServices:
    settings: RuntimeSettings
    store: ReportStore
    deadline_margin_s: float
    browser: BrowserFactory
    parts: PartStore  # a fanned-out scan's parts: the same store
    queue: ScanQueue | None = None  # where a fanned-out scan sends its phase jobs: the scan queue itself

    def settings_for_scan(self) -> RuntimeSettings:
        """The settings with this environment's browser made launchable: in Lambda the layer's Chromium is
        unpacked to /tmp on the first scan of an execution environment (later scans only check a marker).
        Done per scan, not at init, so a full /tmp or a missing layer is a retryable failure of one message.
        Raises BrowserUnavailable, NotEnoughSpace or LayerMissing."""
        return self.settings.with_browser(self.browser.prepare())


def compose_scan(environ: Mapping[str, str] = os.environ) -> ScanServices:
    """The scan handler's adapters: settings read once from the environment, the store they name, and
    with fan-out on (PRIVACYSCAN_FANOUT=phases) the scan queue the phase jobs go to."""
    settings = RuntimeSettings.from_env(environ)
    store = open_store(settings.store_url)
    queue = None
    if settings.fan_out == "phases":
        url = environ.get("PRIVACYSCAN_SCAN_QUEUE_URL", "").strip()
        if not url:
            raise ValueError("PRIVACYSCAN_FANOUT=phases needs PRIVACYSCAN_SCAN_QUEUE_URL (the queue the phase jobs go to)")
        queue = SqsScanQueue(url)
    return ScanServices(settings=settings, store=store,
                        deadline_margin_s=float(environ.get("PRIVACYSCAN_DEADLINE_MARGIN_S", "60")),
                        browser=compose_browser(environ, settings.chromium_path), parts=store, queue=queue)


@dataclass
class ApiServices:
    sites: SiteService
    store: ReportStore
    settings: RuntimeSettings


def compose_api(environ: Mapping[str, str] = os.environ) -> ApiServices:
    settings = RuntimeSettings.from_env(environ)
    return ApiServices(sites=compose_sites(environ.get("PRIVACYSCAN_REGISTRY"), environ),
                       store=open_store(settings.store_url), settings=settings)


@dataclass
class AlertServices:
    """What the alert use case needs: the store with the reports, where alerts go, and the registry that
    knows each site's own address."""

    store: ReportStore
    notifier: Notifier
    registry: SiteRegistry

    def recipient(self, site_id: str) -> str | None:
        site = self.registry.get(site_id)
        return site.notify if site is not None else None


def compose_alerts(environ: Mapping[str, str] = os.environ, store_url: str | None = None,
                   registry: str | None = None) -> AlertServices:
    """The notify function's adapters on AWS (SNS topic, DynamoDB registry), the outbox file and SQLite
    registry locally. `store_url` and `registry` override the environment's (the CLI's --out, --registry)."""
    store_url = store_url or RuntimeSettings.from_env(environ).store_url
    registry_url = registry or default_registry(environ)
    if registry_url.startswith("dynamodb://"):
        sites: SiteRegistry = DynamoSiteRegistry(registry_url.removeprefix("dynamodb://"))
    else:
        sites = SqliteSiteRegistry(registry_url.removeprefix("sqlite://"))
    topic = environ.get("PRIVACYSCAN_ALERT_TOPIC_ARN", "").strip()
    notifier: Notifier = SnsNotifier(topic) if topic else FileNotifier(default_outbox(environ, registry_url))
    return AlertServices(store=open_store(store_url), notifier=notifier, registry=sites)
