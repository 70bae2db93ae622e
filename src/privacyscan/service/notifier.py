"""Change alerts: a person-readable message of new and resolved findings. SNS on AWS (e-mail subscriptions);
locally an append-only JSON-lines outbox file.

Who hears about a site: the operator's address (the template's `AlertEmail`, subscribed without a filter)
hears about every site; a site's own `notify` address hears about that site only. SNS cannot address one
publish to one e-mail, so each alert carries its recipient as a message attribute and each site address is
subscribed once with a filter policy on that attribute (`SnsAlertSubscriptions`). An address shared by
several sites is one subscription; a site removed or re-addressed simply stops naming it, so nothing is
unsubscribed behind another site's back."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

RECIPIENT_ATTRIBUTE = "recipient"


class Notifier(Protocol):
    def publish(self, subject: str, body: str, site_id: str, recipient: str | None = None) -> str:
        """Send one alert (to the operator, and to `recipient` when the site names one); returns its id."""


class AlertSubscriptions(Protocol):
    def subscribe(self, address: str) -> str:
        """Make sure `address` receives the alerts published for it (idempotent); returns its id."""


class FileNotifier:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def publish(self, subject: str, body: str, site_id: str, recipient: str | None = None) -> str:
        message_id = uuid.uuid4().hex
        line = json.dumps({"id": message_id, "at": datetime.now(UTC).isoformat(), "site_id": site_id,
                           RECIPIENT_ATTRIBUTE: recipient, "subject": subject, "body": body})
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

    def publish(self, subject: str, body: str, site_id: str, recipient: str | None = None) -> str:
        # SNS e-mail subjects: at most 100 printable ASCII characters, no line breaks.
        clean_subject = "".join(c if 32 <= ord(c) < 127 else "?" for c in subject)[:100]
        attributes = {"site_id": {"DataType": "String", "StringValue": site_id}}
        if recipient:
            attributes[RECIPIENT_ATTRIBUTE] = {"DataType": "String", "StringValue": recipient}
        return self.sns.publish(TopicArn=self.topic_arn, Subject=clean_subject, Message=body,
                                MessageAttributes=attributes)["MessageId"]


class SnsAlertSubscriptions:
    """A site's address as an e-mail subscription filtered to the alerts that name it. SNS sends the
    address a confirmation mail first; subscribing an address again with the same filter returns the same
    subscription, so this is safe to call on every add and update."""

    def __init__(self, topic_arn: str, client=None) -> None:
        if client is None:
            import boto3

            client = boto3.client("sns")
        self.topic_arn = topic_arn
        self.sns = client

    def subscribe(self, address: str) -> str:
        return self.subscribe_endpoint("email", address, recipient=address)

    def subscribe_endpoint(self, protocol: str, endpoint: str, recipient: str) -> str:
        """Any SNS endpoint (an SQS queue in tests, a webhook) receiving the alerts addressed to `recipient`."""
        return self.sns.subscribe(
            TopicArn=self.topic_arn, Protocol=protocol, Endpoint=endpoint, ReturnSubscriptionArn=True,
            Attributes={"FilterPolicy": json.dumps({RECIPIENT_ATTRIBUTE: [recipient]}),
                        "FilterPolicyScope": "MessageAttributes"},
        )["SubscriptionArn"]


class OutboxSubscriptions:
    """Locally there is nothing to subscribe: every alert in the outbox names its recipient, and whatever
    delivers the outbox (a mail relay, a cron job) reads it from there."""

    def subscribe(self, address: str) -> str:
        return f"outbox:{address}"
