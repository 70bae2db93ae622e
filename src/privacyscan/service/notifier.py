"""Change alerts: a person-readable message of new and resolved findings. SNS on AWS (e-mail subscription);
locally an append-only JSON-lines outbox file."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol


class Notifier(Protocol):
    def publish(self, subject: str, body: str, site_id: str) -> str:
        """Send one alert; returns its message id."""


class FileNotifier:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def publish(self, subject: str, body: str, site_id: str) -> str:
        message_id = uuid.uuid4().hex
        line = json.dumps({"id": message_id, "at": datetime.now(UTC).isoformat(), "site_id": site_id,
                           "subject": subject, "body": body})
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        return message_id

    def messages(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]


class SnsNotifier:
    def __init__(self, topic_arn: str, client=None) -> None:
        if client is None:
            import boto3

            client = boto3.client("sns")  # honours AWS_ENDPOINT_URL
        self.topic_arn = topic_arn
        self.sns = client

    def publish(self, subject: str, body: str, site_id: str) -> str:
        # SNS e-mail subjects: at most 100 printable ASCII characters, no line breaks.
        clean_subject = "".join(c if 32 <= ord(c) < 127 else "?" for c in subject)[:100]
        return self.sns.publish(TopicArn=self.topic_arn, Subject=clean_subject, Message=body,
                                MessageAttributes={"site_id": {"DataType": "String", "StringValue": site_id}})["MessageId"]
