"""The stack's AWS resources made on the moto server, named as template.yaml names their environment
variables, so `compose_*()` builds the same adapters the Lambda functions get."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import boto3

REGION = "eu-north-1"


@dataclass
class Stack:
    bucket: str
    table: str
    queue_url: str
    queue_arn: str
    dlq_url: str
    dlq_arn: str
    group: str
    role_arn: str
    topic_arn: str
    alerts_inbox_url: str  # an SQS queue subscribed to the topic: what an e-mail subscriber would get

    def environ(self, **extra: str) -> dict[str, str]:
        return {"PRIVACYSCAN_STORE": f"s3://{self.bucket}", "PRIVACYSCAN_REGISTRY": f"dynamodb://{self.table}",
                "PRIVACYSCAN_SCAN_QUEUE_URL": self.queue_url, "PRIVACYSCAN_SCAN_QUEUE_ARN": self.queue_arn,
                "PRIVACYSCAN_SCHEDULE_GROUP": self.group, "PRIVACYSCAN_SCHEDULER_ROLE_ARN": self.role_arn,
                "PRIVACYSCAN_SCHEDULE_DLQ_ARN": self.dlq_arn, "PRIVACYSCAN_ALERT_TOPIC_ARN": self.topic_arn,
                **extra}


def create_table(name: str) -> None:
    boto3.client("dynamodb").create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "site_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "site_id", "AttributeType": "S"}])


def create_queue_with_dlq(name: str, max_receive_count: int = 2, visibility_s: int = 1) -> tuple[str, str, str, str]:
    sqs = boto3.client("sqs")
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(QueueName=name, Attributes={
        "VisibilityTimeout": str(visibility_s),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)})})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn, dlq_url, dlq_arn


def make_stack() -> Stack:
    tag = uuid.uuid4().hex[:8]
    bucket = f"findings-{tag}"
    boto3.client("s3").create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    table = f"sites-{tag}"
    create_table(table)
    queue_url, queue_arn, dlq_url, dlq_arn = create_queue_with_dlq(f"scans-{tag}")
    group = f"sites-{tag}"
    boto3.client("scheduler").create_schedule_group(Name=group)
    role_arn = boto3.client("iam").create_role(
        RoleName=f"scheduler-{tag}", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
    )["Role"]["Arn"]
    sns = boto3.client("sns")
    topic_arn = sns.create_topic(Name=f"alerts-{tag}")["TopicArn"]
    sqs = boto3.client("sqs")
    inbox_url = sqs.create_queue(QueueName=f"alerts-inbox-{tag}")["QueueUrl"]
    inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=inbox_arn, Attributes={"RawMessageDelivery": "false"})
    return Stack(bucket=bucket, table=table, queue_url=queue_url, queue_arn=queue_arn, dlq_url=dlq_url,
                 dlq_arn=dlq_arn, group=group, role_arn=role_arn, topic_arn=topic_arn, alerts_inbox_url=inbox_url)


def alerts_received(stack: Stack) -> list[dict]:
    """SNS notifications (Subject, Message, MessageAttributes) delivered to the inbox queue so far."""
    sqs = boto3.client("sqs")
    found = []
    while True:
        messages = sqs.receive_message(QueueUrl=stack.alerts_inbox_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return found
        for m in messages:
            found.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=stack.alerts_inbox_url, ReceiptHandle=m["ReceiptHandle"])
