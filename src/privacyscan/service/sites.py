"""A registered site: what to scan, when, for whom, and who hears about changes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..urls import parse_site_url
from ..urls import site_id as make_site_id
from ..usecase import ScanRequest
from .cron import BadSchedule, aws_cron_to_croniter

# The scan settings a site may carry; everything else (store, Chromium) belongs to the machine.
REQUEST_FIELDS = frozenset({
    "max_pages", "max_depth", "phases", "time_budget_s", "settle_s", "page_timeout_s", "include", "exclude",
    "seeds", "resolve", "ignore_https_errors", "formats",
})
_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((.+)\)$")


class Schedule(BaseModel):
    """When a site is re-scanned, in EventBridge Scheduler's own syntax so the same value is deployed as is:
    `cron(min hour day-of-month month day-of-week year)` or `rate(N minutes|hours|days)`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    expression: str
    timezone: str = "UTC"

    @field_validator("expression")
    @classmethod
    def _expression(cls, value: str) -> str:
        value = value.strip()
        rate = _RATE.match(value)
        if rate:
            if int(rate.group(1)) < 1:
                raise BadSchedule("a rate must be at least 1")
            return value
        cron = _CRON.match(value)
        if cron:
            aws_cron_to_croniter(cron.group(1))  # raises BadSchedule
            return value
        raise BadSchedule(f"{value!r} is neither cron(...) nor rate(N minutes|hours|days)")

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise BadSchedule(f"unknown time zone {value!r}") from exc
        return value


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")
    site_id: str
    url: str
    schedule: Schedule | None = None
    label: str | None = Field(default=None, description="client / owner")
    notify: str | None = Field(default=None, description="e-mail address for change alerts")
    request: dict[str, Any] = Field(default_factory=dict, description="scan settings (ScanRequest fields)")
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    @field_validator("request")
    @classmethod
    def _request(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = set(value) - REQUEST_FIELDS
        if unknown:
            raise ValueError(f"not a per-site scan setting: {', '.join(sorted(unknown))}")
        return value

    @classmethod
    def new(cls, url: str, **fields: Any) -> Site:
        """A site from a user-given URL (validated and normalised; its id is the store's site id)."""
        clean = parse_site_url(url)
        return cls(site_id=make_site_id(clean), url=clean, **fields)

    def scan_request(self, scheduled_slot: datetime | None = None):
        """The use case's ScanRequest for this site (and slot, when a schedule fired)."""
        return ScanRequest(site_url=self.url, label=self.label, scheduled_slot=scheduled_slot, **self.request)


class SiteExists(KeyError):
    pass


class SiteNotFound(KeyError):
    pass


SLOT_PLACEHOLDER = "<aws.scheduler.scheduled-time>"


def schedule_input(site: Site) -> str:
    """The scan message a schedule sends: the site's ScanRequest with the firing time as its slot
    (Scheduler substitutes the placeholder), so the scan id is the same for every delivery of one slot."""
    body: dict[str, Any] = {"site_url": site.url, **site.request, "scheduled_slot": SLOT_PLACEHOLDER}
    if site.label is not None:
        body["label"] = site.label
    return json.dumps(body, sort_keys=True)


def schedule_name(site_id: str) -> str:
    """Scheduler names are at most 64 characters of [0-9A-Za-z_.-]; a site id is host + '-' + 8 hex."""
    return site_id if len(site_id) <= 64 else f"{site_id[:55]}{site_id[-9:]}"
