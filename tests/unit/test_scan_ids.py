"""Scan ids: unique per scan (two scans of one site in the same second do not collide), deterministic
per scheduled slot (a redelivered schedule message names the same scan), safe as file names and keys."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from privacyscan.urls import scan_id

SITE = "https://www.example.no/"
SAFE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def test_scans_started_in_the_same_second_get_different_ids():
    started = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
    ids = {scan_id(SITE, started) for _ in range(1000)}
    assert len(ids) == 1000
    assert all(SAFE.match(i) and i.startswith("20261123T100000Z-") for i in ids)


def test_unique_ids_sort_by_start_time():
    base = datetime(2026, 11, 23, 23, 59, 58, tzinfo=UTC)
    ids = [scan_id(SITE, base + timedelta(seconds=s)) for s in range(5)]
    assert ids == sorted(ids)
    # the time is UTC whatever zone the caller used
    oslo = timezone(timedelta(hours=1))
    assert scan_id(SITE, datetime(2026, 11, 24, 0, 30, tzinfo=oslo)).startswith("20261123T233000Z-")


def test_a_scheduled_slot_gives_the_same_id_for_every_delivery():
    slot = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    first = scan_id(SITE, datetime(2026, 11, 23, 3, 0, 2, tzinfo=UTC), slot)
    redelivered = scan_id(SITE, datetime(2026, 11, 23, 3, 7, 45, tzinfo=UTC), slot)
    assert first == redelivered == "sched-20261123T030000Z"
    assert scan_id(SITE, datetime.now(UTC), slot + timedelta(days=1)) != first  # the next slot is a new scan
    assert scan_id(SITE, datetime.now(UTC), datetime(2026, 11, 23, 3, 0)) == first  # naive slot = UTC
    assert SAFE.match(first)


def test_an_iso_start_time_from_older_callers_still_works():
    assert scan_id(SITE, "2026-11-23T10:00:00+00:00").startswith("20261123T100000Z-")
