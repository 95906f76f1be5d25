"""Issue 24.2: optional replication of the log archive to a locked bucket in a second governed region.

Off in the example; a variant (`logging.replication.region: eu-central-1`) turns it on. Synthesized once
per module, in-process after the session's synthesis; its log-archive stack goes through checkov, the
policy validator and terraform validate.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from stack_json import policy_findings

from landing_zone.constructs.logging.policies import LOG_TAMPERING_ACTIONS
from tests.conftest import EXAMPLE, ROOT

REPLICA_REGION = "eu-central-1"
VARIANT = f"""
extends: {{example}}
logging:
  replication:
    region: {REPLICA_REGION}
"""


@pytest.fixture(scope="module")
def variant(tmp_path_factory, synth_env):
    folder = tmp_path_factory.mktemp("log_replication")
    env_file = folder / "replication.yaml"
    env_file.write_text(VARIANT.format(example=EXAMPLE))
    return synth_env(env_file, folder / "out")


@pytest.fixture(scope="module")
def resources(variant) -> dict:
    return variant.stacks["log-archive"]["resource"]


def _policy(text: str) -> list[dict]:
    return json.loads(text)["Statement"]


def test_the_example_replicates_nothing(synth_out):
    resources = synth_out.stacks["log-archive"]["resource"]
    assert "aws_s3_bucket_replication_configuration" not in resources
    assert not [k for k in resources["aws_s3_bucket"] if "replica" in k]


def test_the_replica_bucket_is_hardened_like_the_log_bucket_in_the_second_region(resources, variant):
    region = f"aws.{REPLICA_REGION}"
    bucket = resources["aws_s3_bucket"]["log_replica_bucket"]
    assert bucket["provider"] == region and bucket["object_lock_enabled"] is True
    assert bucket["bucket"].startswith("acme-log-archive-replica-")  # under the SCP-protected prefix
    assert bucket["lifecycle"] == {"prevent_destroy": True}
    for kind, suffix in (
        ("aws_s3_bucket_versioning", "versioning"),
        ("aws_s3_bucket_public_access_block", "public_access_block"),
        ("aws_s3_bucket_ownership_controls", "ownership"),
        ("aws_s3_bucket_server_side_encryption_configuration", "encryption"),
        ("aws_s3_bucket_object_lock_configuration", "object_lock"),
        ("aws_s3_bucket_policy", "policy"),
    ):
        original, replica = resources[kind][f"log_bucket_{suffix}"], resources[kind][f"log_replica_bucket_{suffix}"]
        assert replica["provider"] == region, kind
        if kind in ("aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls"):
            assert {k: v for k, v in replica.items() if k not in ("//", "bucket", "provider")} == {
                k: v for k, v in original.items() if k not in ("//", "bucket", "provider")
            }, kind
    assert (
        resources["aws_s3_bucket_versioning"]["log_replica_bucket_versioning"]["versioning_configuration"]["status"] == "Enabled"
    )
    lock = resources["aws_s3_bucket_object_lock_configuration"]
    assert lock["log_replica_bucket_object_lock"]["rule"] == lock["log_bucket_object_lock"]["rule"]
    assert lock["log_replica_bucket_object_lock"]["rule"]["default_retention"] == {"mode": "COMPLIANCE", "days": 3650}
    # The replica's lifecycle stays beside it (another region); the log bucket's is in log-archive-lifecycle.
    replica_lifecycle = resources["aws_s3_bucket_lifecycle_configuration"]["log_replica_bucket_lifecycle"]
    original_lifecycle = variant.stacks["log-archive-lifecycle"]["resource"]["aws_s3_bucket_lifecycle_configuration"]
    assert replica_lifecycle["provider"] == region and "log_replica_bucket_lifecycle" not in original_lifecycle
    assert replica_lifecycle["rule"] == original_lifecycle["log_bucket_lifecycle"]["rule"]
    (rule,) = resources["aws_s3_bucket_server_side_encryption_configuration"]["log_replica_bucket_encryption"]["rule"]
    assert rule["apply_server_side_encryption_by_default"] == {
        "sse_algorithm": "aws:kms",
        "kms_master_key_id": "${aws_kms_key.log_replica_key.arn}",
    }
    assert rule["bucket_key_enabled"] is True
    # access logging to an access-log bucket of its own region
    logging = resources["aws_s3_bucket_logging"]["log_replica_bucket_access_logging"]
    assert logging["provider"] == region and logging["target_bucket"] == "${aws_s3_bucket.replica_access_log_bucket.id}"
    assert resources["aws_s3_bucket"]["replica_access_log_bucket"]["provider"] == region


def test_the_replica_policy_keeps_the_log_bucket_denies_and_allows_nobody(resources):
    statements = _policy(resources["aws_s3_bucket_policy"]["log_replica_bucket_policy"]["policy"])
    assert {s["Effect"] for s in statements} == {"Deny"}
    by_sid = {s["Sid"]: s for s in statements}
    assert set(by_sid) == {"DenyInsecureTransport", "DenyLogTampering", "DenyOtherKeys", "DenyOtherEncryption"}
    assert by_sid["DenyLogTampering"]["Action"] == list(LOG_TAMPERING_ACTIONS)
    assert by_sid["DenyLogTampering"]["Principal"] == {"AWS": "*"} and "Condition" not in by_sid["DenyLogTampering"]
    assert by_sid["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert by_sid["DenyOtherKeys"]["Condition"]["StringNotEqualsIfExists"] == {
        "s3:x-amz-server-side-encryption-aws-kms-key-id": "${aws_kms_key.log_replica_key.arn}"
    }
    # Replication writes with s3:ReplicateObject: no deny of either bucket stands in its way.
    source = _policy(resources["aws_s3_bucket_policy"]["log_bucket_policy"]["policy"])
    for statement in statements + source:
        if statement["Effect"] == "Deny" and statement["Sid"] != "DenyInsecureTransport":
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert not {"s3:ReplicateObject", "s3:ReplicateTags", "s3:GetObjectVersionForReplication", "s3:*"} & set(actions)


def test_the_replica_key_follows_the_log_key(resources):
    key = resources["aws_kms_key"]["log_replica_key"]
    original = resources["aws_kms_key"]["log_archive_key"]
    assert key["provider"] == f"aws.{REPLICA_REGION}" and key["enable_key_rotation"] is True
    assert key["deletion_window_in_days"] == original["deletion_window_in_days"]
    assert key["lifecycle"] == {"prevent_destroy": True}
    by_sid = {s["Sid"]: s for s in _policy(key["policy"])}
    assert set(by_sid) == {"KeyAdministration", "DenyKeyTampering", "OrganizationReadThroughS3"}
    assert by_sid["DenyKeyTampering"] == {s["Sid"]: s for s in _policy(original["policy"])}["DenyKeyTampering"]
    read = by_sid["OrganizationReadThroughS3"]
    assert read["Action"] == "kms:Decrypt"
    assert read["Condition"]["StringEquals"]["kms:ViaService"] == f"s3.{REPLICA_REGION}.amazonaws.com"
    bucket = "arn:aws:s3:::" + resources["aws_s3_bucket"]["log_replica_bucket"]["bucket"]
    assert read["Condition"]["StringLike"] == {"kms:EncryptionContext:aws:s3:arn": [bucket, f"{bucket}/*"]}
    alias = resources["aws_kms_alias"]["log_replica_key_alias"]
    assert alias["provider"] == f"aws.{REPLICA_REGION}" and alias["name"] == "alias/acme-lz-logs"


def test_the_replication_role_is_trusted_by_s3_for_this_account_and_least_privilege(resources):
    role = resources["aws_iam_role"]["log_replication_role"]
    (trust,) = _policy(role["assume_role_policy"])
    assert trust["Principal"] == {"Service": "s3.amazonaws.com"} and trust["Action"] == "sts:AssumeRole"
    assert list(trust["Condition"]["StringEquals"]) == ["aws:SourceAccount"]
    policy = resources["aws_iam_role_policy"]["log_replication_role_policy"]
    assert policy["role"] == "${aws_iam_role.log_replication_role.id}"
    statements = {s["Sid"]: s for s in _policy(policy["policy"])}
    source = "arn:aws:s3:::" + resources["aws_s3_bucket"]["log_bucket"]["bucket"]
    replica = "arn:aws:s3:::" + resources["aws_s3_bucket"]["log_replica_bucket"]["bucket"]
    assert statements["ReadReplicationConfiguration"]["Resource"] == source
    assert statements["ReadSourceVersions"]["Resource"] == f"{source}/*"
    assert {"s3:GetObjectRetention", "s3:GetObjectLegalHold"} <= set(statements["ReadSourceVersions"]["Action"])
    assert statements["ReplicateToReplica"] == {
        "Sid": "ReplicateToReplica",
        "Effect": "Allow",
        "Action": ["s3:ReplicateObject", "s3:ReplicateTags"],  # no s3:ReplicateDelete: delete markers stay home
        "Resource": f"{replica}/*",
    }
    decrypt, encrypt = statements["DecryptSource"], statements["EncryptReplica"]
    assert decrypt["Action"] == "kms:Decrypt" and decrypt["Resource"] == "${aws_kms_key.log_archive_key.arn}"
    assert decrypt["Condition"]["StringEquals"] == {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}
    assert decrypt["Condition"]["StringLike"] == {"kms:EncryptionContext:aws:s3:arn": [source, f"{source}/*"]}
    assert encrypt["Resource"] == "${aws_kms_key.log_replica_key.arn}"
    assert encrypt["Condition"]["StringEquals"] == {"kms:ViaService": f"s3.{REPLICA_REGION}.amazonaws.com"}
    assert encrypt["Condition"]["StringLike"] == {"kms:EncryptionContext:aws:s3:arn": [replica, f"{replica}/*"]}
    assert all(s["Resource"] != "*" for s in statements.values())


def test_the_log_bucket_replicates_every_new_version_but_no_delete_marker(resources):
    config = resources["aws_s3_bucket_replication_configuration"]["log_bucket_replication"]
    assert config["bucket"] == "${aws_s3_bucket.log_bucket.id}" and "provider" not in config  # the home region
    assert config["role"] == "${aws_iam_role.log_replication_role.arn}"
    (rule,) = config["rule"]
    assert rule["status"] == "Enabled" and rule["filter"] == {"prefix": ""}
    assert rule["delete_marker_replication"] == {"status": "Disabled"}
    assert rule["source_selection_criteria"] == {"sse_kms_encrypted_objects": {"status": "Enabled"}}
    assert rule["destination"]["bucket"] == "${aws_s3_bucket.log_replica_bucket.arn}"
    assert rule["destination"]["encryption_configuration"] == {"replica_kms_key_id": "${aws_kms_key.log_replica_key.arn}"}
    assert {
        "aws_s3_bucket_versioning.log_bucket_versioning",
        "aws_s3_bucket_versioning.log_replica_bucket_versioning",
    } <= set(config["depends_on"])


def test_the_replica_passes_the_policy_validator(variant):
    from landing_zone.policy_reference.synthesized import documents

    stacks = {"log-archive": variant.stacks["log-archive"]}
    judged = {d.address for d in documents(stacks)}
    assert {
        "aws_iam_role.log_replication_role",
        "aws_iam_role_policy.log_replication_role_policy",
        "aws_s3_bucket_policy.log_replica_bucket_policy",
        "aws_s3_bucket_policy.replica_access_log_bucket_policy",
        "aws_kms_key.log_replica_key",
    } <= judged
    found = policy_findings(stacks, variant.loaded.env)
    assert [str(f) for _, f in found] == []


@pytest.mark.gate
def test_the_replica_passes_checkov_with_zero_failed_checks(variant, tmp_path):
    from landing_zone.scan.gate import scan

    # with the lifecycle stack, which holds the log archive buckets' lifecycle configurations (issue 23 B.3)
    for name in ("log-archive", "log-archive-lifecycle"):
        folder = tmp_path / "stacks" / name
        shutil.copytree(variant.stack_dir(name), folder, ignore=shutil.ignore_patterns(".terraform*"))
    result = scan(tmp_path, config=str(ROOT / ".checkov.yaml"))
    failures = [f"{f.check_id} {f.resource}: {f.check_name} {f.details}" for f in result.failures]
    assert failures == [], "\n".join(failures)
    assert result.parsing_errors == [] and result.passed
    # the replica's resources were judged, not skipped past
    assert result.checks["CKV_AWS_21"]["passed"] >= 4 and result.checks["CKV_AWS_18"]["passed"] >= 2


@pytest.mark.gate
def test_the_replica_stack_passes_terraform_validate(variant, tmp_path):
    from landing_zone.terraform import Terraform
    from landing_zone.terraform.find_mirror import find_mirror

    env = dict(os.environ)
    if not env.get("LZ_TF_PROVIDER_MIRROR") and (mirror := find_mirror()):
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
    folder = shutil.copytree(
        variant.stack_dir("log-archive"), tmp_path / "log-archive", ignore=shutil.ignore_patterns(".terraform*")
    )
    terraform = Terraform(folder, env=env, progress=lambda _msg: None)
    terraform.init()
    terraform.validate()
