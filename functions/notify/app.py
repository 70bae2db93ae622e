"""Notify function: a report.json landed in the findings bucket (EventBridge "Object Created"); diff it
against the site's previous comparable scan and publish new and resolved findings to SNS, for the operator
and for the site's own alert address (`service.alerts.alert_on_report`)."""

from __future__ import annotations

import functools
import os

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.parser.models import S3EventNotificationEventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from privacyscan.service.alerts import alert_on_report, split_report_key
from privacyscan.service.compose import AlertServices, compose_alerts
from privacyscan.store import S3Store

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@functools.cache
def services() -> AlertServices:
    """The adapters, composed once per execution environment, on first use."""
    return compose_alerts(os.environ)


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
    composed = services()
    # The bucket and prefix come from the event: the report that landed is the one to read.
    outcome = alert_on_report(S3Store(f"s3://{bucket}/{prefix}"), site_id, scan_id, f"s3://{bucket}/{key}",
                              composed.notifier, composed.recipient(site_id))
    if outcome.published:
        metrics.add_metric(name="AlertsPublished", unit=MetricUnit.Count, value=1)
    else:
        logger.info("nothing published", extra={"site_id": site_id, "reason": outcome.reason})
    return outcome.model_dump(mode="json", exclude={"recipient"})
