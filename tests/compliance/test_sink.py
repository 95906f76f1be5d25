"""`--store log-archive`: observations as JSON lines under compliance/ in the log archive bucket (moto in process)."""

from __future__ import annotations

import json
import re

import boto3
from moto import mock_aws

from landing_zone.cli.main import main
from landing_zone.compliance.sink import LogArchiveSink, object_key
from landing_zone.compliance.store import Observation
from landing_zone.environment import load_environment

from .test_compliance_command import EXAMPLE, HOME, fix, in_account, org  # noqa: F401 -- the moto organization fixture

SSH = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def test_object_keys_are_partitioned_by_environment_and_date():
    assert (
        object_key("example", "2026-12-06T03:50:01Z", "abc")
        == "compliance/env=example/dt=2026-12-06/2026-12-06T035001Z-abc.jsonl"
    )


def test_record_fix_and_history_in_the_log_archive_bucket(org, capsys):  # noqa: F811
    facts = load_environment(EXAMPLE).facts
    bucket = facts.names.log_bucket(org["log-archive"])
    in_account(org["log-archive"], "s3").create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": HOME})
    ec2 = in_account(org["payments-prod"], "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="open-ssh", Description="t", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[SSH])
    record = ["compliance", EXAMPLE, "--evaluate", "--record", "--store", "log-archive", "--account", "payments-prod"]
    record += ["--control", "AWS-GR_RESTRICTED_SSH", "--format", "json"]

    assert main(record) == 0
    captured = capsys.readouterr()
    assert re.search(r"recorded \d+ observation\(s\) in the log archive bucket \(compliance/\)", captured.err)
    (finding,) = [f for f in json.loads(captured.out)["non_compliant"] if f["resource"] == group]
    s3 = in_account(org["log-archive"], "s3")
    (key,) = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="compliance/")["Contents"]]
    assert key.startswith("compliance/env=example/dt=20") and key.endswith(".jsonl")
    rows = [json.loads(line) for line in s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()]
    (row,) = [r for r in rows if r["resource"] == group]  # the default groups are observed (compliant) too
    assert {k: row[k] for k in ("env", "control", "account", "resource", "status", "source")} == {
        "env": "example",
        "control": "AWS-GR_RESTRICTED_SSH",
        "account": "payments-prod",
        "resource": group,
        "status": "NON_COMPLIANT",
        "source": "evaluate",
    }
    assert row["evidence"]["reason"]

    assert fix(finding["command"], org["payments-prod"]) == "Success"
    assert main(record) == 0
    capsys.readouterr()
    assert len(s3.list_objects_v2(Bucket=bucket, Prefix="compliance/")["Contents"]) == 2  # one object a run, never rewritten
    assert main(["compliance", "history", EXAMPLE, "--store", "log-archive", "--format", "json"]) == 0
    (violation,) = json.loads(capsys.readouterr().out)["violations"]
    assert violation["resource"] == group and violation["fixed"] and violation["started"] <= violation["fixed"]
    assert main(["compliance", "history", EXAMPLE, "--store", "log-archive", "--offline"]) == 2
    assert "the log archive store needs the management account's credentials" in capsys.readouterr().err


def test_query_narrows_by_account_resource_and_since(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name=HOME)
        s3.create_bucket(Bucket="lz-sink-logs", CreateBucketConfiguration={"LocationConstraint": HOME})
        sink = LogArchiveSink(s3, "lz-sink-logs")
        seen = lambda time, account, resource, status: Observation(time, "C", account, HOME, "T", resource, status)  # noqa: E731
        assert sink.record("env", []) == 0
        sink.record("env", [seen("2026-01-01T00:00:00Z", "a", "r1", "NON_COMPLIANT"), seen("2026-01-01T00:00:00Z", "b", "r2", "NON_COMPLIANT")])  # fmt: skip
        sink.record("env", [seen("2026-01-03T00:00:00Z", "a", "r1", "COMPLIANT")])
        sink.record("other", [seen("2026-01-03T00:00:00Z", "a", "r1", "NON_COMPLIANT")])
        assert [(o.time, o.status) for o in sink.query("env", account="a")] == [
            ("2026-01-01T00:00:00Z", "NON_COMPLIANT"),
            ("2026-01-03T00:00:00Z", "COMPLIANT"),
        ]
        assert [o.account for o in sink.query("env", resource="r2")] == ["b"]
        assert [o.time for o in sink.query("env", since="2026-01-02T00:00:00Z")] == ["2026-01-03T00:00:00Z"]
