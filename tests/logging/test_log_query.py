"""Issue 17.3: Athena over the log archive (`logging.athena`), in the audit account.

Off in the example; a variant turns it on. Synthesized once per module, in-process after the session's
synthesis; its audit and log-archive stacks go through checkov, the policy validator and terraform validate.
"""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest
from stack_json import one, policy_findings, resources, statements

from landing_zone.compliance import athena
from landing_zone.compliance.sink import object_key
from landing_zone.constructs.logging.policies import LOG_TAMPERING_ACTIONS
from tests.conftest import EXAMPLE, ROOT

VARIANT = """
extends: {example}
logging:
  athena:
    enabled: true
    bytes_scanned_cutoff_gb: 5
"""
STACKS = ("audit", "log-archive")


@pytest.fixture(scope="module")
def variant(tmp_path_factory, synth_env):
    folder = tmp_path_factory.mktemp("log_query")
    env_file = folder / "athena.yaml"
    env_file.write_text(VARIANT.format(example=EXAMPLE))
    return synth_env(env_file, folder / "out")


@pytest.fixture(scope="module")
def audit(variant) -> dict:
    return variant.stacks["audit"]


def _log_bucket_policy(stack: dict) -> dict:
    return statements(one(stack, "aws_s3_bucket_policy", "log_bucket_policy"))


def test_the_example_has_no_athena(synth_out):
    assert not resources(synth_out.stacks["audit"], "aws_athena_workgroup")
    assert not resources(synth_out.stacks["audit"], "aws_glue_catalog_table")
    assert not [sid for sid in _log_bucket_policy(synth_out.stacks["log-archive"]) if sid.startswith("AthenaQuery")]


def test_the_workgroup_enforces_encrypted_results_and_a_scan_cutoff(audit):
    workgroup = one(audit, "aws_athena_workgroup", "log_query_workgroup")
    config = workgroup["configuration"]
    assert workgroup["name"] == "acme-lz-logs" and workgroup["state"] == "ENABLED"
    assert config["enforce_workgroup_configuration"] is True and config["publish_cloudwatch_metrics_enabled"] is True
    assert config["bytes_scanned_cutoff_per_query"] == 5 * 1024**3
    result = config["result_configuration"]
    assert result["output_location"] == "s3://${aws_s3_bucket.log_query_results_bucket.bucket}/athena/"
    assert result["encryption_configuration"] == {
        "encryption_option": "SSE_KMS",
        "kms_key_arn": "${aws_kms_key.log_query_key.arn}",
    }
    assert result["expected_bucket_owner"] == workgroup_owner(audit)


def workgroup_owner(audit: dict) -> str:
    """The audit account's id as the stack spells it (its provider's allowed account)."""
    (provider,) = [p for p in audit["provider"]["aws"] if "alias" not in p]
    return provider["allowed_account_ids"][0]


def test_the_results_bucket_is_a_secure_bucket_with_a_key_and_access_logging(audit):
    bucket = one(audit, "aws_s3_bucket", "log_query_results_bucket")
    assert bucket["bucket"].startswith("acme-lz-athena-")
    encryption = one(audit, "aws_s3_bucket_server_side_encryption_configuration", "log_query_results_bucket_encryption")
    rule = encryption["rule"][0]
    assert rule["apply_server_side_encryption_by_default"] == {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.log_query_key.arn}"}  # fmt: skip
    block = one(audit, "aws_s3_bucket_public_access_block", "log_query_results_bucket_public_access_block")
    assert all(
        block[k] is True for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    )
    versioning = one(audit, "aws_s3_bucket_versioning", "log_query_results_bucket_versioning")
    assert versioning["versioning_configuration"]["status"] == "Enabled"
    lifecycle = one(audit, "aws_s3_bucket_lifecycle_configuration", "log_query_results_bucket_lifecycle")
    assert lifecycle["rule"][0]["expiration"] == [{"days": 30}]
    logging = one(audit, "aws_s3_bucket_logging", "log_query_results_access_logging")
    assert logging["target_bucket"] == "${aws_s3_bucket.log_query_access_log_bucket.id}"
    assert "DenyInsecureTransport" in statements(one(audit, "aws_s3_bucket_policy", "log_query_results_bucket_policy"))
    key = one(audit, "aws_kms_key", "log_query_key")
    assert key["enable_key_rotation"] is True
    assert [s["Sid"] for s in json.loads(key["policy"])["Statement"]] == ["KeyAdministration"]


def test_the_glue_catalog_is_encrypted_with_the_key(audit):
    settings = one(audit, "aws_glue_data_catalog_encryption_settings", "log_query_catalog_encryption")
    inner = settings["data_catalog_encryption_settings"]
    assert inner["encryption_at_rest"] == {"catalog_encryption_mode": "SSE-KMS", "sse_aws_kms_key_id": "${aws_kms_key.log_query_key.arn}"}  # fmt: skip
    assert inner["connection_password_encryption"]["return_connection_password_encrypted"] is True


def _table(audit: dict, name: str) -> dict:
    return one(audit, "aws_glue_catalog_table", f"log_query_table_{name}")


def _bucket_ref(value: str) -> str:
    """The log bucket's name, a cross-stack reference to the log-archive stack."""
    match = re.match(
        r"s3://(\$\{data\.terraform_remote_state\.cross-stack-reference-input-log-archive\.outputs\.[^}]+\})/", value
    )
    assert match, value
    return match.group(1)


def test_the_observations_table_reads_the_sinks_prefix_with_partition_projection(audit, variant):
    table = _table(audit, athena.OBSERVATIONS)
    location = table["storage_descriptor"]["location"]
    bucket = _bucket_ref(location)
    assert location == f"s3://{bucket}/compliance/"
    params = table["parameters"]
    assert params["projection.enabled"] == "true" and params["projection.env.values"] == "athena"  # the environment's name
    assert params["projection.dt.range"] == "2024-01-01,NOW"  # logging.athena.history_since's default
    template = params["storage.location.template"]
    # terraform reads `$${` as a literal `${`: Athena sees its own placeholders
    assert template == f"s3://{bucket}/compliance/env=$${{env}}/dt=$${{dt}}/"
    key = object_key("athena", "2026-03-04T05:06:07Z", "run")
    athena_sees = template.replace("$${", "${").replace("${env}", "athena").replace("${dt}", "2026-03-04")
    assert f"s3://{bucket}/{key}".startswith(athena_sees)
    assert [k["name"] for k in table["partition_keys"]] == ["env", "dt"]
    assert table["table_type"] == "EXTERNAL_TABLE"
    assert table["storage_descriptor"]["ser_de_info"]["serialization_library"] == athena.JSON_SERDE
    assert table["database_name"] == "${aws_glue_catalog_database.log_query_database.name}"


def test_config_and_cloudtrail_tables_read_their_delivery_prefixes(audit):
    for name, kind in ((athena.CONFIG_HISTORY, "ConfigHistory"), (athena.CONFIG_SNAPSHOT, "ConfigSnapshot")):
        table = _table(audit, name)
        bucket = _bucket_ref(table["storage_descriptor"]["location"])
        assert table["parameters"]["storage.location.template"] == f"s3://{bucket}/AWSLogs/$${{account}}/Config/$${{region}}/$${{dt}}/{kind}/"  # fmt: skip
        assert table["parameters"]["projection.region.values"] == "eu-west-1,eu-central-1"
    trail = _table(audit, athena.CLOUDTRAIL)
    template = trail["parameters"]["storage.location.template"]
    # the organization id is the management stack's output; the placeholders stay Athena's
    assert re.fullmatch(
        r"s3://\$\{[^}]+\}/AWSLogs/\$\{data\.terraform_remote_state\.cross-stack-reference-input-management\.outputs\.[^}]+\}/\$\$\{account\}/CloudTrail/\$\$\{region\}/\$\$\{dt\}/",
        template,
    ), template


def test_each_saved_query_is_in_the_workgroup_and_database(audit):
    queries = resources(audit, "aws_athena_named_query")
    assert sorted(q["name"] for q in queries.values()) == sorted(q.name for q in athena.SAVED_QUERIES)
    tables = {t["name"] for t in resources(audit, "aws_glue_catalog_table").values()}
    assert tables == {athena.OBSERVATIONS, athena.CONFIG_HISTORY, athena.CONFIG_SNAPSHOT, athena.CLOUDTRAIL}
    for query in queries.values():
        assert query["workgroup"] == "${aws_athena_workgroup.log_query_workgroup.name}"
        assert query["database"] == "${aws_glue_catalog_database.log_query_database.name}"
        assert re.findall(r"\bFROM\s+(\w+)", query["query"])[0] in tables


def test_the_log_bucket_lets_only_the_query_role_read_through_athena_and_keeps_its_denies(variant):
    policy = _log_bucket_policy(variant.stacks["log-archive"])
    read, listing = policy["AthenaQueryRead"], policy["AthenaQueryList"]
    for statement in (read, listing):
        assert statement["Effect"] == "Allow"
        assert statement["Principal"]["AWS"].endswith(":root") and statement["Principal"]["AWS"].startswith("arn:aws:iam::${")
        assert statement["Condition"]["ArnEquals"]["aws:PrincipalArn"].endswith(":role/acme-lz-log-query")
        assert statement["Condition"]["ForAnyValue:StringEquals"] == {"aws:CalledVia": ["athena.amazonaws.com"]}
    assert read["Action"] == ["s3:GetObject"]
    keys = [r.split("/", 1)[1] for r in read["Resource"]]
    assert keys[:3] == [
        "compliance/env=*/dt=*/*",
        "AWSLogs/*/Config/*/*/ConfigHistory/*",
        "AWSLogs/*/Config/*/*/ConfigSnapshot/*",
    ]
    assert re.fullmatch(r"AWSLogs/\$\{[^}]+organizationid\}/\*/CloudTrail/\*/\*/\*", keys[3]) and len(keys) == 4
    assert listing["Action"] == ["s3:GetBucketLocation", "s3:ListBucket"]
    assert policy["DenyLogTampering"]["Action"] == list(LOG_TAMPERING_ACTIONS)
    assert "Condition" not in policy["DenyLogTampering"]
    assert {"DenyInsecureTransport", "DenyOtherKeys", "DenyOtherEncryption"} <= set(policy)


def test_the_query_role_reads_and_never_writes_the_logs(audit):
    role = one(audit, "aws_iam_role", "log_query_role")
    trust = json.loads(role["assume_role_policy"])["Statement"]
    assert len(trust) == 1 and trust[0]["Condition"]["ArnLike"]["aws:PrincipalArn"][0].endswith(
        ":role/aws-reserved/sso.amazonaws.com/*"
    )
    policy = statements(one(audit, "aws_iam_role_policy", "log_query_role_policy"))
    log_actions = [a for s in policy.values() for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]) if s["Sid"] in ("ListLogs", "ReadLogs", "DecryptLogs")]  # fmt: skip
    assert sorted(log_actions) == ["kms:Decrypt", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket"]
    assert policy["DecryptLogs"]["Condition"] == {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}
    assert policy["RunQueries"]["Resource"] == "${aws_athena_workgroup.log_query_workgroup.arn}"
    assert all("*" not in a for s in policy.values() for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]))


def test_athena_passes_the_policy_validator(variant):
    from landing_zone.policy_reference.synthesized import documents

    stacks = {name: variant.stacks[name] for name in STACKS}
    judged = {d.address for d in documents(stacks)}
    assert {
        "aws_iam_role.log_query_role",
        "aws_iam_role_policy.log_query_role_policy",
        "aws_s3_bucket_policy.log_bucket_policy",
        "aws_s3_bucket_policy.log_query_results_bucket_policy",
        "aws_kms_key.log_query_key",
    } <= judged
    found = policy_findings(stacks, variant.loaded.env)
    assert [str(f) for _, f in found] == []


@pytest.mark.gate
def test_athena_passes_checkov_with_zero_failed_checks(variant, tmp_path):
    from landing_zone.scan.gate import scan

    # with the lifecycle stack of the log archive's buckets (issue 23 B.3)
    for name in (*STACKS, "log-archive-lifecycle"):
        shutil.copytree(variant.stack_dir(name), tmp_path / "stacks" / name, ignore=shutil.ignore_patterns(".terraform*"))
    result = scan(tmp_path, config=str(ROOT / ".checkov.yaml"))
    failures = [f"{f.check_id} {f.resource}: {f.check_name} {f.details}" for f in result.failures]
    assert failures == [], "\n".join(failures)
    assert result.parsing_errors == [] and result.passed
    # Athena's and Glue's resources were judged, not skipped past
    for check in ("CKV_AWS_82", "CKV_AWS_159", "CKV_AWS_94"):
        assert result.checks[check]["passed"] >= 1, check


@pytest.mark.gate
def test_the_audit_stack_with_athena_passes_terraform_validate(variant, tmp_path):
    from landing_zone.terraform import Terraform
    from landing_zone.terraform.find_mirror import find_mirror

    env = dict(os.environ)
    if not env.get("LZ_TF_PROVIDER_MIRROR") and (mirror := find_mirror()):
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
    folder = shutil.copytree(variant.stack_dir("audit"), tmp_path / "audit", ignore=shutil.ignore_patterns(".terraform*"))
    terraform = Terraform(folder, env=env, progress=lambda _msg: None)
    terraform.init()
    terraform.validate()
