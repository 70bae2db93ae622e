"""Schedule expressions are EventBridge Scheduler's own syntax; `run-due` computes the same slots locally.
Each rule has a case that fires, one that does not, and a look-alike that must not be taken for it."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from privacyscan.service.cron import aws_cron_to_croniter
from privacyscan.service.queue import SqliteScanQueue
from privacyscan.service.registry import SqliteSiteRegistry
from privacyscan.service.schedules import SqliteSchedules
from privacyscan.service.sites import SLOT_PLACEHOLDER, Schedule, Site, schedule_input, schedule_name
from privacyscan.service.slots import latest_slot

ANCHOR = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)  # a Sunday


@pytest.mark.parametrize("expression", ["cron(0 6 ? * MON-FRI *)", "cron(30 2 1 * ? *)", "rate(1 day)",
                                        "rate(15 minutes)", "cron(0 6 ? * 2 2026-2030)"])
def test_scheduler_expressions_are_accepted(expression):
    assert Schedule(expression=expression).expression == expression


@pytest.mark.parametrize("expression", ["0 6 * * *", "cron(0 6 * * * *)", "cron(0 6 ? * ? *)", "rate(0 days)",
                                        "rate(1 fortnight)", "cron(0 6 15W * ? *)", "at(2026-12-01T00:00:00)",
                                        "cron(0 6 ? * MON-FRI)"])
def test_what_scheduler_would_reject_is_rejected(expression):
    with pytest.raises(ValidationError):
        Schedule(expression=expression)


def test_an_unknown_time_zone_is_rejected_and_a_real_one_kept():
    with pytest.raises(ValidationError):
        Schedule(expression="rate(1 day)", timezone="Europe/Atlantis")
    assert Schedule(expression="rate(1 day)", timezone="Europe/Oslo").timezone == "Europe/Oslo"


def test_aws_day_numbers_are_sunday_first():
    assert aws_cron_to_croniter("0 6 ? * 2 *") == ("0 6 * * 1", "*")  # AWS 2 = Monday = cron 1
    assert aws_cron_to_croniter("0 6 ? * 1-7 *") == ("0 6 * * 0-6", "*")
    assert aws_cron_to_croniter("0 6 15 * ? *") == ("0 6 15 * *", "*")  # decoy: day-of-month untouched


def test_weekday_cron_in_oslo_time():
    schedule = Schedule(expression="cron(0 6 ? * MON-FRI *)", timezone="Europe/Oslo")
    monday_9_utc = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert latest_slot(schedule, monday_9_utc, ANCHOR) == datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # 06:00 CET
    monday_4_utc = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # before 06:00 Oslo: Friday's slot
    assert latest_slot(schedule, monday_4_utc, ANCHOR) == datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    sunday = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # decoy: a weekend day has no slot of its own
    assert latest_slot(schedule, sunday, ANCHOR) == datetime(2026, 11, 27, 5, 0, tzinfo=UTC)


def test_summer_time_moves_the_utc_slot():
    schedule = Schedule(expression="cron(0 6 * * ? *)", timezone="Europe/Oslo")
    assert latest_slot(schedule, datetime(2026, 7, 1, 12, tzinfo=UTC), ANCHOR - timedelta(days=365)) == \
        datetime(2026, 7, 1, 4, 0, tzinfo=UTC)  # 06:00 CEST


def test_no_slot_before_the_schedule_existed():
    schedule = Schedule(expression="cron(0 6 * * ? *)")
    assert latest_slot(schedule, ANCHOR + timedelta(hours=5), ANCHOR) is None
    assert latest_slot(schedule, ANCHOR + timedelta(hours=6), ANCHOR) == ANCHOR + timedelta(hours=6)


def test_rate_slots_count_from_creation():
    schedule = Schedule(expression="rate(12 hours)")
    created = datetime(2026, 11, 1, 3, 17, tzinfo=UTC)
    assert latest_slot(schedule, created + timedelta(hours=11, minutes=59), created) is None
    assert latest_slot(schedule, created + timedelta(hours=30), created) == created + timedelta(hours=24)


def test_year_field_limits_the_slots():
    schedule = Schedule(expression="cron(0 6 1 1 ? 2025)")
    assert latest_slot(schedule, datetime(2026, 6, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC)) == \
        datetime(2025, 1, 1, 6, tzinfo=UTC)


def test_schedule_input_carries_the_request_and_the_slot_placeholder():
    site = Site.new("www.example.no", label="acme", request={"max_pages": 5, "phases": ["before_consent"]},
                    schedule=Schedule(expression="rate(1 day)"))
    body = json.loads(schedule_input(site))
    assert body == {"site_url": "https://www.example.no/", "label": "acme", "max_pages": 5,
                    "phases": ["before_consent"], "scheduled_slot": SLOT_PLACEHOLDER}
    # what Scheduler sends after substituting the firing time is a valid scan request
    from privacyscan.usecase import ScanRequest

    fired = json.loads(schedule_input(site).replace(SLOT_PLACEHOLDER, "2026-11-30T05:00:00Z"))
    assert ScanRequest.model_validate(fired).scheduled_slot == datetime(2026, 11, 30, 5, tzinfo=UTC)


def test_schedule_names_fit_scheduler_limits():
    short = "www.example.no-1234abcd"
    assert schedule_name(short) == short
    long_id = "a" * 80 + ".example-1234abcd"
    name = schedule_name(long_id)
    assert len(name) == 64 and name.endswith("-1234abcd")


def test_sites_refuse_unknown_request_fields_and_bad_urls():
    with pytest.raises(ValidationError):
        Site.new("www.example.no", request={"store_url": "s3://elsewhere"})  # machine settings are not per site
    from privacyscan.urls import BadUrl

    with pytest.raises(BadUrl):
        Site.new("javascript:alert(1)")


def test_the_local_adapters_open_their_shared_file_alike(tmp_path):
    """Whichever adapter opens the SQLite file first (`sites run-due` opens the schedules alone), it is in
    WAL mode and every table is in it."""
    path = tmp_path / "nested" / "sites.sqlite"
    SqliteSchedules(path)
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    SqliteScanQueue(path), SqliteSiteRegistry(path)
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"schedules", "scan_queue", "sites"}
