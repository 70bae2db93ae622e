"""Scan function: one SQS message = one call of the use case. Thin on purpose: parse the message (a
ScanRequest, or a PhaseJob of a fanned-out scan), call `scan_from_queue`, map the outcome to success or a
retryable batch-item failure."""

# No `from __future__ import annotations` here: pydantic resolves ScanMessage's `Json[ScanRequest]` when the
# class is made, and a runtime that loads this file without registering it in sys.modules (MiniStack does)
# could not resolve it later.
import functools
import os

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Json

from privacyscan.crawl.browser import BrowserUnavailable
from privacyscan.fanout import PhaseJob, scan_from_queue
from privacyscan.lambda_chromium import LayerMissing, NotEnoughSpace
from privacyscan.service.compose import ScanServices, compose_scan
from privacyscan.usecase import ScanRequest

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class ScanMessage(SqsRecordModel):
    # A PhaseJob carries `kind`, which a ScanRequest forbids: each body fits exactly one of the two.
    body: Json[ScanRequest | PhaseJob]  # type: ignore[assignment]


class RetryableScanFailure(RuntimeError):
    """The scan could not run for a reason that may pass (no browser, store refused): SQS redelivers it."""


class LoggedBatchProcessor(BatchProcessor):
    """Says in the log why a message failed (powertools keeps the exception to itself), so a message on its
    way to the DLQ leaves its reason behind."""

    def failure_handler(self, record, exception):
        logger.error("scan message failed; SQS will redeliver it", exc_info=exception,
                     extra={"message_id": record.get("messageId") if isinstance(record, dict)
                            else getattr(record, "message_id", None)})
        return super().failure_handler(record, exception)


# Batch size is 1, so a failed record is a failed batch: report it as an item failure (SQS redelivers that
# message, then moves it to the DLQ) instead of raising and failing the invocation.
processor = LoggedBatchProcessor(event_type=EventType.SQS, model=ScanMessage, raise_on_entire_batch_failure=False)


@functools.cache
def services() -> ScanServices:
    """The adapters, composed once per execution environment, on first use (env is final by then)."""
    return compose_scan(os.environ)


@tracer.capture_method
def scan_record(record: ScanMessage, lambda_context: LambdaContext | None = None) -> dict:
    message = record.body
    # Keys appended stay for the execution environment's later messages: start from none of them.
    logger.remove_keys(["site_url", "scheduled_slot", "scan_id", "part"])
    if isinstance(message, PhaseJob):
        logger.append_keys(scan_id=message.scan_id, part=message.part, message_id=record.messageId)
    else:
        logger.append_keys(site_url=message.site_url, scheduled_slot=str(message.scheduled_slot or ""),
                           message_id=record.messageId)
    composed = services()
    deadline_s = None
    if lambda_context is not None:
        deadline_s = lambda_context.get_remaining_time_in_millis() / 1000 - composed.deadline_margin_s
    try:
        settings = composed.settings_for_scan()
    except (BrowserUnavailable, NotEnoughSpace, LayerMissing) as exc:
        raise RetryableScanFailure(f"no browser: {exc}") from exc
    outcome = scan_from_queue(message, settings, composed.store, composed.parts, composed.queue,
                              deadline_s=deadline_s)
    logger.set_correlation_id(outcome.scan_id)
    tracer.put_annotation("scan_id", outcome.scan_id)
    metrics.add_metric(name=f"Scans_{outcome.status.value}", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="Findings", unit=MetricUnit.Count, value=outcome.findings)
    for severity, count in outcome.findings_by_severity.items():
        metrics.add_metric(name=f"Findings_{severity}", unit=MetricUnit.Count, value=count)
    logger.info("scan finished", extra={"outcome": outcome.model_dump(mode="json")})
    if outcome.retryable:
        raise RetryableScanFailure(f"{outcome.status.value}: {'; '.join(outcome.causes)}")
    return outcome.model_dump(mode="json")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return process_partial_response(event=event, record_handler=scan_record, processor=processor, context=context)
