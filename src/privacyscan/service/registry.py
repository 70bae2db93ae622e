"""The site registry port and its two adapters: an embedded SQLite file beside the reports (no server to
run) and a DynamoDB table. Listing is one pass over the table (paged), never a lookup per site."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from .sites import Site, SiteExists, SiteNotFound
from .sqlite import open_sqlite


class SiteRegistry(Protocol):
    def add(self, site: Site) -> None:
        """Register a new site; SiteExists when its id is taken."""

    def update(self, site: Site) -> None:
        """Replace a registered site; SiteNotFound when it is not registered."""

    def get(self, site_id: str) -> Site | None: ...

    def remove(self, site_id: str) -> bool:
        """True when the site was registered."""

    def sites(self, label: str | None = None) -> Iterator[Site]:
        """Every site (of one client label), in site id order."""

    def claim_slot(self, site_id: str, slot: datetime) -> bool:
        """Record that `slot` is being scanned; False when this or a later slot was claimed already, so two
        overlapping `run-due` runs scan a slot once."""

    def release_slot(self, site_id: str, slot: datetime) -> None:
        """Undo `claim_slot` for a scan that failed for a passing reason, so the next run retries it."""


def _dump(site: Site) -> str:
    return site.model_dump_json(exclude_none=True)


class SqliteSiteRegistry:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = open_sqlite(self.path, "CREATE TABLE IF NOT EXISTS sites (site_id TEXT PRIMARY KEY, label TEXT, "
                               "last_slot TEXT, body TEXT NOT NULL)",
                               "CREATE INDEX IF NOT EXISTS sites_by_label ON sites (label, site_id)")

    def close(self) -> None:
        self._db.close()

    def add(self, site: Site) -> None:
        with self._lock:
            try:
                self._db.execute("INSERT INTO sites (site_id, label, body) VALUES (?, ?, ?)",
                                 (site.site_id, site.label, _dump(site)))
            except sqlite3.IntegrityError as exc:
                raise SiteExists(site.site_id) from exc

    def add_many(self, sites: list[Site]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany("INSERT OR REPLACE INTO sites (site_id, label, body) VALUES (?, ?, ?)",
                                     [(s.site_id, s.label, _dump(s)) for s in sites])
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def update(self, site: Site) -> None:
        with self._lock:
            cursor = self._db.execute("UPDATE sites SET label = ?, body = ? WHERE site_id = ?",
                                      (site.label, _dump(site), site.site_id))
        if cursor.rowcount == 0:
            raise SiteNotFound(site.site_id)

    def get(self, site_id: str) -> Site | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM sites WHERE site_id = ?", (site_id,)).fetchone()
        return Site.model_validate_json(row[0]) if row else None

    def remove(self, site_id: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM sites WHERE site_id = ?", (site_id,)).rowcount > 0

    def sites(self, label: str | None = None) -> Iterator[Site]:
        with self._lock:
            if label is None:
                rows = self._db.execute("SELECT body FROM sites ORDER BY site_id").fetchall()
            else:
                rows = self._db.execute("SELECT body FROM sites WHERE label = ? ORDER BY site_id", (label,)).fetchall()
        for (body,) in rows:
            yield Site.model_validate_json(body)

    def claim_slot(self, site_id: str, slot: datetime) -> bool:
        stamp = slot.astimezone(UTC).isoformat()
        with self._lock:
            cursor = self._db.execute(
                "UPDATE sites SET last_slot = ? WHERE site_id = ? AND (last_slot IS NULL OR last_slot < ?)",
                (stamp, site_id, stamp))
        return cursor.rowcount > 0

    def release_slot(self, site_id: str, slot: datetime) -> None:
        with self._lock:
            self._db.execute("UPDATE sites SET last_slot = NULL WHERE site_id = ? AND last_slot = ?",
                             (site_id, slot.astimezone(UTC).isoformat()))


class DynamoSiteRegistry:
    """One item per site: `site_id` (partition key), `label`, `body` (the Site as JSON), `last_slot`."""

    def __init__(self, table: str, client=None) -> None:
        if client is None:
            import boto3

            client = boto3.client("dynamodb")  # honours AWS_ENDPOINT_URL
        self.table = table
        self.ddb = client

    def _item(self, site: Site) -> dict:
        item = {"site_id": {"S": site.site_id}, "body": {"S": _dump(site)}}
        if site.label is not None:
            item["label"] = {"S": site.label}
        return item

    def add(self, site: Site) -> None:
        from botocore.exceptions import ClientError

        try:
            self.ddb.put_item(TableName=self.table, Item=self._item(site),
                              ConditionExpression="attribute_not_exists(site_id)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise SiteExists(site.site_id) from exc
            raise

    def add_many(self, sites: list[Site]) -> None:
        for start in range(0, len(sites), 25):
            requests = [{"PutRequest": {"Item": self._item(s)}} for s in sites[start:start + 25]]
            pending = {self.table: requests}
            while pending:
                pending = self.ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None

    def update(self, site: Site) -> None:
        from botocore.exceptions import ClientError

        names = {"#body": "body", "#label": "label"}
        values = {":body": {"S": _dump(site)}}
        if site.label is None:
            expression = "SET #body = :body REMOVE #label"
        else:
            expression = "SET #body = :body, #label = :label"
            values[":label"] = {"S": site.label}
        try:
            self.ddb.update_item(TableName=self.table, Key={"site_id": {"S": site.site_id}},
                                 UpdateExpression=expression, ExpressionAttributeNames=names,
                                 ExpressionAttributeValues=values, ConditionExpression="attribute_exists(site_id)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise SiteNotFound(site.site_id) from exc
            raise

    def get(self, site_id: str) -> Site | None:
        item = self.ddb.get_item(TableName=self.table, Key={"site_id": {"S": site_id}}, ConsistentRead=True).get("Item")
        return Site.model_validate_json(item["body"]["S"]) if item else None

    def remove(self, site_id: str) -> bool:
        old = self.ddb.delete_item(TableName=self.table, Key={"site_id": {"S": site_id}}, ReturnValues="ALL_OLD")
        return "Attributes" in old

    def sites(self, label: str | None = None) -> Iterator[Site]:
        kwargs: dict = {"TableName": self.table, "ProjectionExpression": "body"}
        if label is not None:
            kwargs.update(FilterExpression="#label = :label", ExpressionAttributeNames={"#label": "label"},
                          ExpressionAttributeValues={":label": {"S": label}})
        found: list[Site] = []
        for page in self.ddb.get_paginator("scan").paginate(**kwargs):
            found.extend(Site.model_validate_json(item["body"]["S"]) for item in page["Items"])
        yield from sorted(found, key=lambda s: s.site_id)

    def claim_slot(self, site_id: str, slot: datetime) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.ddb.update_item(
                TableName=self.table, Key={"site_id": {"S": site_id}}, UpdateExpression="SET last_slot = :slot",
                ConditionExpression="attribute_exists(site_id) AND (attribute_not_exists(last_slot) OR last_slot < :slot)",
                ExpressionAttributeValues={":slot": {"S": slot.astimezone(UTC).isoformat()}})
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release_slot(self, site_id: str, slot: datetime) -> None:
        from botocore.exceptions import ClientError

        try:
            self.ddb.update_item(TableName=self.table, Key={"site_id": {"S": site_id}}, UpdateExpression="REMOVE last_slot",
                                 ConditionExpression="last_slot = :slot",
                                 ExpressionAttributeValues={":slot": {"S": slot.astimezone(UTC).isoformat()}})
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise


def site_json(site: Site) -> dict:
    return json.loads(site.model_dump_json())
