"""One contract for every ReportStore (local folder and S3 on a moto server): each object of a scan is
written once, the report last; a retried or redelivered scan never overwrites a finished one; latest.json
moves only to a newer scan that looked; a store that cannot take a scan says so before the scan, in one
line; a scan the store refuses is kept in a local fallback folder."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest

from privacyscan.models import Evidence, PageRecord, Phase, PhaseEvidence
from privacyscan.pipeline import report_from_evidence
from privacyscan.store import (
    LocalStore,
    S3Store,
    StoreConflict,
    StoreUnavailable,
    render_formats,
    write_to_fallback,
)
from privacyscan.urls import scan_id

pytestmark = pytest.mark.aws
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SITE = "www.example.no-1"


def a_report(scan: str = "scan-1", title: str = "Home", *, started: datetime = NOW, reachable: bool = True):
    page = (PageRecord(url="https://www.example.no/", status=200, title=title) if reachable else
            PageRecord(url="https://www.example.no/", error="unreachable: net::ERR_NAME_NOT_RESOLVED",
                       error_kind="no_document"))
    phase = PhaseEvidence(phase=Phase.before_consent, started_at=started, pages=[page])
    evidence = Evidence(site_url="https://www.example.no/", site_id=SITE, registrable_domain="example.no",
                        scan_id=scan, started_at=started, phases=[phase])
    return report_from_evidence(evidence)


def artefacts(folder: Path, jpeg: bytes = b"\xff\xd8first") -> Path:
    (folder / "screenshots").mkdir(parents=True)
    (folder / "screenshots" / "before_consent-000.jpg").write_bytes(jpeg)
    return folder


class Objects:
    """Reads what a store holds, independently of the store's own code."""

    def __init__(self, kind: str, root: Path | None = None, bucket: str | None = None) -> None:
        self.kind, self.root, self.bucket = kind, root, bucket

    def all(self) -> dict[str, bytes]:
        if self.kind == "local":
            return {p.relative_to(self.root).as_posix(): p.read_bytes() for p in self.root.rglob("*") if p.is_file()}
        s3 = boto3.client("s3")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])]
        return {k.removeprefix("reports/"): s3.get_object(Bucket=self.bucket, Key=k)["Body"].read() for k in keys}


@pytest.fixture(params=["local", "s3"])
def store_and_objects(request, tmp_path):
    if request.param == "local":
        return LocalStore(tmp_path / "store"), Objects("local", root=tmp_path / "store")
    bucket = request.getfixturevalue("bucket")
    return S3Store(f"s3://{bucket}/reports"), Objects("s3", bucket=bucket)


def scan_key(scan: str, name: str) -> str:
    return f"sites/{SITE}/scans/{scan}/{name}"


def test_a_scan_is_stored_in_the_layout_with_every_format(store_and_objects, tmp_path):
    store, objects = store_and_objects
    store.check_writable()
    report = a_report()
    rendered = render_formats(report, ["json", "html", "sarif", "junit"])
    assert store.has_report(SITE, "scan-1") is False
    assert store.put_scan(report, rendered, artefacts(tmp_path / "work")) is True
    assert store.has_report(SITE, "scan-1") is True
    held = objects.all()
    assert set(held) == {scan_key("scan-1", n) for n in ("report.json", "report.html", "report.sarif",
                                                          "report.junit.xml", "screenshots/before_consent-000.jpg")} | {
        f"sites/{SITE}/latest.json"}
    assert json.loads(held[scan_key("scan-1", "report.json")])["scan_id"] == "scan-1"
    assert store.latest(SITE).scan_id == "scan-1"
    assert store.location(SITE, "scan-1").endswith(f"sites/{SITE}/scans/scan-1")


def test_a_redelivered_scan_overwrites_nothing(store_and_objects, tmp_path):
    store, objects = store_and_objects
    first = a_report(title="first")
    assert store.put_scan(first, render_formats(first, ["json", "html"]), artefacts(tmp_path / "a")) is True
    before = objects.all()
    again = a_report(title="second")
    assert store.put_scan(again, render_formats(again, ["json", "html"]),
                          artefacts(tmp_path / "b", jpeg=b"\xff\xd8second")) is False
    assert objects.all() == before  # not the report, not the HTML, not a screenshot
    assert store.latest(SITE).evidence.phases[0].pages[0].title == "first"


def test_the_report_is_the_last_object_written(store_and_objects, tmp_path):
    store, _ = store_and_objects
    written: list[str] = []
    create = store._create

    def recording_create(key, data, evidence=False):
        written.append(key)
        return create(key, data, evidence)

    store._create = recording_create
    report = a_report()
    assert store.put_scan(report, render_formats(report, ["json", "html", "junit"]), artefacts(tmp_path / "w"))
    assert written[-1] == scan_key("scan-1", "report.json") and len(written) == 4


def test_an_unfinished_attempt_is_not_overwritten_and_the_retry_is_refused(store_and_objects, tmp_path):
    store, objects = store_and_objects
    # the first attempt stopped after its screenshots (Lambda killed mid-upload): no report
    store.put_artefacts(SITE, "sched-20261123T030000Z", artefacts(tmp_path / "a", jpeg=b"\xff\xd8attempt-1"))
    before = objects.all()
    retry = a_report("sched-20261123T030000Z")
    with pytest.raises(StoreConflict, match="nothing was overwritten"):
        store.put_scan(retry, render_formats(retry, ["json"]), artefacts(tmp_path / "b", jpeg=b"\xff\xd8attempt-2"))
    assert objects.all() == before and not store.has_report(SITE, "sched-20261123T030000Z")
    # ... and it can be kept whole in the fallback folder instead
    where = write_to_fallback(retry, render_formats(retry, ["json"]), tmp_path / "b", tmp_path / "fallback")
    assert (Path(where) / "screenshots/before_consent-000.jpg").read_bytes() == b"\xff\xd8attempt-2"


def test_storing_the_same_bytes_again_is_a_harmless_retry(store_and_objects, tmp_path):
    store, _ = store_and_objects
    report = a_report()
    work = artefacts(tmp_path / "w")
    store.put_artefacts(SITE, "scan-1", work)  # a put_scan that failed after its artefacts ...
    assert store.put_scan(report, render_formats(report, ["json"]), work) is True  # ... then succeeded


def test_two_scans_of_a_site_in_the_same_second_are_both_kept(store_and_objects):
    store, objects = store_and_objects
    ids = [scan_id("https://www.example.no/", NOW) for _ in range(2)]
    for sid in ids:
        report = a_report(sid)
        assert store.put_scan(report, render_formats(report, ["json"]), None) is True
    assert {k for k in objects.all() if k.endswith("report.json")} == {scan_key(s, "report.json") for s in ids}


def test_latest_points_only_at_scans_that_looked_and_never_moves_back(store_and_objects):
    store, _ = store_and_objects
    unreachable = a_report("scan-0", reachable=False)
    assert store.put_scan(unreachable, render_formats(unreachable, ["json"]), None) is True
    assert store.has_report(SITE, "scan-0") and store.latest(SITE) is None  # stored, but not a baseline
    newer = a_report("scan-2", started=NOW + timedelta(hours=1))
    older = a_report("scan-1", started=NOW)
    assert store.put_scan(newer, render_formats(newer, ["json"]), None) is True
    assert store.put_scan(older, render_formats(older, ["json"]), None) is True  # finished later
    assert store.latest(SITE).scan_id == "scan-2"
    failed_later = a_report("scan-3", started=NOW + timedelta(hours=2), reachable=False)
    store.put_scan(failed_later, render_formats(failed_later, ["json"]), None)
    assert store.latest(SITE).scan_id == "scan-2"


def test_the_history_of_a_site_is_its_scans_with_a_report_oldest_first(store_and_objects, tmp_path):
    """`scan_ids` and `load` are what the alerts and the stored diff read earlier scans with
    (`store.previous_comparable`); decoys: another site's scan, a parts folder, an unfinished attempt."""
    store, _ = store_and_objects
    assert store.scan_ids(SITE) == [] and store.load(SITE, "scan-1") is None
    for scan in ("scan-2", "scan-1"):
        report = a_report(scan, title=f"Home {scan}")
        store.put_scan(report, render_formats(report, ["json"]), None)
    other = a_report("scan-9").model_copy(update={"site_id": "other-site"})
    store.put_scan(other, render_formats(other, ["json"]), None)
    store.put_part(SITE, "scan-3", "plan", b"{}")
    unfinished = a_report("scan-4")
    store.put_artefacts(SITE, "scan-4", artefacts(tmp_path / "unfinished"))  # no report yet
    assert store.scan_ids(SITE) == ["scan-1", "scan-2", "scan-4"]
    loaded = store.load(SITE, "scan-2")
    assert loaded is not None and loaded.scan_id == "scan-2" and loaded.evidence.phases[0].pages[0].title == "Home scan-2"
    assert store.load(SITE, unfinished.scan_id) is None


# ------------------------------------------------------------------------ stores that cannot take a scan


def test_a_folder_that_cannot_be_created_is_reported_before_the_scan(tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StoreUnavailable, match="cannot create the report folder") as caught:
        LocalStore(tmp_path / "a-file" / "reports").check_writable()
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a read-only /sys")
def test_a_read_only_location_is_reported_before_the_scan():
    with pytest.raises(StoreUnavailable) as caught:
        LocalStore(Path("/sys/privacyscan-reports")).check_writable()
    assert "/sys/privacyscan-reports" in str(caught.value) and "\n" not in str(caught.value)


def test_a_read_only_folder_is_reported_before_the_scan(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: permissions do not stop writes (see the /sys test)")
        with pytest.raises(StoreUnavailable, match="not writable"):
            LocalStore(folder).check_writable()
    finally:
        folder.chmod(0o755)


def test_a_missing_bucket_is_reported_before_the_scan(moto_endpoint):
    with pytest.raises(StoreUnavailable, match="bucket 'no-such-bucket' does not exist") as caught:
        S3Store("s3://no-such-bucket/prefix").check_writable()
    assert "\n" not in str(caught.value)
    with pytest.raises(StoreUnavailable, match="names no bucket"):
        S3Store("s3:///prefix", client=boto3.client("s3")).check_writable()


def test_missing_credentials_are_reported_before_the_scan(bucket, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask a metadata address
    with pytest.raises(StoreUnavailable, match="no AWS credentials found"):
        S3Store(f"s3://{bucket}/prefix", client=boto3.session.Session().client("s3")).check_writable()


def test_an_unreachable_s3_endpoint_is_reported_before_the_scan():
    import socket

    from botocore.config import Config

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="eu-north-1",
                          aws_access_key_id="x", aws_secret_access_key="x",
                          config=Config(retries={"max_attempts": 1}, connect_timeout=2))
    with pytest.raises(StoreUnavailable, match="S3 is unreachable"):
        S3Store("s3://findings/prefix", client=client).check_writable()


def test_a_scan_the_store_refuses_is_kept_in_the_fallback_folder(tmp_path):
    report = a_report()
    where = write_to_fallback(report, render_formats(report, ["json", "html"]), artefacts(tmp_path / "w"),
                              tmp_path / "fallback")
    assert Path(where) == tmp_path / "fallback" / "sites" / SITE / "scans" / "scan-1"
    assert json.loads((Path(where) / "report.json").read_bytes())["scan_id"] == "scan-1"
    assert (Path(where) / "report.html").exists() and (Path(where) / "screenshots/before_consent-000.jpg").exists()
    assert LocalStore(tmp_path / "fallback").latest(SITE).scan_id == "scan-1"


def test_an_object_is_created_once_even_when_two_writers_race(store_and_objects):
    store, objects = store_and_objects
    key = scan_key("scan-1", "report.json")
    assert store._create(key, b'{"first": true}') is True  # the conditional write itself (IfNoneMatch / link)
    assert store._create(key, b'{"second": true}') is False
    assert objects.all()[key] == b'{"first": true}'
