"""Which scheduled slots have come, computed from the same cron/rate expressions EventBridge Scheduler
runs, for `privacyscan sites run-due` on a machine without AWS (a cron job or systemd timer calls it)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from croniter import croniter

from .cron import aws_cron_to_croniter
from .sites import Schedule

_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def _year_ok(year_field: str, year: int) -> bool:
    if year_field == "*":
        return True
    for part in year_field.split(","):
        low, _, high = part.partition("-")
        if int(low) <= year <= int(high or low):
            return True
    return False


def latest_slot(schedule: Schedule, now: datetime, anchor: datetime) -> datetime | None:
    """The most recent slot at or before `now` (aware), or None when the schedule has not fired yet.
    `anchor` is when the schedule was created: rate schedules count from it, as Scheduler does."""
    rate = re.match(r"^rate\((\d+) (minute|hour|day)s?\)$", schedule.expression)
    if rate:
        step = timedelta(seconds=int(rate.group(1)) * _UNIT_SECONDS[rate.group(2)])
        if now < anchor + step:
            return None
        return anchor + ((now - anchor) // step) * step
    slot = _latest_cron_slot(schedule.expression, schedule.timezone, now)
    return None if slot is None or slot < anchor else slot.astimezone(anchor.tzinfo)


@lru_cache(maxsize=1024)
def _latest_cron_slot(expression: str, timezone: str, now: datetime) -> datetime | None:
    """Cached: planning a day asks this for thousands of sites that share a few expressions and one `now`."""
    cron, year_field = aws_cron_to_croniter(expression[5:-1])
    iterator = croniter(cron, now.astimezone(ZoneInfo(timezone)) + timedelta(seconds=1))
    for _ in range(1000):  # bounded: only year fields skip slots
        slot = iterator.get_prev(datetime)
        if _year_ok(year_field, slot.year):
            return slot
        if slot.year < 1970:
            return None
    return None
