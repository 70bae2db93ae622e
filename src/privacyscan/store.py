"""Where reports live: a local folder or an S3 prefix, with the same layout in both.

    sites/<site-id>/scans/<scan-id>/report.json (+ report.html, screenshots/...)
    sites/<site-id>/latest.json

Writes are idempotent: artefacts first, the report last and only if no report exists for that scan id
yet, so a retried message cannot overwrite a finished scan.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from .report.model import ScanReport


class StoreUnavailable(Exception):
    """The store cannot take a scan (no bucket, no credentials, read-only folder): said before scanning."""


class ReportStore(Protocol):
    def check_writable(self) -> None:
        """Raise StoreUnavailable, with a one-line reason, when a write would fail. Cheap: run before a scan."""

    def has_report(self, site_id: str, scan_id: str) -> bool: ...

    def put_scan(self, report: ScanReport, rendered: dict[str, bytes], artefacts: Path) -> bool:
        """Write every object of a scan once, the report last; False when a report for the scan id exists."""

    def scan_prefix(self, site_id: str, scan_id: str) -> str: ...

    def put_artefacts(self, site_id: str, scan_id: str, folder: Path) -> None: ...

    def put_report(self, report: ScanReport, extra: dict[str, bytes] | None = None) -> bool: ...

    def latest(self, site_id: str) -> ScanReport | None: ...

    def location(self, site_id: str, scan_id: str) -> str: ...


def _latest_pointer(report: ScanReport) -> bytes:
    return json.dumps(
        {"site_id": report.site_id, "scan_id": report.scan_id, "site_url": report.site_url,
         "report": f"scans/{report.scan_id}/report.json", "finished_at": str(report.finished_at)},
        indent=2,
    ).encode()


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def check_writable(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".write-check-"):
                pass
        except OSError as exc:
            raise StoreUnavailable(f"cannot write to {self.root}: {exc.strerror or exc}") from None

    def has_report(self, site_id: str, scan_id: str) -> bool:
        return (self._dir(site_id, scan_id) / "report.json").exists()

    def put_scan(self, report: ScanReport, rendered: dict[str, bytes], artefacts: Path) -> bool:
        if self.has_report(report.site_id, report.scan_id):
            return False
        self.put_artefacts(report.site_id, report.scan_id, artefacts)
        return self.put_report(report, rendered)

    def scan_prefix(self, site_id: str, scan_id: str) -> str:
        return f"sites/{site_id}/scans/{scan_id}"

    def _dir(self, site_id: str, scan_id: str) -> Path:
        return self.root / self.scan_prefix(site_id, scan_id)

    def location(self, site_id: str, scan_id: str) -> str:
        return str(self._dir(site_id, scan_id))

    def put_artefacts(self, site_id: str, scan_id: str, folder: Path) -> None:
        target = self._dir(site_id, scan_id)
        if Path(folder).resolve() == target.resolve():
            return
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(folder, target, dirs_exist_ok=True)

    def put_report(self, report: ScanReport, extra: dict[str, bytes] | None = None) -> bool:
        target = self._dir(report.site_id, report.scan_id)
        target.mkdir(parents=True, exist_ok=True)
        report_path = target / "report.json"
        if report_path.exists():
            return False
        for name, data in (extra or {}).items():
            (target / name).write_bytes(data)
        tmp = report_path.with_suffix(".json.tmp")
        tmp.write_text(report.model_dump_json(indent=2))
        tmp.replace(report_path)
        if report.looked:  # a scan that could not look is stored, but never becomes the site's latest verdict
            (self.root / "sites" / report.site_id / "latest.json").write_bytes(_latest_pointer(report))
        return True

    def latest(self, site_id: str) -> ScanReport | None:
        pointer = self.root / "sites" / site_id / "latest.json"
        if not pointer.exists():
            return None
        info = json.loads(pointer.read_text())
        return ScanReport.model_validate_json((pointer.parent / info["report"]).read_text())


class S3Store:
    def __init__(self, url: str, client=None) -> None:
        parts = urlsplit(url)
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        if client is None:
            import boto3

            client = boto3.client("s3")  # honours AWS_ENDPOINT_URL
        self.s3 = client

    def check_writable(self) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.s3.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            reason = {"404": "no such bucket", "NoSuchBucket": "no such bucket", "403": "access denied"}.get(code, code)
            raise StoreUnavailable(f"s3://{self.bucket}: {reason}") from None
        except BotoCoreError as exc:
            raise StoreUnavailable(f"s3://{self.bucket}: {exc}") from None

    def has_report(self, site_id: str, scan_id: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.s3.head_object(Bucket=self.bucket, Key=f"{self.scan_prefix(site_id, scan_id)}/report.json")
        except ClientError:
            return False
        return True

    def put_scan(self, report: ScanReport, rendered: dict[str, bytes], artefacts: Path) -> bool:
        if self.has_report(report.site_id, report.scan_id):
            return False
        self.put_artefacts(report.site_id, report.scan_id, artefacts)
        return self.put_report(report, rendered)

    def _key(self, *parts: str) -> str:
        return "/".join(p for p in (self.prefix, *parts) if p)

    def scan_prefix(self, site_id: str, scan_id: str) -> str:
        return self._key("sites", site_id, "scans", scan_id)

    def location(self, site_id: str, scan_id: str) -> str:
        return f"s3://{self.bucket}/{self.scan_prefix(site_id, scan_id)}"

    def put_artefacts(self, site_id: str, scan_id: str, folder: Path) -> None:
        base = self.scan_prefix(site_id, scan_id)
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.name != "report.json":
                content_type = "image/jpeg" if path.suffix == ".jpg" else "application/octet-stream"
                self.s3.put_object(Bucket=self.bucket, Key=f"{base}/{path.relative_to(folder).as_posix()}",
                                   Body=path.read_bytes(), ContentType=content_type)

    def put_report(self, report: ScanReport, extra: dict[str, bytes] | None = None) -> bool:
        from botocore.exceptions import ClientError

        base = self.scan_prefix(report.site_id, report.scan_id)
        for name, data in (extra or {}).items():
            self.s3.put_object(Bucket=self.bucket, Key=f"{base}/{name}", Body=data)
        try:
            self.s3.put_object(Bucket=self.bucket, Key=f"{base}/report.json", IfNoneMatch="*",
                               Body=report.model_dump_json(indent=2).encode(), ContentType="application/json")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("PreconditionFailed", "412"):
                return False
            raise
        if report.looked:
            self.s3.put_object(Bucket=self.bucket, Key=self._key("sites", report.site_id, "latest.json"),
                               Body=_latest_pointer(report), ContentType="application/json")
        return True

    def latest(self, site_id: str) -> ScanReport | None:
        from botocore.exceptions import ClientError

        try:
            pointer = json.loads(
                self.s3.get_object(Bucket=self.bucket, Key=self._key("sites", site_id, "latest.json"))["Body"].read()
            )
            body = self.s3.get_object(Bucket=self.bucket, Key=self._key("sites", site_id, pointer["report"]))["Body"]
        except ClientError:
            return None
        return ScanReport.model_validate_json(body.read())


def write_to_fallback(report: ScanReport, rendered: dict[str, bytes], artefacts: Path, fallback_dir: Path) -> str:
    """Keep a finished scan that the store refused in a local folder; returns where it went."""
    store = LocalStore(Path(fallback_dir))
    store.put_scan(report, rendered, artefacts)
    return store.location(report.site_id, report.scan_id)


def open_store(out: str) -> ReportStore:
    if out.startswith("s3://"):
        return S3Store(out)
    return LocalStore(Path(out))
