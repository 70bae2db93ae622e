"""Per-site re-scan schedules. On AWS each site has one EventBridge Scheduler schedule whose target is the
scan queue (we write no scheduler loop of our own); locally the same expressions live in the registry's
SQLite file and `privacyscan sites run-due` asks which slots have come."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from .sites import Schedule, Site, schedule_input, schedule_name
from .slots import latest_slot
from .sqlite import open_sqlite


@dataclass(frozen=True)
class ScheduleEntry:
    site_id: str
    expression: str
    timezone: str
    input: str  # the message each firing sends (placeholder for the scheduled time still in it)
    created_at: datetime


class Schedules(Protocol):
    def put(self, site: Site) -> None:
        """Create or replace the site's schedule (a site without a schedule gets none)."""

    def get(self, site_id: str) -> ScheduleEntry | None: ...

    def delete(self, site_id: str) -> bool:
        """True when a schedule existed."""


class SqliteSchedules:
    def __init__(self, path: str | Path) -> None:
        self._lock = threading.Lock()
        self._db = open_sqlite(path, "CREATE TABLE IF NOT EXISTS schedules (site_id TEXT PRIMARY KEY, "
                               "expression TEXT NOT NULL, timezone TEXT NOT NULL, input TEXT NOT NULL, "
                               "created_at TEXT NOT NULL)")

    def put(self, site: Site) -> None:
        if site.schedule is None:
            self.delete(site.site_id)
            return
        with self._lock:
            # Like Scheduler, a changed schedule keeps its creation time (rate slots stay where they were).
            self._db.execute(
                "INSERT INTO schedules VALUES (?, ?, ?, ?, ?) ON CONFLICT(site_id) DO UPDATE SET "
                "expression = excluded.expression, timezone = excluded.timezone, input = excluded.input",
                (site.site_id, site.schedule.expression, site.schedule.timezone, schedule_input(site),
                 site.created_at.astimezone(UTC).isoformat()))

    def get(self, site_id: str) -> ScheduleEntry | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM schedules WHERE site_id = ?", (site_id,)).fetchone()
        return _entry(row) if row else None

    def delete(self, site_id: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM schedules WHERE site_id = ?", (site_id,)).rowcount > 0

    def due(self, now: datetime) -> list[tuple[ScheduleEntry, datetime]]:
        """Each schedule with the latest slot that has come by `now` (one pass over the schedules)."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM schedules ORDER BY site_id").fetchall()
        found = []
        for row in rows:
            entry = _entry(row)
            slot = latest_slot(Schedule(expression=entry.expression, timezone=entry.timezone), now, entry.created_at)
            if slot is not None:
                found.append((entry, slot.astimezone(UTC)))
        return found


def _entry(row) -> ScheduleEntry:
    site_id, expression, timezone, body, created = row
    return ScheduleEntry(site_id=site_id, expression=expression, timezone=timezone, input=body,
                         created_at=datetime.fromisoformat(created))


class EventBridgeSchedules:
    """One schedule per site in a schedule group, targeting the scan queue with the site's scan message."""

    def __init__(self, group: str, queue_arn: str, role_arn: str, dead_letter_arn: str | None = None,
                 client=None) -> None:
        if client is None:
            import boto3

            client = boto3.client("scheduler")  # honours AWS_ENDPOINT_URL
        self.group, self.queue_arn, self.role_arn, self.dead_letter_arn = group, queue_arn, role_arn, dead_letter_arn
        self.scheduler = client

    def put(self, site: Site) -> None:
        from botocore.exceptions import ClientError

        if site.schedule is None:
            self.delete(site.site_id)
            return
        target = {"Arn": self.queue_arn, "RoleArn": self.role_arn, "Input": schedule_input(site),
                  "RetryPolicy": {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 3}}
        if self.dead_letter_arn:
            target["DeadLetterConfig"] = {"Arn": self.dead_letter_arn}
        spec = dict(Name=schedule_name(site.site_id), GroupName=self.group,
                    ScheduleExpression=site.schedule.expression,
                    ScheduleExpressionTimezone=site.schedule.timezone, FlexibleTimeWindow={"Mode": "OFF"},
                    Target=target, State="ENABLED", Description=f"privacyscan {site.url}"[:512])
        try:
            self.scheduler.update_schedule(**spec)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            self.scheduler.create_schedule(**spec)

    def get(self, site_id: str) -> ScheduleEntry | None:
        from botocore.exceptions import ClientError

        try:
            found = self.scheduler.get_schedule(Name=schedule_name(site_id), GroupName=self.group)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ResourceNotFoundException":
                return None
            raise
        return ScheduleEntry(site_id=site_id, expression=found["ScheduleExpression"],
                             timezone=found.get("ScheduleExpressionTimezone") or "UTC",
                             input=found["Target"]["Input"], created_at=found["CreationDate"])

    def delete(self, site_id: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.scheduler.delete_schedule(Name=schedule_name(site_id), GroupName=self.group)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ResourceNotFoundException":
                return False
            raise
        return True
