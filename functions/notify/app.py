"""Notify function: a report.json landed in the findings bucket (EventBridge "Object Created"); diff it
against the site's previous comparable scan and publish new and resolved findings to SNS."""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.parser.models import S3EventNotificationEventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from privacyscan.service.alerts import S3ReportHistory, change_alert, previous_comparable, split_report_key
from privacyscan.service.notifier import SnsNotifier

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=S3EventNotificationEventBridgeModel)
def lambda_handler(event: S3EventNotificationEventBridgeModel, context: LambdaContext) -> dict:
    bucket, key = event.detail.bucket.name, event.detail.object.key
    parts = split_report_key(key)
    if parts is None:
        logger.warning("not a report key", extra={"key": key})
        return {"published": False, "reason": "not a report"}
    prefix, site_id, scan_id = parts
    logger.set_correlation_id(scan_id)
    history = S3ReportHistory(bucket, prefix)
    report = history.load(site_id, scan_id)
    if report is None:
        return {"published": False, "reason": "report not found"}
    previous = previous_comparable(history, report)
    alert = change_alert(report, previous, f"s3://{bucket}/{key}")
    if alert is None:
        logger.info("nothing to tell", extra={"site_id": site_id})
        return {"published": False, "reason": "no change"}
    subject, body = alert
    message_id = SnsNotifier(os.environ["PRIVACYSCAN_ALERT_TOPIC_ARN"]).publish(subject, body, site_id)
    metrics.add_metric(name="AlertsPublished", unit=MetricUnit.Count, value=1)
    return {"published": True, "message_id": message_id, "compared_with": previous.scan_id if previous else None}
