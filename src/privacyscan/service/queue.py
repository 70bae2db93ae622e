"""The scan queue port: one message per scan (the ScanRequest as JSON). SQS on AWS; locally a table in
the registry's SQLite file with the same receive/visibility/delete semantics."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .sqlite import open_sqlite


@dataclass(frozen=True)
class QueuedMessage:
    body: str
    receipt: str
    receive_count: int


class ScanQueue(Protocol):
    def send(self, body: str) -> str:
        """Enqueue one scan message; returns its message id."""

    def send_many(self, bodies: Iterable[str]) -> int:
        """Enqueue many messages (batched where the back end allows); returns how many."""

    def receive(self, max_messages: int = 1, visibility_s: int = 30) -> list[QueuedMessage]: ...

    def delete(self, message: QueuedMessage) -> None: ...


class SqliteScanQueue:
    def __init__(self, path: str | Path) -> None:
        self._lock = threading.Lock()
        self._db = open_sqlite(path, "CREATE TABLE IF NOT EXISTS scan_queue (id TEXT PRIMARY KEY, seq INTEGER, "
                               "body TEXT NOT NULL, visible_at REAL NOT NULL, receipt TEXT, "
                               "receive_count INTEGER NOT NULL DEFAULT 0)")

    def send(self, body: str) -> str:
        message_id = uuid.uuid4().hex
        with self._lock:
            self._db.execute("INSERT INTO scan_queue (id, seq, body, visible_at) VALUES "
                             "(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM scan_queue), ?, 0)", (message_id, body))
        return message_id

    def send_many(self, bodies: Iterable[str]) -> int:
        rows = [(uuid.uuid4().hex, body) for body in bodies]
        with self._lock:
            self._db.execute("BEGIN")
            start = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM scan_queue").fetchone()[0]
            self._db.executemany("INSERT INTO scan_queue (id, seq, body, visible_at) VALUES (?, ?, ?, 0)",
                                 [(mid, start + i + 1, body) for i, (mid, body) in enumerate(rows)])
            self._db.execute("COMMIT")
        return len(rows)

    def receive(self, max_messages: int = 1, visibility_s: int = 30) -> list[QueuedMessage]:
        now = time.time()
        received = []
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            rows = self._db.execute("SELECT id, body, receive_count FROM scan_queue WHERE visible_at <= ? "
                                    "ORDER BY seq LIMIT ?", (now, max_messages)).fetchall()
            for message_id, body, count in rows:
                receipt = uuid.uuid4().hex
                self._db.execute("UPDATE scan_queue SET visible_at = ?, receipt = ?, receive_count = ? WHERE id = ?",
                                 (now + visibility_s, receipt, count + 1, message_id))
                received.append(QueuedMessage(body=body, receipt=receipt, receive_count=count + 1))
            self._db.execute("COMMIT")
        return received

    def delete(self, message: QueuedMessage) -> None:
        with self._lock:
            self._db.execute("DELETE FROM scan_queue WHERE receipt = ?", (message.receipt,))


class SqsScanQueue:
    def __init__(self, queue_url: str, client=None) -> None:
        if client is None:
            import boto3

            client = boto3.client("sqs")  # honours AWS_ENDPOINT_URL
        self.url = queue_url
        self.sqs = client

    def send(self, body: str) -> str:
        return self.sqs.send_message(QueueUrl=self.url, MessageBody=body)["MessageId"]

    def send_many(self, bodies: Iterable[str]) -> int:
        sent = 0
        batch: list[str] = []
        for body in [*bodies, None]:
            if body is not None:
                batch.append(body)
            if batch and (len(batch) == 10 or body is None):  # SQS batches hold at most 10 messages
                entries = [{"Id": str(i), "MessageBody": b} for i, b in enumerate(batch)]
                while entries:
                    failed = self.sqs.send_message_batch(QueueUrl=self.url, Entries=entries).get("Failed", [])
                    retry = {f["Id"] for f in failed if not f.get("SenderFault")}
                    if len(retry) != len(failed):
                        raise RuntimeError(f"SQS refused messages: {failed}")
                    entries = [e for e in entries if e["Id"] in retry]
                sent += len(batch)
                batch = []
        return sent

    def receive(self, max_messages: int = 1, visibility_s: int = 30) -> list[QueuedMessage]:
        response = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=min(max_messages, 10),
                                            VisibilityTimeout=visibility_s, WaitTimeSeconds=0,
                                            MessageSystemAttributeNames=["ApproximateReceiveCount"])
        return [QueuedMessage(body=m["Body"], receipt=m["ReceiptHandle"],
                              receive_count=int(m["Attributes"]["ApproximateReceiveCount"]))
                for m in response.get("Messages", [])]

    def delete(self, message: QueuedMessage) -> None:
        self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message.receipt)
