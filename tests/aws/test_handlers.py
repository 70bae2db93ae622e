"""Every sample event in events/ is valid for its function's pydantic model, and every handler runs
in-process on each of its sample events against the moto server (S3, SQS, DynamoDB, Scheduler, SNS)."""

from __future__ import annotations

import json

import boto3
import pytest
from aws_lambda_powertools.utilities.parser.models import (
    LambdaFunctionUrlModel,
    S3EventNotificationEventBridgeModel,
    SqsModel,
)
from pydantic import ValidationError

from privacyscan.fanout import PhaseJob
from privacyscan.models import Evidence, Finding, PageRecord, Phase, PhaseEvidence, Severity
from privacyscan.pipeline import report_from_evidence
from privacyscan.service.sites import SLOT_PLACEHOLDER
from privacyscan.store import S3Store
from privacyscan.usecase import ScanRequest

from .lambda_runtime import POWERTOOLS_ENV, LambdaContext, load_handler, sample_events
from .stack import alerts_received, make_stack

pytestmark = pytest.mark.aws
SITE_ID = sample_events("api")["show-site"]["rawPath"].split("/")[-1]


@pytest.fixture
def stack(moto_endpoint, monkeypatch):
    made = make_stack()
    for key, value in {**made.environ(), **POWERTOOLS_ENV}.items():
        monkeypatch.setenv(key, value)
    return made


# ---------- the sample events themselves ----------

def test_every_function_has_sample_events():
    for name in ("scan", "api", "notify"):
        assert sample_events(name), name


def test_api_events_are_function_url_events():
    for name, event in sample_events("api").items():
        model = LambdaFunctionUrlModel.model_validate(event)
        assert model.requestContext.authorizer.iam is not None, name  # AWS_IAM auth: the caller is signed


def test_scan_events_are_sqs_batches_of_scan_requests_except_the_poison_one():
    for name, event in sample_events("scan").items():
        (record,) = SqsModel.model_validate(event).Records
        if name == "poison-message":
            with pytest.raises(ValidationError):
                ScanRequest.model_validate_json(record.body)
            with pytest.raises(ValidationError):
                PhaseJob.model_validate_json(record.body)
        elif name == "phase-job":  # a fanned-out scan's job for a later phase (privacyscan.fanout)
            assert PhaseJob.model_validate_json(record.body).part == "after_accept"
        else:
            ScanRequest.model_validate_json(record.body)


def test_notify_event_is_an_s3_object_created_event_for_a_report():
    (event,) = sample_events("notify").values()
    model = S3EventNotificationEventBridgeModel.model_validate(event)
    assert model.detail_type == "Object Created" and model.detail.object.key.endswith("/report.json")


# ---------- api ----------

def invoke_api(event: dict, module=None) -> tuple[int, object]:
    module = module or load_handler("api")
    response = module.lambda_handler(event, LambdaContext(function_name="privacyscan-api"))
    body = response.get("body") or ""
    return response["statusCode"], (json.loads(body) if body else None)


def test_api_events_in_order_against_the_stack(stack):
    events = sample_events("api")
    api = load_handler("api")
    scheduler = boto3.client("scheduler")

    status, site = invoke_api(events["add-site"], api)
    assert status == 201 and site["site_id"] == SITE_ID and site["label"] == "acme"
    deployed = scheduler.get_schedule(Name=SITE_ID, GroupName=stack.group)
    assert deployed["ScheduleExpression"] == "cron(0 6 ? * MON-FRI *)"
    assert deployed["ScheduleExpressionTimezone"] == "Europe/Oslo"
    assert deployed["Target"]["Arn"] == stack.queue_arn and deployed["Target"]["RoleArn"] == stack.role_arn
    assert json.loads(deployed["Target"]["Input"]) == {"site_url": "https://www.example.no/", "label": "acme",
                                                       "max_pages": 10, "scheduled_slot": SLOT_PLACEHOLDER}
    assert invoke_api(events["add-site"], api)[0] == 409  # the same site twice

    status, listed = invoke_api(events["list-sites"], api)
    assert status == 200 and [s["site_id"] for s in listed["sites"]] == [SITE_ID]

    status, shown = invoke_api(events["show-site"], api)
    assert status == 200 and shown["deployed_schedule"]["expression"] == "cron(0 6 ? * MON-FRI *)"

    status, updated = invoke_api(events["update-site"], api)
    assert status == 200 and updated["schedule"]["expression"] == "rate(1 day)"
    assert scheduler.get_schedule(Name=SITE_ID, GroupName=stack.group)["ScheduleExpression"] == "rate(1 day)"

    status, queued = invoke_api(events["scan-now"], api)
    assert status == 202 and queued["site_id"] == SITE_ID
    (message,) = boto3.client("sqs").receive_message(QueueUrl=stack.queue_url).get("Messages", [])
    request = ScanRequest.model_validate_json(message["Body"])
    assert request.site_url == "https://www.example.no/" and request.max_pages == 5 and request.scheduled_slot is None

    assert invoke_api(events["latest-report"], api)[0] == 404
    assert invoke_api(events["scan-report"], api)[0] == 404
    report = a_report(SITE_ID, "20261130T050000-abcdef", [("tracking_before_consent", "Google LLC")])
    S3Store(f"s3://{stack.bucket}").put_report(report)
    status, latest = invoke_api(events["latest-report"], api)
    assert status == 200 and latest["scan_id"] == "20261130T050000-abcdef"
    status, one = invoke_api(events["scan-report"], api)
    assert status == 200 and one["findings"][0]["subject"] == "Google LLC"

    assert invoke_api(events["remove-site"], api)[0] == 204
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.get_schedule(Name=SITE_ID, GroupName=stack.group)
    assert invoke_api(events["remove-site"], api)[0] == 404
    assert invoke_api(events["list-sites"], api)[1] == {"sites": []}


def test_api_refuses_private_targets_bad_schedules_and_host_mappings(stack):
    events = sample_events("api")
    status, body = invoke_api(events["refused-private-address"])
    assert status == 400 and "refused" in body["message"]
    status, body = invoke_api(events["invalid-schedule"])
    assert status == 400 and "schedule" in body["message"]
    mapped = json.loads(json.dumps(events["scan-now"]))
    mapped["body"] = json.dumps({"url": "https://www.example.no/", "request": {"resolve": ["www.example.no:169.254.169.254"]}})
    status, body = invoke_api(mapped)
    assert status == 400 and "resolve" in body["message"]
    assert boto3.client("sqs").receive_message(QueueUrl=stack.queue_url).get("Messages", []) == []
    assert boto3.client("dynamodb").scan(TableName=stack.table)["Count"] == 0


# ---------- scan ----------

def test_scan_events_without_a_browser_are_retryable_failures_and_write_nothing(stack, monkeypatch):
    """On a machine where Chromium is missing the use case says no_browser: every message comes back as a
    batch item failure (SQS redelivers it), and the poison message fails parsing the same way."""
    monkeypatch.setenv("PRIVACYSCAN_CHROMIUM", "/nonexistent/chromium")
    scan = load_handler("scan")
    for name, event in sample_events("scan").items():
        response = scan.lambda_handler(event, LambdaContext(function_name="privacyscan-scan"))
        assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}, name
    assert boto3.client("s3").list_objects_v2(Bucket=stack.bucket).get("KeyCount", 0) == 0


# ---------- notify ----------

def a_report(site_id: str, scan_id: str, findings: list[tuple[str, str]]):
    phase = PhaseEvidence(phase=Phase.before_consent, started_at="2026-11-30T05:00:00Z",
                          pages=[PageRecord(url="https://www.example.no/", status=200, title="Home")])
    r = report_from_evidence(Evidence(site_url="https://www.example.no/", site_id=site_id,
                                      registrable_domain="example.no", scan_id=scan_id,
                                      started_at="2026-11-30T05:00:00Z", phases=[phase]))
    r.findings = [Finding(rule_id=rule, title=f"{rule}: {subject}", severity=Severity.high, explanation="", fix="",
                          subject=subject, phase=Phase.before_consent) for rule, subject in findings]
    return r


def test_notify_publishes_new_and_resolved_findings(stack):
    (event,) = sample_events("notify").values()
    event = json.loads(json.dumps(event).replace("privacyscan-findingsbucket", stack.bucket))
    store = S3Store(f"s3://{stack.bucket}")
    store.put_report(a_report(SITE_ID, "20261127T050000-aaaaaa", [("tracking_before_consent", "Google LLC")]))
    store.put_report(a_report(SITE_ID, "20261130T050000-abcdef", [("tracking_before_consent", "Meta Platforms, Inc.")]))
    result = load_handler("notify").lambda_handler(event, LambdaContext(function_name="privacyscan-notify"))
    assert result["published"] is True and result["compared_with"] == "20261127T050000-aaaaaa"
    (alert,) = alerts_received(stack)
    assert alert["Subject"] == "privacyscan: www.example.no: 1 new, 1 resolved"
    assert "Meta Platforms, Inc." in alert["Message"] and "Google LLC" in alert["Message"]
    assert f"s3://{stack.bucket}/sites/{SITE_ID}/scans/20261130T050000-abcdef/report.json" in alert["Message"]


def test_notify_stays_quiet_without_a_change_and_for_other_objects(stack):
    (event,) = sample_events("notify").values()
    event = json.loads(json.dumps(event).replace("privacyscan-findingsbucket", stack.bucket))
    store = S3Store(f"s3://{stack.bucket}")
    same = [("tracking_before_consent", "Google LLC")]
    store.put_report(a_report(SITE_ID, "20261127T050000-aaaaaa", same))
    store.put_report(a_report(SITE_ID, "20261130T050000-abcdef", same))
    notify = load_handler("notify")
    assert notify.lambda_handler(event, LambdaContext())["published"] is False
    other = json.loads(json.dumps(event).replace("/report.json", "/report.html"))
    assert notify.lambda_handler(other, LambdaContext())["published"] is False
    assert alerts_received(stack) == []
