"""`privacyscan scan --out s3://...` writes the report, its HTML and screenshots to S3 (moto server)."""

from __future__ import annotations

import json

import boto3
import pytest

from privacyscan.cli import EXIT_OK, run_scan

from .conftest import scan_options

pytestmark = [pytest.mark.browser, pytest.mark.aws]


def test_a_scan_lands_in_s3_in_the_store_layout(fixture_web, bucket):
    options = scan_options(fixture_web, "http://shop.example/", max_pages=2)
    assert run_scan(options, f"s3://{bucket}/scans", ["json", "html"], quiet=True) == EXIT_OK
    keys = {o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=bucket)["Contents"]}
    reports = [k for k in keys if k.endswith("/report.json")]
    assert len(reports) == 1 and reports[0].startswith("scans/sites/shop.example-")
    prefix = reports[0].rsplit("/", 1)[0]
    assert f"{prefix}/report.html" in keys and f"{prefix}/screenshots/before_consent-000.jpg" in keys
    assert any(k.endswith("/latest.json") for k in keys)
    # ... and it is the site's own pointer, at this scan's report
    site_dir, scan_id = prefix.rsplit("/scans/", 1)
    assert [k for k in keys if k.endswith("/latest.json")] == [f"{site_dir}/latest.json"]
    latest = json.loads(boto3.client("s3").get_object(Bucket=bucket, Key=f"{site_dir}/latest.json")["Body"].read())
    assert latest["report"] == f"scans/{scan_id}/report.json"
