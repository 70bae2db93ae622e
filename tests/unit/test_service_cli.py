"""`privacyscan sites ...` against the local SQLite registry: no AWS, no server. Every command's success,
its refusal of bad input, and `run-due`'s choice of slots and its idempotency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from privacyscan.cli import main
from privacyscan.service.compose import REGISTRY_FILE, compose_sites, default_registry
from privacyscan.urls import site_id


@pytest.fixture
def sites(tmp_path: Path):
    registry = str(tmp_path / "sites.sqlite")

    def run(*args: str, env: dict | None = None):
        return CliRunner().invoke(main, ["sites", *args, "--registry", registry], env=env, catch_exceptions=False)

    run.registry = registry
    return run


EXAMPLE = site_id("https://www.example.no/")


def test_add_list_show_update_remove(sites):
    added = sites("add", "www.example.no", "--schedule", "cron(0 6 ? * MON-FRI *)", "--timezone", "Europe/Oslo",
                  "--label", "acme", "--notify", "dpo@example.no", "--max-pages", "5")
    assert added.exit_code == 0 and added.output.strip() == EXAMPLE
    assert sites("add", "https://shop.example/", "--schedule", "rate(1 day)", "--label", "globex").exit_code == 0

    listed = sites("list").output.splitlines()
    assert len(listed) == 2 and listed[1].split("\t") == [EXAMPLE, "https://www.example.no/",
                                                          "cron(0 6 ? * MON-FRI *) Europe/Oslo", "acme"]
    acme = [json.loads(line) for line in sites("list", "--label", "acme", "--json").output.splitlines()]
    assert [s["site_id"] for s in acme] == [EXAMPLE] and acme[0]["request"] == {"max_pages": 5}

    shown = json.loads(sites("show", EXAMPLE).output)
    assert shown["notify"] == "dpo@example.no"
    assert shown["deployed_schedule"]["input"] == {"site_url": "https://www.example.no/", "label": "acme",
                                                   "max_pages": 5, "scheduled_slot": "<aws.scheduler.scheduled-time>"}

    assert sites("update", EXAMPLE, "--schedule", "rate(12 hours)", "--max-depth", "1").exit_code == 0
    shown = json.loads(sites("show", EXAMPLE).output)
    assert shown["schedule"] == {"expression": "rate(12 hours)", "timezone": "Europe/Oslo"}
    assert shown["request"] == {"max_pages": 5, "max_depth": 1}
    assert shown["deployed_schedule"]["expression"] == "rate(12 hours)"
    assert sites("update", EXAMPLE, "--no-schedule").exit_code == 0
    assert json.loads(sites("show", EXAMPLE).output)["deployed_schedule"] is None

    assert sites("remove", EXAMPLE).exit_code == 0
    assert sites("show", EXAMPLE).exit_code == 3
    assert sites("remove", EXAMPLE).exit_code == 3
    assert len(sites("list").output.splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (("add", "ftp://example.no"), "unsupported URL scheme"),
    (("add", "example.no", "--schedule", "daily"), "invalid --schedule"),
    (("add", "example.no", "--schedule", "rate(1 day)", "--timezone", "Mars/Olympus"), "unknown time zone"),
    (("add", "example.no", "--phases", "before_consent,after_lunch"), "phases"),
    (("add", "example.no", "--resolve", "example.no:not-an-ip"), "resolve"),
])
def test_bad_input_exits_2_and_registers_nothing(sites, args, message):
    result = CliRunner().invoke(main, ["sites", *args, "--registry", sites.registry])
    assert result.exit_code == 2 and message in result.output
    assert sites("list").output == ""


def test_a_site_is_added_once(sites):
    assert sites("add", "example.no").exit_code == 0
    again = sites("add", "https://example.no/")
    assert again.exit_code == 1 and "registered already" in again.output


def test_import_csv_and_jsonl(sites, tmp_path):
    csv_file = tmp_path / "clients.csv"
    csv_file.write_text("url,schedule,timezone,label,notify\n"
                        "a.example,cron(0 3 * * ? *),Europe/Oslo,acme,\n"
                        "b.example,,,globex,dpo@b.example\n")
    result = sites("import", str(csv_file))
    assert result.exit_code == 0 and result.output.strip() == "2 added, 0 already registered"
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(json.dumps({"url": "a.example", "label": "acme"}) + "\n"
                     + json.dumps({"url": "c.example", "schedule": "rate(7 days)", "request": {"max_pages": 3}}) + "\n")
    assert sites("import", str(jsonl)).output.strip() == "1 added, 1 already registered"
    bad = tmp_path / "bad.csv"
    bad.write_text("url,schedule\nd.example,cron(0 3 * * * *)\n")
    result = CliRunner().invoke(main, ["sites", "import", str(bad), "--registry", sites.registry])
    assert result.exit_code == 2 and "line 1" in result.output
    assert len(sites("list").output.splitlines()) == 3


def test_run_due_lists_the_slots_that_have_come(sites):
    sites("add", "weekday.example", "--schedule", "cron(0 6 ? * MON-FRI *)", "--timezone", "Europe/Oslo")
    sites("add", "never.example")  # no schedule: never due
    monday = sites("run-due", "--dry-run", "--now", "2099-01-05T09:00:00+00:00").output.splitlines()
    assert monday == [f"{site_id('https://weekday.example/')}\t2099-01-05T05:00:00+00:00"]  # 06:00 in Oslo
    sunday = sites("run-due", "--dry-run", "--now", "2099-01-04T09:00:00+00:00").output.splitlines()
    assert sunday == [f"{site_id('https://weekday.example/')}\t2099-01-02T05:00:00+00:00"]  # Friday's slot


def test_run_due_gives_a_slot_back_when_the_scan_could_not_run(sites, tmp_path):
    """No browser on this machine: the scan is retryable, so the slot stays due for the next run."""
    sites("add", "93.184.215.14", "--schedule", "cron(0 6 * * ? *)")  # a public address: no DNS needed
    env = {"PRIVACYSCAN_CHROMIUM": str(tmp_path / "no-chromium"), "PRIVACYSCAN_STORE": str(tmp_path / "reports")}
    for _ in range(2):
        result = sites("run-due", "--now", "2099-01-01T07:00:00+00:00", env=env)
        assert result.exit_code == 1 and "\tno_browser\t" in result.output
    assert not (tmp_path / "reports").exists()


def test_the_default_registry_sits_beside_the_reports_folder(tmp_path):
    assert default_registry({"PRIVACYSCAN_STORE": str(tmp_path / "out" / "reports")}) == \
        str(tmp_path / "out" / REGISTRY_FILE)
    assert default_registry({"PRIVACYSCAN_REGISTRY": "dynamodb://sites"}) == "dynamodb://sites"
    with pytest.raises(KeyError):  # DynamoDB needs the stack's names from the environment
        compose_sites("dynamodb://sites", {})
