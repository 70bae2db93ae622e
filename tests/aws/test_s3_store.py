"""The S3 store writes the same layout as the local folder, and a retried scan cannot overwrite a
finished report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest

from privacyscan.models import Evidence, PageRecord, Phase, PhaseEvidence
from privacyscan.pipeline import report_from_evidence
from privacyscan.store import LocalStore, S3Store, open_store

pytestmark = pytest.mark.aws
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def a_report(title: str = "Home"):
    phase = PhaseEvidence(phase=Phase.before_consent, started_at=NOW,
                          pages=[PageRecord(url="https://www.example.no/", status=200, title=title)])
    evidence = Evidence(site_url="https://www.example.no/", site_id="www.example.no-1", registrable_domain="example.no",
                        scan_id="20261123T090000-abc", started_at=NOW, phases=[phase])
    return report_from_evidence(evidence)


def artefacts(tmp_path: Path) -> Path:
    (tmp_path / "screenshots").mkdir(parents=True)
    (tmp_path / "screenshots" / "before_consent-000.jpg").write_bytes(b"\xff\xd8jpeg")
    return tmp_path


def test_s3_layout_mirrors_the_local_store(bucket, tmp_path):
    report = a_report()
    store = open_store(f"s3://{bucket}/privacyscan")
    assert isinstance(store, S3Store)
    store.put_artefacts(report.site_id, report.scan_id, artefacts(tmp_path / "work"))
    assert store.put_report(report, {"report.html": b"<html></html>"}) is True
    keys = {o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=bucket)["Contents"]}
    base = "privacyscan/sites/www.example.no-1/scans/20261123T090000-abc"
    assert keys == {f"{base}/report.json", f"{base}/report.html", f"{base}/screenshots/before_consent-000.jpg",
                    "privacyscan/sites/www.example.no-1/latest.json"}
    local = LocalStore(tmp_path / "local")
    local.put_artefacts(report.site_id, report.scan_id, tmp_path / "work")
    local.put_report(report, {"report.html": b"<html></html>"})
    local_keys = {p.relative_to(tmp_path / "local").as_posix() for p in (tmp_path / "local").rglob("*") if p.is_file()}
    assert {f"privacyscan/{k}" for k in local_keys} == keys
    assert store.latest(report.site_id).scan_id == report.scan_id


def test_screenshots_carry_the_tag_the_lifecycle_rule_expires_and_reports_do_not(bucket, tmp_path):
    """template.yaml expires objects tagged privacyscan-artefact=evidence after ScreenshotRetentionDays;
    an untagged screenshot would be kept for ever."""
    report = a_report()
    store = S3Store(f"s3://{bucket}")
    assert store.put_scan(report, {"report.html": b"<html></html>"}, artefacts(tmp_path / "work")) is True
    s3, base = boto3.client("s3"), "sites/www.example.no-1/scans/20261123T090000-abc"

    def tags(name: str) -> dict[str, str]:
        return {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=f"{base}/{name}")["TagSet"]}

    assert tags("screenshots/before_consent-000.jpg") == {"privacyscan-artefact": "evidence"}
    assert tags("report.json") == {} and tags("report.html") == {}
    template = (Path(__file__).resolve().parents[2] / "template.yaml").read_text()
    assert "Key: privacyscan-artefact" in template and "Value: evidence" in template


def test_a_retried_scan_does_not_overwrite_a_finished_report(bucket):
    store = S3Store(f"s3://{bucket}")
    assert store.put_report(a_report("first")) is True
    assert store.put_report(a_report("second")) is False
    body = boto3.client("s3").get_object(Bucket=bucket, Key="sites/www.example.no-1/scans/20261123T090000-abc/report.json")
    assert json.loads(body["Body"].read())["evidence"]["phases"][0]["pages"][0]["title"] == "first"


def test_local_store_is_idempotent_too(tmp_path):
    store = LocalStore(tmp_path)
    assert store.put_report(a_report("first")) is True
    assert store.put_report(a_report("second")) is False
    assert store.latest("www.example.no-1").evidence.phases[0].pages[0].title == "first"
