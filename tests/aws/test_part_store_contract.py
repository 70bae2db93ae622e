"""One contract for every PartStore (local folder and S3 on a moto server): a fanned-out scan's parts live
under parts/<site>/<scan>/<name>.json, each written once (the first writer wins, a second write changes
nothing), listed per scan and only that scan's, never inside the scan's report folder; names that could
leave the scan's prefix are refused."""

from __future__ import annotations

import pytest

from privacyscan.store import LocalStore, S3Store

from .test_store_contract import Objects

pytestmark = pytest.mark.aws
SITE = "www.example.no-1"


@pytest.fixture(params=["local", "s3"])
def store_and_objects(request, tmp_path):
    if request.param == "local":
        return LocalStore(tmp_path / "store"), Objects("local", root=tmp_path / "store")
    bucket = request.getfixturevalue("bucket")
    return S3Store(f"s3://{bucket}/reports"), Objects("s3", bucket=bucket)


def test_a_part_is_written_once_and_the_first_writer_wins(store_and_objects):
    store, objects = store_and_objects
    assert store.get_part(SITE, "scan-1", "after_reject") is None
    assert store.put_part(SITE, "scan-1", "after_reject", b'{"attempt": 1}') is True
    # A redelivered job gathered the same phase again: its part is not written over the first one.
    assert store.put_part(SITE, "scan-1", "after_reject", b'{"attempt": 2}') is False
    assert store.get_part(SITE, "scan-1", "after_reject") == b'{"attempt": 1}'
    assert objects.all() == {f"parts/{SITE}/scan-1/after_reject.json": b'{"attempt": 1}'}


def test_parts_are_listed_per_scan_sorted_and_apart_from_the_reports(store_and_objects):
    store, objects = store_and_objects
    assert store.part_names(SITE, "scan-1") == []
    for name in ("plan", "before_consent", "after_accept-1", "after_accept-0"):
        store.put_part(SITE, "scan-1", name, name.encode())
    store.put_part(SITE, "scan-10", "plan", b"another scan whose id starts the same")
    store.put_part("www.other.no-2", "scan-1", "plan", b"another site")
    assert store.part_names(SITE, "scan-1") == ["after_accept-0", "after_accept-1", "before_consent", "plan"]
    assert store.part_names(SITE, "scan-10") == ["plan"]
    assert store.part_names(SITE, "scan-2") == []
    assert store.has_report(SITE, "scan-1") is False  # parts are not a report
    assert all(key.startswith("parts/") for key in objects.all())


@pytest.mark.parametrize("name", ["../report", "a/b", "", "Plan", "x" * 101, ".hidden"])
def test_a_name_that_could_leave_the_scan_prefix_is_refused(store_and_objects, name):
    store, objects = store_and_objects
    with pytest.raises(ValueError, match="not a part name"):
        store.put_part(SITE, "scan-1", name, b"{}")
    assert objects.all() == {}
