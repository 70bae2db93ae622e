"""Where reports live: a local folder or an S3 prefix, with the same layout in both.

    sites/<site-id>/scans/<scan-id>/report.json (+ report.html, screenshots/...)
    sites/<site-id>/latest.json

Every object of a scan is written once: artefacts and rendered formats first, each created only if
absent (local: a hard link onto the name, which fails when it exists; S3: `IfNoneMatch="*"`), the report
last and conditional too, so a retried or redelivered message can neither overwrite a finished scan nor
change one of its files. `latest.json` is the one object that moves: only after the report landed, only
for a scan that looked at the site, and never back to an older scan.

Nothing here may lose a finished scan: `render_formats` never raises (a format that cannot be written
is left out and named in `dropped.txt`), `check_writable` says before a scan whether the store will take
it, and `write_to_fallback` keeps a scan the store refused in a local folder.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .report import render
from .report.diff import not_comparable_reason
from .report.model import ScanReport
from .text import clean_deep

REPORT_FILE = "report.json"
DROPPED_NOTE = "dropped.txt"

_CONTENT_TYPES = {
    ".json": "application/json", ".html": "text/html; charset=utf-8", ".sarif": "application/sarif+json",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".jpg": "image/jpeg", ".png": "image/png",
}


class StoreUnavailable(Exception):
    """The store cannot take a scan (no bucket, no credentials, access denied, read-only folder ...);
    the message is one line that says which and where."""


class StoreConflict(StoreUnavailable):
    """An object of this scan already exists with other content and no report does: an earlier attempt
    of the same scan id stopped half-way. Nothing is overwritten; keep this scan in the fallback folder."""


class ReportStore(Protocol):
    def check_writable(self) -> None:
        """Raise StoreUnavailable (one line) if a scan could not be stored; cheap, done before a scan."""

    def has_report(self, site_id: str, scan_id: str) -> bool:
        """Whether a report exists for this scan id (a redelivered message then does nothing)."""

    def put_scan(self, report: ScanReport, rendered: dict[str, bytes], artefacts: Path | None) -> bool:
        """Store a finished scan: every file of `artefacts` and `rendered`, then the report, each once.
        False: a report for this scan id already existed; nothing was overwritten."""

    def latest(self, site_id: str) -> ScanReport | None: ...

    def scan_ids(self, site_id: str) -> list[str]:
        """The ids of the site's scan folders, sorted (scan ids start with the start time: oldest first)."""

    def load(self, site_id: str, scan_id: str) -> ScanReport | None:
        """One scan's report; None when that scan has no report."""

    def location(self, site_id: str, scan_id: str) -> str: ...

    def scan_prefix(self, site_id: str, scan_id: str) -> str: ...

    def put_artefacts(self, site_id: str, scan_id: str, folder: Path) -> None: ...

    def put_report(self, report: ScanReport, extra: dict[str, bytes] | None = None) -> bool: ...


class PartStore(Protocol):
    """The parts of a fanned-out scan (`privacyscan.fanout`): one object per phase (or shard of a phase)
    and the scan's plan, under `parts/<site-id>/<scan-id>/<name>.json`, each written once."""

    def put_part(self, site_id: str, scan_id: str, name: str, data: bytes) -> bool:
        """Create the part if absent. False: it already existed, and it was left as it was (the first
        writer of a part wins; a redelivered job's part is the same evidence gathered again)."""

    def get_part(self, site_id: str, scan_id: str, name: str) -> bytes | None: ...

    def part_names(self, site_id: str, scan_id: str) -> list[str]:
        """The names of the scan's parts stored so far, sorted."""


_PART_NAME = re.compile(r"[a-z0-9_][a-z0-9_.-]{0,99}")


def _part_name(name: str) -> str:
    if not _PART_NAME.fullmatch(name) or ".." in name:
        raise ValueError(f"not a part name: {name!r}")
    return name


# ------------------------------------------------------------------------------------------ rendering


def _sanitised(report: ScanReport) -> ScanReport:
    """A copy of `report` with every string made encodable, for text that reached a model without
    validation (an attribute set after construction)."""
    return type(report).model_validate(clean_deep(report.model_dump()))


def report_json(report: ScanReport) -> bytes:
    """report.json, whatever the report holds."""
    try:
        return report.model_dump_json(indent=2).encode()
    except Exception:  # noqa: BLE001 - unencodable text that bypassed validation: clean a plain dump
        data = clean_deep(report.model_dump(mode="json"))
        return json.dumps(data, indent=2, ensure_ascii=False, default=str).encode()


def render_formats(report: ScanReport, formats: list[str] | tuple[str, ...], **options: Any) -> dict[str, bytes]:
    """The files of every format (always report.json), `options` (lang, artefacts, chromium) passed to
    `render`. Never raises: a format that fails is rendered again from a sanitised copy, and if it still
    fails it is left out and named in `dropped.txt`."""
    rendered: dict[str, bytes] = {}
    dropped: list[str] = []
    for fmt in dict.fromkeys(("json", *formats)):
        try:
            rendered.update(render(report, fmt, **options))
            continue
        except Exception:  # noqa: BLE001, S112 - try again from a sanitised copy below
            pass
        try:
            rendered.update(render(_sanitised(report), fmt, **options))
        except Exception as exc:  # noqa: BLE001 - the last resort: write the others and say what is missing
            dropped.append(f"{fmt}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    if REPORT_FILE not in rendered:
        rendered[REPORT_FILE] = report_json(report)
    if dropped:
        rendered[DROPPED_NOTE] = (
            f"privacyscan could not write these formats of scan {report.scan_id}; everything else was written.\n"
            + "".join(f"- {line}\n" for line in dropped)
        ).encode()
    return rendered


def _latest_pointer(report: ScanReport) -> bytes:
    return json.dumps(
        {"site_id": report.site_id, "scan_id": report.scan_id, "site_url": report.site_url,
         "report": f"scans/{report.scan_id}/{REPORT_FILE}", "started_at": report.started_at.isoformat(),
         "finished_at": str(report.finished_at)},
        indent=2,
    ).encode()


def _files_of(folder: Path | None, skip: set[str]) -> list[tuple[str, Path]]:
    if folder is None or not Path(folder).is_dir():
        return []
    folder = Path(folder)
    return [(p.relative_to(folder).as_posix(), p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).as_posix() not in skip]


# ------------------------------------------------------------------------------------------- stores


class _OnceStore:
    """What both stores do, on three primitives: create an object only if absent, read one, replace
    the latest pointer. Keys are relative to the store root: `sites/<site>/scans/<scan>/<name>`."""

    def _create(self, key: str, data: bytes, evidence: bool = False) -> bool:  # False: the key already existed
        """`evidence`: a screenshot or other raw artefact, which the bucket's lifecycle rule expires sooner
        than reports (they can show personal data); the local store keeps no such mark."""
        raise NotImplementedError

    def _read(self, key: str) -> bytes | None:
        raise NotImplementedError

    def _replace(self, key: str, data: bytes) -> None:
        raise NotImplementedError

    def _names(self, key_prefix: str) -> list[str]:  # object names directly under a key prefix ending in /
        raise NotImplementedError

    def _folders(self, key_prefix: str) -> list[str]:  # folder names directly under a key prefix ending in /
        raise NotImplementedError

    @staticmethod
    def _scan_key(site_id: str, scan_id: str, name: str = "") -> str:
        return f"sites/{site_id}/scans/{scan_id}" + (f"/{name}" if name else "")

    def _skip_folder(self, site_id: str, scan_id: str, folder: Path) -> bool:  # the scan already lives there
        return False

    def _write_once(self, key: str, data: bytes, evidence: bool = False) -> None:
        if not self._create(key, data, evidence) and self._read(key) != data:
            raise StoreConflict(f"{key} already exists with other content (an attempt of this scan that did not "
                                "finish); nothing was overwritten")

    def has_report(self, site_id: str, scan_id: str) -> bool:
        return self._read(self._scan_key(site_id, scan_id, REPORT_FILE)) is not None

    def put_scan(self, report: ScanReport, rendered: dict[str, bytes], artefacts: Path | None) -> bool:
        site_id, scan_id = report.site_id, report.scan_id
        if self.has_report(site_id, scan_id):
            return False
        files = {name: data for name, data in rendered.items() if name != REPORT_FILE}
        if artefacts is not None and self._skip_folder(site_id, scan_id, artefacts):
            artefacts = None
        try:
            for name, path in _files_of(artefacts, skip={REPORT_FILE, *files}):
                self._write_once(self._scan_key(site_id, scan_id, name), path.read_bytes(), evidence=True)
            for name, data in sorted(files.items()):
                self._write_once(self._scan_key(site_id, scan_id, name), data)
        except StoreConflict:
            if self.has_report(site_id, scan_id):  # another attempt finished first: it stays as it is
                return False
            raise
        body = rendered.get(REPORT_FILE) or report_json(report)
        if not self._create(self._scan_key(site_id, scan_id, REPORT_FILE), body):
            return False
        if report.looked:
            self._advance_latest(report)
        return True

    def _advance_latest(self, report: ScanReport) -> None:
        key = f"sites/{report.site_id}/latest.json"
        current = self._read(key)
        if current is not None:
            try:
                started = datetime.fromisoformat(json.loads(current)["started_at"])
            except (ValueError, KeyError, TypeError):
                started = None  # a pointer from before started_at was recorded: replace it
            if started is not None and started > report.started_at:
                return  # a newer scan already finished first
        self._replace(key, _latest_pointer(report))

    def latest(self, site_id: str) -> ScanReport | None:
        pointer = self._read(f"sites/{site_id}/latest.json")
        if pointer is None:
            return None
        try:
            body = self._read(f"sites/{site_id}/{json.loads(pointer)['report']}")
        except (ValueError, KeyError, TypeError):
            return None
        return None if body is None else ScanReport.model_validate_json(body)

    def scan_ids(self, site_id: str) -> list[str]:
        return sorted(self._folders(f"sites/{site_id}/scans/"))

    def load(self, site_id: str, scan_id: str) -> ScanReport | None:
        body = self._read(self._scan_key(site_id, scan_id, REPORT_FILE))
        return None if body is None else ScanReport.model_validate_json(body)

    # Kept for callers that store a scan in two steps; both write each object once, like put_scan.
    def put_artefacts(self, site_id: str, scan_id: str, folder: Path) -> None:
        if self.has_report(site_id, scan_id) or self._skip_folder(site_id, scan_id, folder):
            return
        for name, path in _files_of(folder, skip={REPORT_FILE}):
            self._write_once(self._scan_key(site_id, scan_id, name), path.read_bytes(), evidence=True)

    def put_report(self, report: ScanReport, extra: dict[str, bytes] | None = None) -> bool:
        return self.put_scan(report, dict(extra or {}), None)

    # The parts of a fanned-out scan (PartStore): beside the reports, not inside a scan's folder, so a
    # scan folder only ever holds what the finished report names.
    @staticmethod
    def _parts_prefix(site_id: str, scan_id: str) -> str:
        return f"parts/{site_id}/{scan_id}/"

    def put_part(self, site_id: str, scan_id: str, name: str, data: bytes) -> bool:
        return self._create(f"{self._parts_prefix(site_id, scan_id)}{_part_name(name)}.json", data)

    def get_part(self, site_id: str, scan_id: str, name: str) -> bytes | None:
        return self._read(f"{self._parts_prefix(site_id, scan_id)}{_part_name(name)}.json")

    def part_names(self, site_id: str, scan_id: str) -> list[str]:
        return sorted(n.removesuffix(".json") for n in self._names(self._parts_prefix(site_id, scan_id))
                      if n.endswith(".json"))


class LocalStore(_OnceStore):
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def scan_prefix(self, site_id: str, scan_id: str) -> str:
        return self._scan_key(site_id, scan_id)

    def location(self, site_id: str, scan_id: str) -> str:
        return str(self.root / self._scan_key(site_id, scan_id))

    def check_writable(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the report folder {self.root}: {exc.strerror or exc}") from None
        try:
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".privacyscan-write-check-"):
                pass
        except OSError as exc:
            raise StoreUnavailable(f"the report folder {self.root} is not writable: {exc.strerror or exc}") from None

    def _skip_folder(self, site_id: str, scan_id: str, folder: Path) -> bool:
        target = self.root / self._scan_key(site_id, scan_id)
        return Path(folder).resolve() == target.resolve()

    def _create(self, key: str, data: bytes, evidence: bool = False) -> bool:
        path = self.root / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside, then linked onto the name: readers never see half a file, and link() fails
            # when the name exists, so a second writer cannot replace the first one's file.
            tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
            tmp.write_bytes(data)
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
            finally:
                tmp.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot write {path}: {exc.strerror or exc}") from None
        return True

    def _read(self, key: str) -> bytes | None:
        try:
            return (self.root / key).read_bytes()
        except FileNotFoundError:
            return None

    def _names(self, key_prefix: str) -> list[str]:
        folder = self.root / key_prefix
        try:  # dot files are writes in progress (see _create)
            return [p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
        except FileNotFoundError:
            return []

    def _folders(self, key_prefix: str) -> list[str]:
        folder = self.root / key_prefix
        try:
            return [p.name for p in folder.iterdir() if p.is_dir()]
        except FileNotFoundError:
            return []

    def _replace(self, key: str, data: bytes) -> None:
        path = self.root / key
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreUnavailable(f"cannot write {path}: {exc.strerror or exc}") from None


# The tag template.yaml's lifecycle rule expires (ScreenshotRetentionDays); the scan role needs
# s3:PutObjectTagging to write an object with tags.
EVIDENCE_TAG = "privacyscan-artefact=evidence"


class S3Store(_OnceStore):
    """S3 (boto3 honours AWS_ENDPOINT_URL). The role needs s3:ListBucket (so a missing key is a 404, not a
    403), s3:GetObject and s3:PutObject on the prefix."""

    def __init__(self, url: str, client=None) -> None:
        parts = urlsplit(url)
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        if client is None:
            import boto3

            client = boto3.client("s3")  # honours AWS_ENDPOINT_URL
        self.s3 = client

    def _key(self, *parts: str) -> str:
        return "/".join(p for p in (self.prefix, *parts) if p)

    def scan_prefix(self, site_id: str, scan_id: str) -> str:
        return self._key(self._scan_key(site_id, scan_id))

    def location(self, site_id: str, scan_id: str) -> str:
        return f"s3://{self.bucket}/{self.scan_prefix(site_id, scan_id)}"

    def _unavailable(self, exc: Exception, doing: str) -> StoreUnavailable:
        from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

        where = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        if isinstance(exc, NoCredentialsError):
            return StoreUnavailable(f"cannot {doing} {where}: no AWS credentials found")
        if isinstance(exc, EndpointConnectionError):
            return StoreUnavailable(f"cannot {doing} {where}: S3 is unreachable ({exc})")
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("NoSuchBucket", "404"):
                return StoreUnavailable(f"cannot {doing} {where}: bucket {self.bucket!r} does not exist")
            if code in ("AccessDenied", "403", "Forbidden", "AllAccessDisabled"):
                return StoreUnavailable(f"cannot {doing} {where}: access denied")
            return StoreUnavailable(f"cannot {doing} {where}: {code or type(exc).__name__}")
        return StoreUnavailable(f"cannot {doing} {where}: {type(exc).__name__}: {exc}")

    def check_writable(self) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        if not self.bucket:
            raise StoreUnavailable("the store URL names no bucket (expected s3://bucket/prefix)")
        try:
            self.s3.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            raise self._unavailable(exc, "write to") from None

    def _create(self, key: str, data: bytes, evidence: bool = False) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        content_type = _CONTENT_TYPES.get(Path(key).suffix, "application/octet-stream")
        tagging = {"Tagging": EVIDENCE_TAG} if evidence else {}
        try:
            self.s3.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type,
                               IfNoneMatch="*", **tagging)
        except ClientError as exc:
            # 412: the key exists. 409: another conditional write of the key is under way.
            if exc.response.get("Error", {}).get("Code") in ("PreconditionFailed", "412",
                                                             "ConditionalRequestConflict", "409"):
                return False
            raise self._unavailable(exc, "write to") from None
        except BotoCoreError as exc:
            raise self._unavailable(exc, "write to") from None
        return True

    def _read(self, key: str) -> bytes | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.s3.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise self._unavailable(exc, "read from") from None
        except BotoCoreError as exc:
            raise self._unavailable(exc, "read from") from None

    def has_report(self, site_id: str, scan_id: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:  # HEAD: no body to fetch for the duplicate check of every message
            self.s3.head_object(Bucket=self.bucket, Key=self._key(self._scan_key(site_id, scan_id, REPORT_FILE)))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return False
            raise self._unavailable(exc, "read from") from None
        except BotoCoreError as exc:
            raise self._unavailable(exc, "read from") from None
        return True

    def _names(self, key_prefix: str) -> list[str]:
        from botocore.exceptions import BotoCoreError, ClientError

        prefix = self._key(key_prefix.rstrip("/")) + "/"
        try:
            pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix,
                                                                      Delimiter="/")
            return [o["Key"][len(prefix):] for page in pages for o in page.get("Contents", [])]
        except (BotoCoreError, ClientError) as exc:
            raise self._unavailable(exc, "read from") from None

    def _folders(self, key_prefix: str) -> list[str]:
        from botocore.exceptions import BotoCoreError, ClientError

        prefix = self._key(key_prefix.rstrip("/")) + "/"
        try:
            pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix,
                                                                      Delimiter="/")
            return [p["Prefix"][len(prefix):].rstrip("/") for page in pages for p in page.get("CommonPrefixes", [])]
        except (BotoCoreError, ClientError) as exc:
            raise self._unavailable(exc, "read from") from None

    def _replace(self, key: str, data: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.s3.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType="application/json")
        except (BotoCoreError, ClientError) as exc:
            raise self._unavailable(exc, "write to") from None


def comparable(old: ScanReport, new: ScanReport) -> bool:
    """Same site, both scans looked, the same phases and scope (`report.diff.not_comparable_reason`, the one
    rule the diff, the CLI and the alerts share): fewer phases would "resolve" findings the scan never looked
    for, more would report old ones as new."""
    return not_comparable_reason(old, new) is None


def scan_order(scan_id: str) -> str:
    """A key that sorts scan ids by time: `<UTC stamp>-<random>` (ad hoc) and `sched-<UTC stamp>` (a
    schedule's slot, `urls.scan_id`) carry the same stamp, but as plain strings every scheduled id would
    sort after every ad hoc one."""
    return scan_id.removeprefix("sched-")


def previous_comparable(store: ReportStore, new: ScanReport, max_candidates: int = 20) -> ScanReport | None:
    """The newest earlier scan of the site that looked and covered the same phases and scope (by the start
    time in the scan ids, `scan_order`). The one look-up behind a stored scan's diff and its alert."""
    now = scan_order(new.scan_id)
    earlier = sorted((s for s in store.scan_ids(new.site_id) if scan_order(s) < now), key=scan_order, reverse=True)
    for scan_id in earlier[:max_candidates]:
        try:
            old = store.load(new.site_id, scan_id)
        except ValueError:  # a report this version cannot read is no baseline, and must not stop the others
            continue
        if old is not None and comparable(old, new):
            return old
    return None


def open_store(out: str) -> LocalStore | S3Store:
    if out.startswith("s3://"):
        return S3Store(out)
    return LocalStore(Path(out))


def write_to_fallback(report: ScanReport, rendered: dict[str, bytes], artefacts: Path | None,
                      fallback_dir: str | Path) -> str:
    """Keep a finished scan the store refused in a local folder (same layout); returns where it is."""
    store = LocalStore(Path(fallback_dir))
    store.put_scan(report, rendered, artefacts)
    return store.location(report.site_id, report.scan_id)
