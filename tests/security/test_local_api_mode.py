"""Against the local AWS API the stacks leave out exactly what it does not serve; `terraform test` proves those."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.local_aws.target import LOCAL_API_GAPS

ROOT = Path(__file__).resolve().parents[2]
TFTEST = Path(__file__).parent / "tftest"


def types_in(stacks: dict) -> set[str]:
    return {t for stack in stacks.values() for t in stack.get("resource", {})}


@pytest.fixture(scope="module")
def local_synth(synth_env, tmp_path_factory):
    return synth_env(
        ROOT / "environments" / "example.yaml",
        tmp_path_factory.mktemp("local_api"),
        local_endpoint="http://127.0.0.1:4566",
        allow_destroy=True,
    )


def test_every_gap_is_real_in_the_example(synth_out):
    """Each listed type is synthesized for real AWS (the list is not stale)."""
    assert set(LOCAL_API_GAPS) <= types_in(synth_out.stacks)


def test_the_local_deployment_leaves_out_every_gap(local_synth, synth_out):
    local = types_in(local_synth.stacks)
    assert not local & set(LOCAL_API_GAPS)
    assert set(LOCAL_API_GAPS) <= types_in(synth_out.stacks) - local


def test_what_moto_serves_stays_in_the_local_deployment(local_synth):
    served = {
        "aws_kms_key",
        "aws_s3_bucket",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_logging",
        "aws_cloudtrail",
        "aws_cloudwatch_log_group",
        "aws_config_configuration_recorder",
        "aws_config_delivery_channel",
        "aws_config_configuration_recorder_status",
        "aws_config_configuration_aggregator",
        "aws_iam_role",
        "aws_iam_account_password_policy",
        "aws_s3_account_public_access_block",
        "aws_ebs_encryption_by_default",
        "aws_sns_topic",
        "aws_sns_topic_subscription",
        "aws_cloudwatch_event_rule",
        "aws_guardduty_detector",
    }
    assert served <= types_in(local_synth.stacks)


def test_every_gap_is_asserted_by_a_terraform_test_file():
    text = "\n".join(p.read_text() for p in TFTEST.glob("*.tftest.hcl"))
    missing = [t for t in LOCAL_API_GAPS if f"{t}." not in text]
    assert missing == []


def test_only_a_local_test_run_may_empty_the_log_archive_on_destroy(local_synth, synth_out):
    """Local server access logging fills the access-log bucket; only a local run with allow_destroy empties it."""
    for name in ("log_bucket", "access_log_bucket"):
        local = local_synth.stacks["log-archive"]["resource"]["aws_s3_bucket"][name]
        assert local["force_destroy"] is True and local["lifecycle"]["prevent_destroy"] is False
        real = synth_out.stacks["log-archive"]["resource"]["aws_s3_bucket"][name]
        assert "force_destroy" not in real and real["lifecycle"]["prevent_destroy"] is True
