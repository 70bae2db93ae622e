"""`privacyscan sites ...`: the site registry from the command line, against the embedded SQLite file
beside the reports (default, no AWS at all) or the stack's DynamoDB table (`--registry dynamodb://TABLE`,
with the schedule group, queue and scheduler role from the environment)."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from pydantic import ValidationError

from .service.alerts import alert_on_report
from .service.compose import SiteService, compose_alerts, compose_sites
from .service.cron import BadSchedule
from .service.schedules import SqliteSchedules
from .service.sites import Schedule, Site, SiteExists, SiteNotFound
from .urls import BadUrl
from .usecase import RuntimeSettings, ScanStatus, scan_and_store

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_NOT_FOUND = 0, 1, 2, 3
# Outcomes whose report is newly in the store: each may have something to tell the site's people.
NEW_REPORT = frozenset({ScanStatus.written, ScanStatus.incomplete, ScanStatus.interrupted, ScanStatus.unreachable})

registry_option = click.option(
    "--registry", default=None, envvar="PRIVACYSCAN_REGISTRY",
    help="SQLite file, or dynamodb://TABLE [default: privacyscan-sites.sqlite beside ./privacyscan-reports]")


def _fail(code: int, message: str):
    click.echo(f"privacyscan: {message}", err=True)
    sys.exit(code)


def _service(registry: str | None) -> SiteService:
    try:
        return compose_sites(registry)
    except KeyError as exc:
        _fail(EXIT_BAD_INPUT, f"a DynamoDB registry needs the environment variable {exc.args[0]}")


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        return f"{where}: {err['msg']}" if where else err["msg"]
    return str(exc).splitlines()[0]


def _schedule(expression: str | None, timezone: str) -> Schedule | None:
    if not expression:
        return None
    try:
        return Schedule(expression=expression, timezone=timezone)
    except (ValidationError, BadSchedule) as exc:
        _fail(EXIT_BAD_INPUT, f"invalid --schedule: {_error_text(exc)}")


def _request(max_pages: int | None, max_depth: int | None, phases: str | None, time_budget: float | None,
             resolve: tuple[str, ...] = (), ignore_https_errors: bool = False) -> dict:
    request: dict = {}
    if max_pages is not None:
        request["max_pages"] = max_pages
    if max_depth is not None:
        request["max_depth"] = max_depth
    if phases:
        request["phases"] = [p.strip() for p in phases.split(",") if p.strip()]
    if time_budget is not None:
        request["time_budget_s"] = time_budget
    if resolve:
        request["resolve"] = list(resolve)
    if ignore_https_errors:
        request["ignore_https_errors"] = True
    return request


def _validated(site: Site) -> Site:
    """Checks the site's scan settings the way the scan will read them."""
    try:
        site.scan_request()
    except ValidationError as exc:
        _fail(EXIT_BAD_INPUT, _error_text(exc))
    return site


@click.group()
def sites() -> None:
    """Register sites, their re-scan schedules and alert addresses; scan the ones whose slot has come."""


scan_settings = [
    click.option("--max-pages", type=click.IntRange(1, 10_000), default=None),
    click.option("--max-depth", type=click.IntRange(0, 50), default=None),
    click.option("--phases", default=None, help="comma list of before_consent,after_reject,after_accept"),
    click.option("--time-budget", type=click.FloatRange(5, 86_400), default=None),
]


def with_scan_settings(func):
    for option in reversed(scan_settings):
        func = option(func)
    return func


@sites.command("add")
@click.argument("url")
@click.option("--schedule", "expression", default=None, metavar="EXPR",
              help="EventBridge Scheduler expression: 'cron(0 6 ? * MON-FRI *)' or 'rate(1 day)'")
@click.option("--timezone", default="UTC", show_default=True)
@click.option("--label", default=None, help="client / owner")
@click.option("--notify", default=None, help="e-mail address for change alerts")
@click.option("--resolve", multiple=True, metavar="HOST:ADDR[:PORT]")
@click.option("--ignore-https-errors", is_flag=True)
@with_scan_settings
@registry_option
def add(url, expression, timezone, label, notify, resolve, ignore_https_errors, max_pages, max_depth, phases,
        time_budget, registry):
    """Register URL (and create its schedule)."""
    try:
        site = Site.new(url, schedule=_schedule(expression, timezone), label=label, notify=notify,
                        request=_request(max_pages, max_depth, phases, time_budget, resolve, ignore_https_errors))
    except (BadUrl, ValidationError, ValueError) as exc:
        _fail(EXIT_BAD_INPUT, _error_text(exc))
    try:
        _service(registry).add(_validated(site))
    except SiteExists:
        _fail(EXIT_FAILED, f"{site.site_id} is registered already (use `privacyscan sites update`)")
    click.echo(site.site_id)


@sites.command("list")
@click.option("--label", default=None)
@click.option("--json", "as_json", is_flag=True)
@registry_option
def list_sites(label, as_json, registry):
    """List registered sites (one line each, or JSON lines)."""
    for site in _service(registry).registry.sites(label):
        if as_json:
            click.echo(site.model_dump_json())
        else:
            when = f"{site.schedule.expression} {site.schedule.timezone}" if site.schedule else "-"
            click.echo(f"{site.site_id}\t{site.url}\t{when}\t{site.label or '-'}")


@sites.command("show")
@click.argument("site_id")
@registry_option
def show(site_id, registry):
    """Print one site (JSON) with its deployed schedule."""
    service = _service(registry)
    site = service.registry.get(site_id)
    if site is None:
        _fail(EXIT_NOT_FOUND, f"no site {site_id}")
    payload = json.loads(site.model_dump_json())
    entry = service.schedules.get(site_id)
    payload["deployed_schedule"] = None if entry is None else {
        "expression": entry.expression, "timezone": entry.timezone, "input": json.loads(entry.input)}
    click.echo(json.dumps(payload, indent=2))


@sites.command("update")
@click.argument("site_id")
@click.option("--schedule", "expression", default=None, metavar="EXPR")
@click.option("--timezone", default=None)
@click.option("--no-schedule", is_flag=True, help="remove the site's schedule")
@click.option("--label", default=None)
@click.option("--notify", default=None)
@with_scan_settings
@registry_option
def update(site_id, expression, timezone, no_schedule, label, notify, max_pages, max_depth, phases, time_budget,
           registry):
    """Change a site; its schedule follows."""
    service = _service(registry)
    current = service.registry.get(site_id)
    if current is None:
        _fail(EXIT_NOT_FOUND, f"no site {site_id}")
    changes: dict = {}
    if no_schedule:
        changes["schedule"] = None
    elif expression or timezone:
        base = current.schedule
        if not expression and base is None:
            _fail(EXIT_BAD_INPUT, "--timezone needs --schedule (the site has no schedule)")
        changes["schedule"] = _schedule(expression or base.expression, timezone or (base.timezone if base else "UTC"))
    if label is not None:
        changes["label"] = label or None
    if notify is not None:
        changes["notify"] = notify or None
    request = _request(max_pages, max_depth, phases, time_budget)
    if request:
        changes["request"] = current.request | request
    try:
        site = service.update(site_id, **changes)
    except (ValidationError, ValueError) as exc:
        _fail(EXIT_BAD_INPUT, _error_text(exc))
    except SiteNotFound:
        _fail(EXIT_NOT_FOUND, f"no site {site_id}")
    _validated(site)
    click.echo(site.site_id)


@sites.command("remove")
@click.argument("site_id")
@registry_option
def remove(site_id, registry):
    """Remove a site and its schedule (its reports stay)."""
    if not _service(registry).remove(site_id):
        _fail(EXIT_NOT_FOUND, f"no site {site_id}")
    click.echo(f"removed {site_id}")


@sites.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="update sites that are registered already")
@registry_option
def import_sites(path, replace, registry):
    """Register many sites from a CSV (url,schedule,timezone,label,notify) or JSON-lines file."""
    rows = _read_rows(Path(path))
    found: list[Site] = []
    for number, row in enumerate(rows, start=1):
        try:
            schedule = Schedule(expression=row["schedule"], timezone=row.get("timezone") or "UTC") \
                if row.get("schedule") else None
            found.append(_validated(Site.new(row["url"], schedule=schedule, label=row.get("label") or None,
                                             notify=row.get("notify") or None, request=row.get("request") or {})))
        except (KeyError, BadUrl, ValidationError, ValueError) as exc:
            _fail(EXIT_BAD_INPUT, f"{path} line {number}: {_error_text(exc) if not isinstance(exc, KeyError) else 'no url'}")
    added, skipped = _service(registry).import_sites(found, replace=replace)
    click.echo(f"{added} added, {skipped} already registered")


def _read_rows(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".jsonl", ".json", ".ndjson"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [dict(row) for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))]


@sites.command("run-due")
@click.option("--now", "now_text", default=None, help="ISO time to act as now (default: the clock)")
@click.option("--out", default=None, envvar="PRIVACYSCAN_STORE", help="folder or s3://bucket/prefix")
@click.option("--dry-run", is_flag=True, help="print the due sites without scanning")
@registry_option
def run_due(now_text, out, dry_run, registry):
    """Scan every site whose latest slot has come and was not scanned yet (call it from cron or a systemd
    timer). A slot is claimed before its scan, so overlapping runs scan it once; the scan id is
    deterministic per site and slot, so a slot already in the store is not written again."""
    service = _service(registry)
    if not isinstance(service.schedules, SqliteSchedules):
        _fail(EXIT_BAD_INPUT, "run-due is for the local registry; on AWS, EventBridge Scheduler fires the schedules")
    now = datetime.fromisoformat(now_text) if now_text else datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    due = service.schedules.due(now)
    if dry_run:
        for entry, slot in due:
            click.echo(f"{entry.site_id}\t{slot.isoformat()}")
        return
    settings = RuntimeSettings.from_env()
    if out:
        settings = dataclasses.replace(settings, store_url=out)
    alerts = compose_alerts(store_url=settings.store_url, registry=registry)
    store = alerts.store  # the alert reads the reports the scans write: one store
    failures = 0
    for entry, slot in due:
        site = service.registry.get(entry.site_id)
        if site is None or not service.registry.claim_slot(site.site_id, slot):
            continue
        outcome = scan_and_store(site.scan_request(scheduled_slot=slot), settings, store)
        click.echo(f"{site.site_id}\t{slot.isoformat()}\t{outcome.status.value}\t{outcome.report_location or '-'}")
        if outcome.status in NEW_REPORT:  # the same alert the notify function sends on AWS
            alert_on_report(alerts.store, site.site_id, outcome.scan_id, outcome.report_location or "",
                            alerts.notifier, site.notify)
        if outcome.retryable:  # give the slot back: the next run tries it again
            service.registry.release_slot(site.site_id, slot)
            failures += 1
    sys.exit(EXIT_FAILED if failures else EXIT_OK)
