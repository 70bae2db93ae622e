"""EventBridge Scheduler's cron dialect, translated for croniter (used to validate expressions and, in
`run-due`, to compute slots locally)."""

from __future__ import annotations

import re
from functools import lru_cache

from croniter import croniter


class BadSchedule(ValueError):
    """A schedule expression or time zone EventBridge Scheduler would not accept."""


@lru_cache(maxsize=4096)  # a registry holds few distinct expressions; validating one is slow
def aws_cron_to_croniter(body: str) -> tuple[str, str]:
    """AWS cron (6 fields, `?`, day-of-week 1=SUN..7=SAT) -> (5-field cron for croniter, year field)."""
    fields = body.split()
    if len(fields) != 6:
        raise BadSchedule(f"cron() takes 6 fields (minutes hours day-of-month month day-of-week year), got {len(fields)}")
    minute, hour, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise BadSchedule("exactly one of day-of-month and day-of-week must be '?'")
    if "W" in dom.upper():
        raise BadSchedule("the W (nearest weekday) form is not supported")
    if not re.fullmatch(r"\*|\d{4}(-\d{4})?(,\d{4}(-\d{4})?)*", year):
        raise BadSchedule(f"unsupported year field {year!r}")
    # AWS numbers days 1 (Sunday) to 7 (Saturday); classic cron 0 to 6.
    dow = re.sub(r"\b([1-7])\b", lambda m: str(int(m.group(1)) - 1), dow) if dow != "?" else "*"
    dom = "*" if dom == "?" else dom
    expression = f"{minute} {hour} {dom} {month} {dow}"
    if not croniter.is_valid(expression):
        raise BadSchedule(f"invalid cron fields {body!r}")
    return expression, year
