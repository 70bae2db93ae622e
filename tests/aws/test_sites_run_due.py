"""`privacyscan sites run-due` on a machine without AWS: the local registry's due slot is scanned with real
Chromium into the local store, once; a second run, or the same slot after its claim was lost, writes
nothing new (the scan id is deterministic per site and slot). The new report's findings go to the alert
outbox beside the registry, addressed to the site's own alert address."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from privacyscan.cli import main
from privacyscan.service.registry import SqliteSiteRegistry
from privacyscan.urls import site_id

pytestmark = pytest.mark.browser
NOW = "2099-01-05T09:00:00+00:00"
SLOT = "2099-01-05T06:00:00+00:00"



def test_run_due_scans_a_due_slot_once(shop_web, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("PRIVACYSCAN_CHROMIUM", raising=False)
    registry, reports = str(tmp_path / "sites.sqlite"), tmp_path / "reports"
    env = {"PRIVACYSCAN_STORE": str(reports), "PRIVACYSCAN_ALLOW_PRIVATE_NETWORK": "1"}

    def sites(*args: str):
        return CliRunner().invoke(main, ["sites", *args, "--registry", registry], env=env, catch_exceptions=False)

    resolve = [arg for m in shop_web.mappings() for arg in ("--resolve", f"{m.host}:{m.address}:{m.port}")]
    added = sites("add", "http://shop.example/", "--schedule", "cron(0 6 * * ? *)", "--max-pages", "2",
                  "--notify", "dpo@shop.example",
                  "--max-depth", "1", "--phases", "before_consent", "--time-budget", "90", *resolve)
    assert added.exit_code == 0, added.output
    shop = site_id("http://shop.example/")

    first = sites("run-due", "--now", NOW)
    assert first.exit_code == 0, first.output
    (line,) = first.output.splitlines()
    assert line.split("\t")[:3] == [shop, SLOT, "written"]
    reports_written = sorted(reports.glob(f"sites/{shop}/scans/*/report.json"))
    assert len(reports_written) == 1 and (reports / "sites" / shop / "latest.json").exists()

    report = json.loads(reports_written[0].read_text())
    (alert,) = [json.loads(line) for line in (tmp_path / "privacyscan-alerts.jsonl").read_text().splitlines()]
    assert alert["site_id"] == shop and alert["recipient"] == "dpo@shop.example"
    assert report["findings"] and f"{len(report['findings'])} new, 0 resolved" in alert["subject"]
    assert all(f["rule_id"] in alert["body"] for f in report["findings"])

    again = sites("run-due", "--now", NOW)  # the slot was claimed: nothing to do
    assert again.exit_code == 0 and again.output == ""

    SqliteSiteRegistry(registry).release_slot(shop, datetime.fromisoformat(SLOT))  # as if the claim were lost
    lost = sites("run-due", "--now", NOW)
    assert lost.output.split("\t")[2] == "duplicate"  # same slot -> same scan id -> nothing written
    assert sorted(reports.glob(f"sites/{shop}/scans/*/report.json")) == reports_written
    assert len((tmp_path / "privacyscan-alerts.jsonl").read_text().splitlines()) == 1  # no second alert
