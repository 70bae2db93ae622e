"""A scan fanned out over invocations, end to end on loopback: the scan handler on the moto server's SQS
queue and S3 bucket, real Chromium on the fixture web. The same site scanned in one invocation and fanned
out (scan message -> first invocation -> phase-job messages read back from the queue and handed to the same
handler -> assembly by the last) visits the same pages per phase, holds the same cookies per phase and gives
the same findings, in one job per phase and in shards of two pages. A site with no banner is assembled by
the first invocation, with no jobs sent. A redelivered job writes nothing twice; a job that runs out of time
makes the assembled report incomplete, with its cause.

Wall times of each run are printed (`-s`): here the handler calls run one after another, so fan-out cannot be
faster; the critical path of a real fan-out is the first invocation plus the longest job."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import boto3
import pytest

from privacyscan.demo.webserver import Response, VirtualHostWeb
from privacyscan.models import CauseKind, Phase
from privacyscan.report.model import ScanReport

from ..browser.consent_sites import HOMEMADE_NB, META, NO_BANNER, add_trackers
from ..browser.consent_sites import _site as add_two_page_site
from .lambda_runtime import POWERTOOLS_ENV, LambdaContext, load_handler
from .stack import Stack, make_stack
from .test_stack_end_to_end import sqs_event

pytestmark = [pytest.mark.aws, pytest.mark.browser]

FAN = "www.viftebutikken.no"  # home-made banner (GA only after "Godta"), the Meta pixel on one page before any choice
SLOW = "www.treigbutikk.no"  # the same banner; its second page answers after 6 s
SUB_PAGES = ("/vifter", "/kontakt", "/om-oss")

PAGE = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><header><a href="/">Hjem</a> {links}</header><main><h1>{title}</h1><p>Vifter for varme dager.</p></main>
{banner}</body></html>"""


def add_fan_site(web: VirtualHostWeb) -> None:
    links = " ".join(f'<a href="{path}">{path.strip("/").title()}</a>' for path in SUB_PAGES)
    for path, head in (("/", ""), ("/vifter", ""), ("/kontakt", f'<script src="{META}" async></script>'),
                       ("/om-oss", "")):
        web.route(FAN, path, Response(PAGE.format(title=f"{path} {FAN}", head=head, links=links, banner=HOMEMADE_NB)))


def add_slow_site(web: VirtualHostWeb) -> None:
    web.route(SLOW, "/", Response(PAGE.format(title="Treig", head="", links='<a href="/treg">Treg</a>',
                                              banner=HOMEMADE_NB)))
    web.route(SLOW, "/treg", Response(PAGE.format(title="Treg side", head="", links="", banner=HOMEMADE_NB),
                                      delay_s=6.0))


@pytest.fixture(scope="module")
def web() -> Iterator[VirtualHostWeb]:
    server = VirtualHostWeb()
    add_trackers(server)
    add_fan_site(server)
    add_slow_site(server)
    add_two_page_site(server, NO_BANNER, head='<script src="https://www.googletagmanager.com/gtag/js?id=G-TEST" async>'
                                               '</script><script src="https://static.hotjar.com/c/hotjar-1.js" async></script>')
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(moto_endpoint) -> Iterator[Stack]:
    made = make_stack()
    saved = pytest.MonkeyPatch()
    for key, value in {**made.environ(PRIVACYSCAN_ALLOW_PRIVATE_NETWORK="1"), **POWERTOOLS_ENV}.items():
        saved.setenv(key, value)
    saved.delenv("PRIVACYSCAN_CHROMIUM", raising=False)
    yield made
    saved.undo()


def scan_request(web: VirtualHostWeb, host: str, **overrides) -> dict:
    resolve = [f"{m.host}:{m.address}:{m.port}" for m in web.mappings()]
    return {"site_url": f"https://{host}/", "max_pages": 5, "max_depth": 2, "settle_s": 0.0, "page_timeout_s": 10.0,
            "time_budget_s": 120.0, "resolve": resolve, "ignore_https_errors": True, "formats": ["json", "html"],
            **overrides}


def handler(monkeypatch: pytest.MonkeyPatch, fan_out: str, shard_pages: int = 0):
    """A fresh scan function (its composed services start empty) with the stack's environment."""
    monkeypatch.setenv("PRIVACYSCAN_FANOUT", fan_out)
    monkeypatch.setenv("PRIVACYSCAN_SHARD_PAGES", str(shard_pages))
    return load_handler("scan")


@dataclass
class Run:
    bodies: list[dict] = field(default_factory=list)  # every message handled, in order
    seconds: list[float] = field(default_factory=list)  # wall time of each invocation
    reports: list[ScanReport] = field(default_factory=list)


def receive(stack: Stack) -> list[dict]:
    return boto3.client("sqs").receive_message(
        QueueUrl=stack.queue_url, MaxNumberOfMessages=1, VisibilityTimeout=900,
        MessageSystemAttributeNames=["All"]).get("Messages", [])


def invoke(stack: Stack, scan_handler, messages: list[dict], timeout_s: float = 900) -> list[dict]:
    started = time.monotonic()
    response = scan_handler.lambda_handler(sqs_event(messages, stack.queue_arn), LambdaContext(timeout_s=timeout_s))
    invoke.last_seconds = time.monotonic() - started
    return response["batchItemFailures"]


def report_keys(stack: Stack) -> set[str]:
    contents = boto3.client("s3").list_objects_v2(Bucket=stack.bucket).get("Contents", [])
    return {o["Key"] for o in contents if o["Key"].endswith("/report.json")}


def read(stack: Stack, key: str) -> bytes:
    return boto3.client("s3").get_object(Bucket=stack.bucket, Key=key)["Body"].read()


def run_queue(stack: Stack, scan_handler, request: dict) -> Run:
    """The Lambda poller's work: send the scan message, then hand every message on the queue (the phase
    jobs the first invocation sent) to the handler until the queue is empty."""
    sqs = boto3.client("sqs")
    before = report_keys(stack)
    sqs.send_message(QueueUrl=stack.queue_url, MessageBody=json.dumps(request))
    run = Run()
    while messages := receive(stack):
        assert invoke(stack, scan_handler, messages) == []
        run.seconds.append(invoke.last_seconds)
        run.bodies.append(json.loads(messages[0]["Body"]))
        sqs.delete_message(QueueUrl=stack.queue_url, ReceiptHandle=messages[0]["ReceiptHandle"])
    run.reports = [ScanReport.model_validate_json(read(stack, key)) for key in sorted(report_keys(stack) - before)]
    return run


def pages(report: ScanReport) -> dict[Phase, list[str]]:
    return {p.phase: [page.url for page in p.pages] for p in report.evidence.phases}


def cookies(report: ScanReport) -> dict[Phase, set[tuple[str, str]]]:
    return {p.phase: {(c.name, c.domain) for c in p.cookies} for p in report.evidence.phases}


def finding_ids(report: ScanReport) -> list[str]:
    return sorted(f.id for f in report.findings)


def assert_same_scan(fanned: ScanReport, single: ScanReport) -> None:
    assert pages(fanned) == pages(single)
    assert cookies(fanned) == cookies(single)
    assert finding_ids(fanned) == finding_ids(single)
    assert (fanned.status, fanned.complete) == (single.status, single.complete)


@pytest.fixture(scope="module")
def one_invocation(stack: Stack, web: VirtualHostWeb) -> Run:
    with pytest.MonkeyPatch.context() as mp:
        return run_queue(stack, handler(mp, "none"), scan_request(web, FAN))


def test_one_invocation_is_the_baseline_the_fan_out_must_match(one_invocation: Run) -> None:
    [report] = one_invocation.reports
    assert len(one_invocation.bodies) == 1 and "kind" not in one_invocation.bodies[0]  # no jobs without fan-out
    home = f"https://{FAN}/"
    assert list(pages(report)) == list(Phase)
    assert len(pages(report)[Phase.before_consent]) == 4 and pages(report)[Phase.after_accept][:2] == [home, home]
    assert ("_ga", ".viftebutikken.no") in cookies(report)[Phase.after_accept]  # GA only after "Godta alle"
    assert ("_ga", ".viftebutikken.no") not in cookies(report)[Phase.after_reject]
    assert ("_fbp", "www.viftebutikken.no") in cookies(report)[Phase.before_consent]  # the pixel on /kontakt
    assert report.findings and report.complete


def test_fanned_out_one_job_per_phase_gives_the_same_scan(stack: Stack, web: VirtualHostWeb, one_invocation: Run,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    run = run_queue(stack, handler(monkeypatch, "phases"), scan_request(web, FAN))
    [report] = run.reports
    jobs = run.bodies[1:]
    assert [(j["kind"], j["part"]) for j in jobs] == [("phase_job", "after_reject"), ("phase_job", "after_accept")]
    assert {j["scan_id"] for j in jobs} == {report.scan_id}
    assert_same_scan(report, one_invocation.reports[0])
    parts = boto3.client("s3").list_objects_v2(Bucket=stack.bucket, Prefix=f"parts/{report.site_id}/{report.scan_id}/")
    assert sorted(o["Key"].rsplit("/", 1)[1] for o in parts["Contents"]) == [
        "after_accept.json", "after_reject.json", "before_consent.json", "plan.json"]
    # Each job's screenshots are in the scan folder under its part's name, as the report names them.
    shots = [p.screenshot for p in report.evidence.phase(Phase.after_accept).pages if p.screenshot]
    assert shots and all(s.startswith("screenshots/after_accept/") for s in shots)
    for shot in shots:
        assert read(stack, f"sites/{report.site_id}/scans/{report.scan_id}/{shot}")[:2] == b"\xff\xd8"
    single = sum(one_invocation.seconds)
    print(f"\nwall time, {FAN} (4 pages, 3 phases): one invocation {single:.1f} s; fanned out, invocations "
          f"{' + '.join(f'{s:.1f}' for s in run.seconds)} = {sum(run.seconds):.1f} s one after another; "
          f"critical path (first + longest job) {run.seconds[0] + max(run.seconds[1:]):.1f} s")


def test_fanned_out_in_shards_of_two_pages_gives_the_same_scan(stack: Stack, web: VirtualHostWeb,
                                                                one_invocation: Run,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    run = run_queue(stack, handler(monkeypatch, "phases", shard_pages=2), scan_request(web, FAN))
    [report] = run.reports
    plan = json.loads(read(stack, f"parts/{report.site_id}/{report.scan_id}/plan.json"))
    assert [(s["part"], len(s["pages"])) for s in plan["shards"]] == [
        ("after_reject-0", 2), ("after_reject-1", 1), ("after_accept-0", 2), ("after_accept-1", 1)]
    assert [j["part"] for j in run.bodies[1:]] == [s["part"] for s in plan["shards"]]
    assert_same_scan(report, one_invocation.reports[0])
    print(f"\nwall time, shards of 2: invocations {' + '.join(f'{s:.1f}' for s in run.seconds)} = "
          f"{sum(run.seconds):.1f} s; critical path {run.seconds[0] + max(run.seconds[1:]):.1f} s")


def test_a_site_with_no_banner_is_assembled_by_the_first_invocation_without_jobs(
        stack: Stack, web: VirtualHostWeb, monkeypatch: pytest.MonkeyPatch) -> None:
    single = run_queue(stack, handler(monkeypatch, "none"), scan_request(web, NO_BANNER))
    fanned = run_queue(stack, handler(monkeypatch, "phases"), scan_request(web, NO_BANNER))
    assert len(fanned.bodies) == 1  # the scan message only: nothing was sent for the choice phases
    [report], [baseline] = fanned.reports, single.reports
    assert_same_scan(report, baseline)
    assert "no_banner_but_tracking" in {f.rule_id for f in report.findings}
    for skipped in (report.evidence.phase(Phase.after_reject), report.evidence.phase(Phase.after_accept)):
        assert skipped.pages == [] and "was not run" in skipped.consent_action.detail


def test_a_redelivered_job_writes_nothing_twice_and_a_job_out_of_time_makes_the_report_incomplete(
        stack: Stack, web: VirtualHostWeb, monkeypatch: pytest.MonkeyPatch) -> None:
    scan_handler = handler(monkeypatch, "phases")
    sqs, s3 = boto3.client("sqs"), boto3.client("s3")
    before = report_keys(stack)
    sqs.send_message(QueueUrl=stack.queue_url, MessageBody=json.dumps(scan_request(web, SLOW, max_pages=3)))
    [first] = receive(stack)
    assert invoke(stack, scan_handler, [first]) == []
    sqs.delete_message(QueueUrl=stack.queue_url, ReceiptHandle=first["ReceiptHandle"])
    jobs = {json.loads(m["Body"])["part"]: m for m in (receive(stack)[0], receive(stack)[0])}
    assert set(jobs) == {"after_reject", "after_accept"}
    scan_id = json.loads(jobs["after_reject"]["Body"])["scan_id"]
    site_id = json.loads(jobs["after_reject"]["Body"])["site_id"]
    part_key = f"parts/{site_id}/{scan_id}/after_reject.json"

    # 95 s left, 60 s kept back by the function, 30 s for storing: a 5 s budget, less than the slow page takes.
    assert invoke(stack, scan_handler, [jobs["after_reject"]], timeout_s=95) == []
    stored = s3.get_object(Bucket=stack.bucket, Key=part_key)
    part = json.loads(stored["Body"].read())
    assert [c["kind"] for c in part["evidence"]["causes"]] == ["time_budget"]
    # The same message again (SQS delivers at least once): nothing crawled, nothing written.
    assert invoke(stack, scan_handler, [jobs["after_reject"]], timeout_s=95) == []
    again = s3.head_object(Bucket=stack.bucket, Key=part_key)
    assert (again["ETag"], again["LastModified"]) == (stored["ETag"], stored["LastModified"])
    assert report_keys(stack) == before  # one part still missing: no report yet

    assert invoke(stack, scan_handler, [jobs["after_accept"]]) == []
    [key] = report_keys(stack) - before
    report = ScanReport.model_validate_json(read(stack, key))
    assert report.status == "incomplete" and not report.complete
    assert [(c.kind, c.phase) for c in report.causes] == [(CauseKind.time_budget, Phase.after_reject)]
    assert report.evidence.phase(Phase.after_accept).complete
    assert f"https://{SLOW}/treg" in pages(report)[Phase.after_accept]
    written = s3.head_object(Bucket=stack.bucket, Key=key)
    # Both jobs redelivered after the report: each finds its part and the report there; the report stays.
    for part_name in ("after_accept", "after_reject"):
        assert invoke(stack, scan_handler, [jobs[part_name]]) == []
    assert report_keys(stack) - before == {key}
    assert s3.head_object(Bucket=stack.bucket, Key=key)["ETag"] == written["ETag"]
    for message in jobs.values():
        sqs.delete_message(QueueUrl=stack.queue_url, ReceiptHandle=message["ReceiptHandle"])
