"""How the site registry and the enqueue path scale: N sites (default 10,000) in DynamoDB and SQS on a moto
server (a separate process, so this process's memory is ours), and in the local SQLite registry.

    python benchmarks/registry_scale.py [--sites 10000] [--schedules 1000]

Prints seconds and this process's peak resident memory after each step: register the sites, list
them (one paged Scan), compute each site's due slot, enqueue one scan message per site (SQS batches of 10),
create their EventBridge Scheduler schedules; and the same list at N/10 sites to show it grows linearly."""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from privacyscan.service.queue import SqsScanQueue  # noqa: E402
from privacyscan.service.registry import DynamoSiteRegistry, SqliteSiteRegistry  # noqa: E402
from privacyscan.service.schedules import EventBridgeSchedules  # noqa: E402
from privacyscan.service.sites import Schedule, Site, schedule_input  # noqa: E402
from privacyscan.service.slots import latest_slot  # noqa: E402

QUEUE_CHUNK = 500
EXPRESSIONS = ["cron(0 6 ? * MON-FRI *)", "cron(30 2 * * ? *)", "rate(1 day)", "rate(12 hours)", "cron(0 4 1 * ? *)"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_sites(n: int) -> list[Site]:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    return [Site.new(f"https://www.client{i:05d}.example/", label=f"client-{i % 200:03d}",
                     schedule=Schedule(expression=EXPRESSIONS[i % len(EXPRESSIONS)], timezone="Europe/Oslo"),
                     request={"max_pages": 20}, created_at=created, updated_at=created) for i in range(n)]


class Step:
    def __init__(self, name: str, count: int) -> None:
        self.name, self.count = name, count

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        seconds = time.perf_counter() - self.start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {self.name} | {self.count:,} | {seconds:.2f} s | {self.count / seconds:,.0f}/s | {rss:.0f} MiB |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=10_000)
    parser.add_argument("--schedules", type=int, default=1_000, help="how many schedules to create (0: none)")
    args = parser.parse_args()

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}", AWS_ACCESS_KEY_ID="testing",
                      AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="eu-north-1")
    try:
        import boto3

        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        tag = uuid.uuid4().hex[:6]
        ddb = boto3.client("dynamodb")
        ddb.create_table(TableName=f"sites-{tag}", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "site_id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "site_id", "AttributeType": "S"}])
        boto3.client("scheduler").create_schedule_group(Name=f"sites-{tag}")
        registry = DynamoSiteRegistry(f"sites-{tag}")
        schedules = EventBridgeSchedules(f"sites-{tag}", "arn:aws:sqs:eu-north-1:123456789012:scans",
                                         "arn:aws:iam::123456789012:role/scheduler")
        sites = make_sites(args.sites)
        now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
        print(f"{args.sites:,} sites; moto server on loopback (separate process); Python {sys.version.split()[0]}\n")
        print("| step | items | time | rate | peak RSS so far (this process) |\n|---|---|---|---|---|")
        small = len(sites) // 10
        with Step("DynamoDB: register (BatchWriteItem)", len(sites)):
            registry.add_many(sites)
        with Step("DynamoDB: list all (paged Scan)", len(sites)):
            listed = list(registry.sites())
        assert len(listed) == len(sites)
        with Step("DynamoDB: list one client label (Scan + filter)", len(sites)):
            one_label = list(registry.sites(label="client-007"))
        assert len(one_label) == len(sites) // 200
        with Step("plan the day: due slot per site", len(listed)):
            due = [s for s in listed if latest_slot(s.schedule, now, s.created_at) is not None]
        # moto's SQS gets slower with every message held (a send costs O(queue depth) there, not in SQS), so
        # the messages go to a fresh queue per QUEUE_CHUNK: the client path measured is the same.
        sqs = boto3.client("sqs")
        with Step(f"SQS: enqueue one scan per due site (batches of 10, fresh moto queue per {QUEUE_CHUNK})", len(due)):
            for start in range(0, len(due), QUEUE_CHUNK):
                chunk = due[start:start + QUEUE_CHUNK]
                chunk_queue = SqsScanQueue(sqs.create_queue(QueueName=f"scans-{tag}-{start}")["QueueUrl"])
                chunk_queue.send_many(schedule_input(s).replace("<aws.scheduler.scheduled-time>", now.isoformat())
                                      for s in chunk)
        if args.schedules:
            with Step("Scheduler: create one schedule per site", min(args.schedules, len(sites))):
                for site in sites[: args.schedules]:
                    schedules.put(site)
        with tempfile.TemporaryDirectory() as tmp:
            local = SqliteSiteRegistry(Path(tmp) / "sites.sqlite")
            with Step("SQLite: register", len(sites)):
                local.add_many(sites)
            with Step("SQLite: list all", len(sites)):
                assert sum(1 for _ in local.sites()) == len(sites)
            local_small = SqliteSiteRegistry(Path(tmp) / "small.sqlite")
            local_small.add_many(sites[:small])
            with Step("SQLite: list all (N/10, for the growth ratio)", small):
                assert sum(1 for _ in local_small.sites()) == small
        ddb.create_table(TableName=f"small-{tag}", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "site_id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "site_id", "AttributeType": "S"}])
        small_registry = DynamoSiteRegistry(f"small-{tag}")
        small_registry.add_many(sites[:small])
        with Step("DynamoDB: list all (N/10, for the growth ratio)", small):
            assert len(list(small_registry.sites())) == small
        print(f"\npeak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
              f"due today: {len(due):,} of {len(sites):,}; first slot {min(latest_slot(s.schedule, now, s.created_at) for s in due)}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
