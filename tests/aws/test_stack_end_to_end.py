"""The stack end to end, in one test, on loopback: add a site through the API handler -> its Scheduler
schedule exists with the right expression and input -> that input is delivered as the schedule would ->
SQS -> scan handler (real Chromium on the fixture web) -> report in S3 -> notify -> SNS message with the new
findings. A redelivered slot writes nothing new, a poison message ends in the DLQ, and an unreachable site
is stored as unreachable, never as a verdict."""

from __future__ import annotations

import json
import socket
import time

import boto3
import pytest

from privacyscan.demo.webserver import VirtualHostWeb
from privacyscan.service.sites import SLOT_PLACEHOLDER

from .lambda_runtime import POWERTOOLS_ENV, LambdaContext, load_handler
from .stack import Stack, alerts_received, make_stack

pytestmark = [pytest.mark.aws, pytest.mark.browser]
SLOT = "2026-11-30T06:00:00Z"



@pytest.fixture
def stack(moto_endpoint, monkeypatch) -> Stack:
    made = make_stack()
    # A test stack: AllowPrivateNetwork=1, because the fixture web lives on loopback.
    for key, value in {**made.environ(PRIVACYSCAN_ALLOW_PRIVATE_NETWORK="1"), **POWERTOOLS_ENV}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PRIVACYSCAN_CHROMIUM", raising=False)
    return made


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def url_event(method: str, path: str, body: dict | None = None) -> dict:
    return {"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": "",
            "headers": {"content-type": "application/json"}, "isBase64Encoded": False,
            "body": json.dumps(body) if body is not None else None,
            "requestContext": {"accountId": "123456789012", "apiId": "e2e", "domainName": "e2e.lambda-url.eu-north-1.on.aws",
                               "domainPrefix": "e2e", "requestId": "e2e", "routeKey": "$default", "stage": "$default",
                               "time": "30/Nov/2026:06:00:00 +0000", "timeEpoch": 1795989600000,
                               "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                                        "sourceIp": "127.0.0.1", "userAgent": "pytest"}}}


def scan_request_for(web: VirtualHostWeb, extra_resolve: tuple[str, ...] = ()) -> dict:
    resolve = [f"{m.host}:{m.address}:{m.port}" for m in web.mappings()] + list(extra_resolve)
    return {"max_pages": 2, "max_depth": 1, "phases": ["before_consent"], "settle_s": 0.3, "page_timeout_s": 5.0,
            "time_budget_s": 120.0, "resolve": resolve, "ignore_https_errors": True}


def sqs_event(messages: list[dict], queue_arn: str) -> dict:
    """What the SQS event source hands the function for received messages."""
    return {"Records": [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                         "attributes": {k: str(v) for k, v in m.get("Attributes", {}).items()},
                         "messageAttributes": {}, "md5OfBody": m["MD5OfBody"], "eventSource": "aws:sqs",
                         "eventSourceARN": queue_arn, "awsRegion": "eu-north-1"} for m in messages]}


def poll_once(stack: Stack, scan_handler, visibility_s: int = 900) -> list[dict] | None:
    """One turn of the Lambda SQS poller: receive, invoke, delete what succeeded. None when the queue is empty."""
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(QueueUrl=stack.queue_url, MaxNumberOfMessages=1, VisibilityTimeout=visibility_s,
                                   MessageSystemAttributeNames=["All"]).get("Messages", [])
    if not messages:
        return None
    response = scan_handler.lambda_handler(sqs_event(messages, stack.queue_arn), LambdaContext(timeout_s=900))
    failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
    for m in messages:
        if m["MessageId"] not in failed:
            sqs.delete_message(QueueUrl=stack.queue_url, ReceiptHandle=m["ReceiptHandle"])
    return response["batchItemFailures"]


def report_created_event(bucket: str, key: str) -> dict:
    return {"version": "0", "id": "e2e", "detail-type": "Object Created", "source": "aws.s3", "account": "123456789012",
            "time": "2026-11-30T06:01:00Z", "region": "eu-north-1", "resources": [f"arn:aws:s3:::{bucket}"],
            "detail": {"version": "0", "bucket": {"name": bucket},
                       "object": {"key": key, "size": 1, "etag": "e2e", "sequencer": "1"},
                       "request-id": "e2e", "requester": "123456789012", "reason": "PutObject"}}


def report_keys(bucket: str) -> dict[str, str]:
    listed = boto3.client("s3").list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: o["ETag"] + str(o["LastModified"]) for o in listed}


def test_site_to_schedule_to_scan_to_report_to_alert(stack, shop_web):
    api, scan, notify = load_handler("api"), load_handler("scan"), load_handler("notify")
    s3, sqs = boto3.client("s3"), boto3.client("sqs")

    # 1. add the site through the API
    add = url_event("POST", "/sites", {"url": "http://shop.example/", "label": "acme", "notify": "dpo@shop.example",
                                       "schedule": {"expression": "cron(0 6 * * ? *)", "timezone": "UTC"},
                                       "request": scan_request_for(shop_web)})
    response = api.lambda_handler(add, LambdaContext(function_name="api"))
    assert response["statusCode"] == 201, response
    site_id = json.loads(response["body"])["site_id"]

    # its alert address is subscribed to the topic, filtered to the alerts addressed to it
    subscriptions = boto3.client("sns").list_subscriptions_by_topic(TopicArn=stack.topic_arn)["Subscriptions"]
    (own,) = [s for s in subscriptions if s["Endpoint"] == "dpo@shop.example"]
    attributes = boto3.client("sns").get_subscription_attributes(SubscriptionArn=own["SubscriptionArn"])["Attributes"]
    assert own["Protocol"] == "email" and json.loads(attributes["FilterPolicy"]) == {"recipient": ["dpo@shop.example"]}

    # 2. its schedule exists with the right expression and input
    schedule = boto3.client("scheduler").get_schedule(Name=site_id, GroupName=stack.group)
    assert schedule["ScheduleExpression"] == "cron(0 6 * * ? *)" and schedule["Target"]["Arn"] == stack.queue_arn
    scheduled_input = schedule["Target"]["Input"]
    assert json.loads(scheduled_input)["scheduled_slot"] == SLOT_PLACEHOLDER
    assert json.loads(scheduled_input)["site_url"] == "http://shop.example/"

    # 3. deliver that input as the schedule would (placeholder -> firing time) -> scan handler, real Chromium
    fired = scheduled_input.replace(SLOT_PLACEHOLDER, SLOT)
    sqs.send_message(QueueUrl=stack.queue_url, MessageBody=fired)
    assert poll_once(stack, scan) == []
    keys = report_keys(stack.bucket)
    (report_key,) = [k for k in keys if k.endswith("/report.json")]
    assert report_key.startswith(f"sites/{site_id}/scans/") and f"sites/{site_id}/latest.json" in keys
    report = json.loads(s3.get_object(Bucket=stack.bucket, Key=report_key)["Body"].read())
    assert report["evidence"]["phases"][0]["pages"], "the scan looked at the shop"
    assert report["findings"], "the fixture shop tracks before consent"
    assert report.get("status", "complete") in ("complete", "incomplete")

    # 4. notify -> SNS with the new findings
    result = notify.lambda_handler(report_created_event(stack.bucket, report_key), LambdaContext(function_name="notify"))
    assert result["published"] is True
    (alert,) = alerts_received(stack)
    assert f"{len(report['findings'])} new, 0 resolved" in alert["Subject"]
    assert all(f["rule_id"] in alert["Message"] for f in report["findings"])
    assert f"s3://{stack.bucket}/{report_key}" in alert["Message"]
    assert alert["MessageAttributes"]["recipient"]["Value"] == "dpo@shop.example"  # the site's own address

    # 5. the same slot delivered again (duplicate firing / redelivery) writes nothing new
    sqs.send_message(QueueUrl=stack.queue_url, MessageBody=fired)
    assert poll_once(stack, scan) == []
    assert report_keys(stack.bucket) == keys

    # 6. a poison message is retried, then moved to the dead-letter queue (maxReceiveCount 2)
    sqs.send_message(QueueUrl=stack.queue_url, MessageBody='{"site_url": "http://shop.example/", "max_pages": "many"}')
    failures = []
    for _ in range(6):
        outcome = poll_once(stack, scan, visibility_s=1)
        if outcome is None:
            time.sleep(1.1)
            continue
        failures.append(outcome)
    assert len(failures) == 2 and all(len(f) == 1 for f in failures)
    dead = sqs.receive_message(QueueUrl=stack.dlq_url, MaxNumberOfMessages=10).get("Messages", [])
    assert [json.loads(m["Body"])["max_pages"] for m in dead] == ["many"]
    assert report_keys(stack.bucket) == keys

    # 7. an unreachable site is stored as unreachable, not as a compliance verdict
    gone = f"gone.example:127.0.0.1:{closed_port()}"
    add_gone = url_event("POST", "/sites", {"url": "http://gone.example/", "request": {
        **scan_request_for(shop_web, (gone,)), "resolve": [gone]}})
    response = api.lambda_handler(add_gone, LambdaContext(function_name="api"))
    assert response["statusCode"] == 201, response
    gone_id = json.loads(response["body"])["site_id"]
    sqs.send_message(QueueUrl=stack.queue_url, MessageBody=json.dumps(
        {"site_url": "http://gone.example/", **scan_request_for(shop_web, (gone,)) | {"resolve": [gone]}}))
    assert poll_once(stack, scan) == []  # not retried: an unreachable site is an answer, not a fault
    gone_keys = [k for k in report_keys(stack.bucket) if k.startswith(f"sites/{gone_id}/") and k.endswith("/report.json")]
    assert len(gone_keys) == 1
    gone_report = json.loads(s3.get_object(Bucket=stack.bucket, Key=gone_keys[0])["Body"].read())
    assert gone_report["status"] == "unreachable"
    assert all(f["rule_id"] not in ("tracking_before_consent", "no_banner_but_tracking") for f in gone_report["findings"])
    assert f"sites/{gone_id}/latest.json" not in report_keys(stack.bucket)  # latest points only at scans that looked
    quiet = notify.lambda_handler(report_created_event(stack.bucket, gone_keys[0]), LambdaContext(function_name="notify"))
    assert quiet["published"] is False and alerts_received(stack) == []
