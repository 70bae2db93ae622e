"""template.yaml, transformed offline by aws-sam-translator into the CloudFormation that would be deployed:
the findings bucket is private, encrypted, versioned and TLS-only; no IAM statement grants a `*` resource
(except X-Ray's two write actions, which have no resource-level permissions); the scan queue has a DLQ and
the scan function the timeout, memory, storage and event-source settings the issue fixes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from cfnlint.decode import cfn_yaml
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
XRAY_WRITE = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def transformed(text: str | None = None) -> dict:
    sam = json.loads(json.dumps(cfn_yaml.loads(text or TEMPLATE.read_text())))
    # As `sam validate` does: local code folders stand for the S3 objects `sam package` would upload.
    for res in sam["Resources"].values():
        for key in ("CodeUri", "ContentUri"):
            if isinstance(res.get("Properties", {}).get(key), str):
                res["Properties"][key] = f"s3://sam-artifacts/{res['Properties'][key].strip('/')}"
    translator = Translator({}, Parser(), boto_session=boto3.Session(region_name="eu-north-1"))
    return translator.translate(sam, parameter_values={})


@pytest.fixture(scope="module")
def cfn() -> dict:
    return transformed()


def resources(cfn: dict, kind: str) -> dict[str, dict]:
    return {name: r for name, r in cfn["Resources"].items() if r["Type"] == kind}


def param_default(cfn: dict, value):
    if isinstance(value, dict) and "Ref" in value:
        return cfn["Parameters"][value["Ref"]]["Default"]
    return value


def iam_statements(cfn: dict):
    for name, res in cfn["Resources"].items():
        props = res.get("Properties", {})
        if res["Type"] == "AWS::IAM::Role":
            for policy in props.get("Policies", []):
                for st in policy["PolicyDocument"]["Statement"]:
                    yield name, st
            assert not props.get("ManagedPolicyArns"), f"{name} has managed policies (Resource '*' inside)"
        if res["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            for st in props["PolicyDocument"]["Statement"]:
                yield name, st


def star_resources(statement: dict) -> bool:
    found = statement.get("Resource", [])
    found = found if isinstance(found, list) else [found]
    return statement.get("Effect") == "Allow" and any(r == "*" for r in found)


def test_the_findings_bucket_is_private_encrypted_versioned_and_tls_only(cfn):
    (bucket_name, bucket), = resources(cfn, "AWS::S3::Bucket").items()
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                                       "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert rule["SSEAlgorithm"] in ("aws:kms", "AES256", "aws:kms:dsse")
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    lifecycle = {r["Id"]: r for r in props["LifecycleConfiguration"]["Rules"]}
    assert lifecycle["expire-screenshots-and-raw-evidence"]["ExpirationInDays"]
    (policy,) = [p for p in resources(cfn, "AWS::S3::BucketPolicy").values()
                 if p["Properties"]["Bucket"] == {"Ref": bucket_name}]
    (deny,) = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} and deny["Action"] == "s3:*"
    assert {"Fn::GetAtt": [bucket_name, "Arn"]} in deny["Resource"]  # the bucket and its objects
    assert {"Fn::Sub": f"${{{bucket_name}.Arn}}/*"} in deny["Resource"]


def test_no_iam_statement_allows_every_resource(cfn):
    statements = list(iam_statements(cfn))
    assert len(statements) >= 10
    offenders = [(role, st) for role, st in statements
                 if star_resources(st) and not set(st["Action"] if isinstance(st["Action"], list) else [st["Action"]]) <= XRAY_WRITE]
    assert offenders == []


def test_the_star_check_catches_a_wildcard_statement():
    """Decoy for the check above: the same assertion fails on a template that grants s3:* on *."""
    text = TEMPLATE.read_text().replace(
        "                Action: sns:Publish\n                Resource: !Ref AlertTopic",
        "                Action: sns:Publish\n                Resource: \"*\"")
    cfn = transformed(text)
    offenders = [st for _, st in iam_statements(cfn) if star_resources(st) and st["Action"] == "sns:Publish"]
    assert len(offenders) == 1


def test_the_scan_queue_has_a_dead_letter_queue_and_a_long_enough_visibility(cfn):
    queues = resources(cfn, "AWS::SQS::Queue")
    scan = queues["ScanQueue"]["Properties"]
    assert scan["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["ScanDeadLetterQueue", "Arn"]}
    assert 1 <= int(param_default(cfn, scan["RedrivePolicy"]["maxReceiveCount"])) <= 10
    timeout = int(param_default(cfn, cfn["Resources"]["ScanFunction"]["Properties"]["Timeout"]))
    assert int(param_default(cfn, scan["VisibilityTimeout"])) >= 6 * timeout
    assert int(cfn["Parameters"]["ScanQueueVisibilitySeconds"]["MinValue"]) >= 6 * 120  # the least timeout


def test_the_scan_function_settings(cfn):
    props = cfn["Resources"]["ScanFunction"]["Properties"]
    timeout = int(param_default(cfn, props["Timeout"]))
    assert 120 <= timeout <= 900 and int(cfn["Parameters"]["ScanTimeoutSeconds"]["MaxValue"]) <= 900
    assert int(param_default(cfn, props["MemorySize"])) >= 2048
    assert int(cfn["Parameters"]["ScanMemoryMB"]["MinValue"]) >= 2048
    assert props["EphemeralStorage"]["Size"] > 512
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["LoggingConfig"]["LogFormat"] == "JSON"
    assert int(props["Environment"]["Variables"]["PRIVACYSCAN_DEADLINE_MARGIN_S"]) > 0
    (mapping,) = resources(cfn, "AWS::Lambda::EventSourceMapping").values()
    esm = mapping["Properties"]
    assert esm["EventSourceArn"] == {"Fn::GetAtt": ["ScanQueue", "Arn"]}
    assert esm["BatchSize"] == 1
    assert esm["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert int(param_default(cfn, esm["ScalingConfig"]["MaximumConcurrency"])) >= 2


def test_fan_out_is_an_opt_in_switch_and_the_scan_role_may_send_only_to_its_own_queue(cfn):
    """Fan-out (privacyscan.fanout) sends phase jobs to the scan queue and stores parts under parts/: the scan
    role gets exactly that, and the parts expire on their own once their report is assembled."""
    assert cfn["Parameters"]["ScanFanOut"]["Default"] == "none"
    assert cfn["Parameters"]["ScanFanOut"]["AllowedValues"] == ["none", "phases"]
    assert cfn["Parameters"]["ScanShardPages"]["Default"] == 0 and cfn["Parameters"]["ScanShardPages"]["MinValue"] == 0
    env = cfn["Resources"]["ScanFunction"]["Properties"]["Environment"]["Variables"]
    assert env["PRIVACYSCAN_FANOUT"] == {"Ref": "ScanFanOut"}
    assert env["PRIVACYSCAN_SHARD_PAGES"] == {"Ref": "ScanShardPages"}
    statements = [st for role, st in iam_statements(cfn) if role == "ScanFunctionRole"]
    sends = [st for st in statements if "sqs:SendMessage" in st["Action"]]
    assert [(st["Action"], st["Resource"]) for st in sends] == [("sqs:SendMessage", {"Fn::GetAtt": ["ScanQueue", "Arn"]})]
    objects = next(st for st in statements if "s3:PutObject" in st["Action"])
    assert objects["Resource"] == [{"Fn::Sub": "${FindingsBucket.Arn}/sites/*"},
                                   {"Fn::Sub": "${FindingsBucket.Arn}/parts/*"}]
    rules = cfn["Resources"]["FindingsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    (parts,) = [r for r in rules if r.get("Prefix") == "parts/"]
    assert parts["Status"] == "Enabled" and 1 <= int(parts["ExpirationInDays"]) <= 30


def test_every_role_that_reads_reports_may_list_the_bucket(cfn):
    """S3Store reads a missing key as 'no report' only on a 404; without s3:ListBucket S3 answers 403 and the
    API's latest/scan routes would fail with 500 instead of 404, the alert's history read would stop."""
    readers = {name for name, st in iam_statements(cfn) if "s3:GetObject" in _actions(st)}
    listers = {name for name, st in iam_statements(cfn) if "s3:ListBucket" in _actions(st)
               and st["Resource"] == {"Fn::GetAtt": ["FindingsBucket", "Arn"]}}
    assert readers == {"ScanFunctionRole", "ApiFunctionRole", "NotifyFunctionRole"}
    assert readers <= listers, f"read reports without s3:ListBucket: {sorted(readers - listers)}"


def _actions(statement: dict) -> list[str]:
    actions = statement.get("Action", [])
    return actions if isinstance(actions, list) else [actions]


def test_the_api_is_a_function_url_with_iam_auth(cfn):
    (url,) = resources(cfn, "AWS::Lambda::Url").values()
    assert url["Properties"]["AuthType"] == "AWS_IAM"
    assert url["Properties"]["TargetFunctionArn"] == {"Ref": "ApiFunction"}


def test_new_reports_trigger_notify_and_alerts_go_to_sns(cfn):
    (rule,) = resources(cfn, "AWS::Events::Rule").values()
    pattern = rule["Properties"]["EventPattern"]
    assert pattern["detail"]["object"]["key"] == [{"suffix": "/report.json"}]
    assert pattern["detail"]["bucket"]["name"] == [{"Ref": "FindingsBucket"}]
    assert rule["Properties"]["Targets"][0]["Arn"] == {"Fn::GetAtt": ["NotifyFunction", "Arn"]}
    bucket = cfn["Resources"]["FindingsBucket"]["Properties"]
    assert bucket["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"] is True
    (sub,) = resources(cfn, "AWS::SNS::Subscription").values()
    assert sub["Properties"]["Protocol"] == "email" and sub["Properties"]["Endpoint"] == {"Ref": "AlertEmail"}


def test_schedules_may_only_send_to_the_scan_queue(cfn):
    role = cfn["Resources"]["SchedulerRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    (statement,) = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "sqs:SendMessage"
    assert {"Fn::GetAtt": ["ScanQueue", "Arn"]} in statement["Resource"]


def test_every_function_handler_exists(cfn):
    for name, fn in resources(cfn, "AWS::Lambda::Function").items():
        assert fn["Properties"]["Code"]["S3Key"] == cfn_code_uri(name).strip("/")
        folder = ROOT / cfn_code_uri(name)
        module, _, func = fn["Properties"]["Handler"].partition(".")
        source = (folder / f"{module}.py").read_text()
        assert f"def {func}(" in source, name


def cfn_code_uri(function: str) -> str:
    sam = cfn_yaml.loads(TEMPLATE.read_text())
    return str(sam["Resources"][function]["Properties"]["CodeUri"])


def test_cfn_lint_passes():
    result = subprocess.run([str(Path(sys.executable).parent / "cfn-lint"), str(TEMPLATE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("sam", path=str(Path(sys.executable).parent)) is None, reason="aws-sam-cli not installed")
def test_sam_validate_lint_passes():
    sam = str(Path(sys.executable).parent / "sam")
    result = subprocess.run([sam, "validate", "--lint", "--region", "eu-north-1", "-t", str(TEMPLATE)],
                            capture_output=True, text=True, env={"SAM_CLI_TELEMETRY": "0", "PATH": "/usr/bin:/bin",
                                                                 "HOME": str(Path.home())})
    assert result.returncode == 0, result.stdout + result.stderr
