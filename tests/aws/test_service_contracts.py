"""One contract per port, run against both adapters: the local one (SQLite file / JSON-lines outbox) and
the AWS one (DynamoDB, SQS, EventBridge Scheduler, SNS on a moto server). An adapter that behaves
differently from its twin fails here."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from privacyscan.service.notifier import FileNotifier, SnsAlertSubscriptions, SnsNotifier
from privacyscan.service.queue import SqliteScanQueue, SqsScanQueue
from privacyscan.service.registry import DynamoSiteRegistry, SqliteSiteRegistry
from privacyscan.service.schedules import EventBridgeSchedules, SqliteSchedules
from privacyscan.service.sites import SLOT_PLACEHOLDER, Schedule, Site, SiteExists, SiteNotFound

from .stack import alerts_received, make_stack

pytestmark = pytest.mark.aws
SLOT = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def stack(moto_endpoint):
    return make_stack()


def a_site(url: str = "https://www.example.no/", **fields) -> Site:
    return Site.new(url, **fields)


@pytest.fixture(params=["sqlite", "dynamodb"])
def registry(request, tmp_path):
    if request.param == "sqlite":
        return SqliteSiteRegistry(tmp_path / "sites.sqlite")
    request.getfixturevalue("moto_endpoint")
    import uuid

    from .stack import create_table

    name = f"sites-{uuid.uuid4().hex[:8]}"
    create_table(name)
    return DynamoSiteRegistry(name)


@pytest.fixture(params=["sqlite", "sqs"])
def queue(request, tmp_path):
    if request.param == "sqlite":
        return SqliteScanQueue(tmp_path / "sites.sqlite")
    request.getfixturevalue("moto_endpoint")
    import uuid

    import boto3

    return SqsScanQueue(boto3.client("sqs").create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"])


@pytest.fixture(params=["sqlite", "eventbridge"])
def schedules(request, tmp_path):
    if request.param == "sqlite":
        return SqliteSchedules(tmp_path / "sites.sqlite")
    stack = request.getfixturevalue("stack")
    return EventBridgeSchedules(stack.group, stack.queue_arn, stack.role_arn, stack.dlq_arn)


@pytest.fixture(params=["file", "sns"])
def notifier_and_inbox(request, tmp_path):
    if request.param == "file":
        notifier = FileNotifier(tmp_path / "alerts.jsonl")
        return notifier, lambda: [{"Subject": m["subject"], "Message": m["body"], "site_id": m["site_id"],
                                   **({"recipient": m["recipient"]} if m["recipient"] else {})}
                                  for m in notifier.messages()]
    stack = request.getfixturevalue("stack")
    alerts_received(stack)  # drain what earlier tests left

    def inbox():
        return [{"Subject": m["Subject"], "Message": m["Message"], "site_id": m["MessageAttributes"]["site_id"]["Value"],
                 **({"recipient": m["MessageAttributes"]["recipient"]["Value"]}
                    if "recipient" in m["MessageAttributes"] else {})}
                for m in alerts_received(stack)]
    return SnsNotifier(stack.topic_arn), inbox


# ---------- SiteRegistry ----------

def test_registry_round_trip(registry):
    site = a_site(schedule=Schedule(expression="cron(0 6 ? * MON-FRI *)", timezone="Europe/Oslo"), label="acme",
                  notify="dpo@example.no", request={"max_pages": 5})
    registry.add(site)
    assert registry.get(site.site_id) == site
    assert registry.get("no-such-site") is None


def test_registry_refuses_a_second_add_and_an_update_of_an_unknown_site(registry):
    site = a_site()
    registry.add(site)
    with pytest.raises(SiteExists):
        registry.add(site.model_copy(update={"label": "other"}))
    assert registry.get(site.site_id).label is None
    with pytest.raises(SiteNotFound):
        registry.update(a_site("https://unknown.example/"))


def test_registry_update_and_remove(registry):
    site = a_site(label="acme")
    registry.add(site)
    registry.update(site.model_copy(update={"label": None, "notify": "a@b.no"}))
    assert registry.get(site.site_id).label is None and registry.get(site.site_id).notify == "a@b.no"
    assert registry.remove(site.site_id) is True
    assert registry.remove(site.site_id) is False
    assert registry.get(site.site_id) is None


def test_registry_lists_in_id_order_and_filters_by_label(registry):
    sites = [a_site(f"https://s{i}.example/", label="acme" if i % 2 else "globex") for i in range(7)]
    for site in reversed(sites):
        registry.add(site)
    assert [s.site_id for s in registry.sites()] == sorted(s.site_id for s in sites)
    acme = [s.site_id for s in registry.sites(label="acme")]
    assert acme == sorted(s.site_id for s in sites if s.label == "acme") and len(acme) == 3
    assert list(registry.sites(label="initech")) == []  # decoy: a label nobody has


def test_registry_claims_each_slot_once(registry):
    site = a_site()
    registry.add(site)
    assert registry.claim_slot(site.site_id, SLOT) is True
    assert registry.claim_slot(site.site_id, SLOT) is False  # the same slot again: a duplicate run
    assert registry.claim_slot(site.site_id, SLOT.astimezone(ZoneInfo("Europe/Oslo"))) is False
    assert registry.claim_slot(site.site_id, SLOT - timedelta(days=1)) is False  # an older slot
    assert registry.claim_slot(site.site_id, SLOT + timedelta(days=1)) is True
    assert registry.claim_slot("no-such-site", SLOT) is False


def test_a_released_slot_can_be_claimed_again_and_only_that_slot_is_released(registry):
    site = a_site()
    registry.add(site)
    assert registry.claim_slot(site.site_id, SLOT) is True
    registry.release_slot(site.site_id, SLOT - timedelta(days=1))  # decoy: not the claimed slot
    assert registry.claim_slot(site.site_id, SLOT) is False
    registry.release_slot(site.site_id, SLOT)
    assert registry.claim_slot(site.site_id, SLOT) is True


# ---------- ScanQueue ----------

def test_queue_delivers_hides_and_deletes(queue):
    queue.send('{"site_url": "https://a.example/"}')
    (message,) = queue.receive(max_messages=10, visibility_s=30)
    assert json.loads(message.body) == {"site_url": "https://a.example/"} and message.receive_count == 1
    assert queue.receive(max_messages=10) == []  # in flight: invisible to other consumers
    queue.delete(message)
    assert queue.receive(max_messages=10) == []


def test_queue_redelivers_an_undeleted_message_after_its_visibility(queue):
    queue.send("one")
    (first,) = queue.receive(visibility_s=1)
    time.sleep(1.2)
    (again,) = queue.receive(visibility_s=30)
    assert again.body == "one" and again.receive_count == 2


def test_queue_send_many_batches_every_message(queue):
    bodies = [json.dumps({"n": i}) for i in range(23)]
    assert queue.send_many(bodies) == 23
    got = []
    while batch := queue.receive(max_messages=10, visibility_s=60):
        got += [m.body for m in batch]
        for m in batch:
            queue.delete(m)
    assert sorted(got) == sorted(bodies)


# ---------- Schedules ----------

def test_schedule_put_get_update_delete(schedules):
    site = a_site(schedule=Schedule(expression="cron(0 6 ? * MON-FRI *)", timezone="Europe/Oslo"), label="acme",
                  request={"max_pages": 5})
    assert schedules.get(site.site_id) is None
    schedules.put(site)
    entry = schedules.get(site.site_id)
    assert (entry.expression, entry.timezone) == ("cron(0 6 ? * MON-FRI *)", "Europe/Oslo")
    assert json.loads(entry.input) == {"site_url": site.url, "label": "acme", "max_pages": 5,
                                       "scheduled_slot": SLOT_PLACEHOLDER}
    schedules.put(site.model_copy(update={"schedule": Schedule(expression="rate(12 hours)")}))
    entry = schedules.get(site.site_id)
    assert (entry.expression, entry.timezone) == ("rate(12 hours)", "UTC")
    assert schedules.delete(site.site_id) is True
    assert schedules.get(site.site_id) is None
    assert schedules.delete(site.site_id) is False


def test_a_site_without_a_schedule_has_none(schedules):
    site = a_site("https://noschedule.example/", schedule=Schedule(expression="rate(1 day)"))
    schedules.put(site)
    schedules.put(site.model_copy(update={"schedule": None}))
    assert schedules.get(site.site_id) is None


# ---------- Notifier ----------

def test_notifier_delivers_subject_body_and_site(notifier_and_inbox):
    notifier, inbox = notifier_and_inbox
    notifier.publish("privacyscan: www.example.no: 2 new, 0 resolved", "New findings (2):\n  - x\n", "www.example.no-1")
    (message,) = inbox()
    assert message == {"Subject": "privacyscan: www.example.no: 2 new, 0 resolved",
                       "Message": "New findings (2):\n  - x\n", "site_id": "www.example.no-1"}


def test_notifier_names_the_sites_own_recipient(notifier_and_inbox):
    notifier, inbox = notifier_and_inbox
    notifier.publish("privacyscan: a.example: 1 new, 0 resolved", "New findings (1):\n  - y\n", "a.example-1",
                     "dpo@a.example")
    (message,) = inbox()
    assert message["recipient"] == "dpo@a.example" and message["site_id"] == "a.example-1"


def test_a_site_address_hears_only_its_own_alerts_and_the_operator_hears_all(stack):
    """SNS routing: the site address is a subscription filtered on the recipient attribute; the operator's
    (the stack's inbox, unfiltered) gets everything. Subscribing the same address again is harmless."""
    import uuid

    import boto3

    sqs = boto3.client("sqs")
    site_inbox = sqs.create_queue(QueueName=f"site-inbox-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    site_inbox_arn = sqs.get_queue_attributes(QueueUrl=site_inbox, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    subscriptions = SnsAlertSubscriptions(stack.topic_arn)
    first = subscriptions.subscribe_endpoint("sqs", site_inbox_arn, recipient="dpo@a.example")
    assert subscriptions.subscribe_endpoint("sqs", site_inbox_arn, recipient="dpo@a.example") == first
    assert subscriptions.subscribe("dpo@a.example").startswith(stack.topic_arn)  # e-mail, pending confirmation
    alerts_received(stack)
    notifier = SnsNotifier(stack.topic_arn)
    notifier.publish("for a", "a\n", "a.example-1", "dpo@a.example")
    notifier.publish("for b", "b\n", "b.example-1", "dpo@b.example")
    notifier.publish("for nobody in particular", "c\n", "c.example-1")
    site_got = []
    for _ in range(3):
        site_got += sqs.receive_message(QueueUrl=site_inbox, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
    assert [json.loads(m["Body"])["Subject"] for m in site_got] == ["for a"]
    assert sorted(m["Subject"] for m in alerts_received(stack)) == ["for a", "for b", "for nobody in particular"]
