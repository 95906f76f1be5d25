"""`lz check-plan`: detective checks on planned values, SCP simulation of the implied calls, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landing_zone.cli.main import main
from landing_zone.compliance.evaluator import RULES
from landing_zone.compliance.evaluator.planned import PLANNED, normalized, planned_resources

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "environments" / "example.yaml")
ACCOUNT = "payments-prod"


def change(address: str, rtype: str, after: dict, actions=("create",)) -> dict:
    return {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "change": {"actions": list(actions), "before": None, "after": after},
    }


def plan(*changes: dict, refs: dict | None = None, region: str = "eu-west-1") -> dict:
    """A `terraform show -json` document; refs: address -> {attribute: [references]} for the configuration."""
    resources = [{"address": a, "expressions": {k: {"references": v} for k, v in r.items()}} for a, r in (refs or {}).items()]
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "resource_changes": list(changes),
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": region}}}},
            "root_module": {"resources": resources},
        },
    }


GOOD_INSTANCE = {"instance_type": "m5.large", "ebs_optimized": True, "metadata_options": [{"http_tokens": "required"}]}
PRIVATE_BUCKET = [
    change("aws_s3_bucket.site", "aws_s3_bucket", {"bucket": "payments-site"}),
    change("aws_s3_bucket_versioning.site", "aws_s3_bucket_versioning", {"versioning_configuration": [{"status": "Enabled"}]}),
]
BUCKET_REFS = {"aws_s3_bucket_versioning.site": {"bucket": ["aws_s3_bucket.site.id", "aws_s3_bucket.site"]}}


def run(tmp_path: Path, document: dict, *extra: str, capsys) -> tuple[int, dict]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    code = main(["check-plan", str(path), "--env", EXAMPLE, "--account", ACCOUNT, "--format", "json", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def violations(result: dict) -> set[tuple[str, str]]:
    return {(v["control_id"], v["address"]) for v in result["violations"]}


def test_a_clean_plan_passes(tmp_path, capsys):
    document = plan(
        *PRIVATE_BUCKET,
        change("aws_instance.app", "aws_instance", GOOD_INSTANCE),
        change(
            "aws_security_group.web",
            "aws_security_group",
            {"name": "web", "ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}]},
        ),
        change(
            "aws_db_instance.db", "aws_db_instance", {"identifier": "db", "publicly_accessible": False, "storage_encrypted": True}
        ),
        refs=BUCKET_REFS,
    )
    code, result = run(tmp_path, document, capsys=capsys)
    assert (code, result["violations"]) == (0, [])
    assert result["evaluations"] >= 8 and result["calls_simulated"] >= 5
    assert "AWS-GR_RESTRICTED_SSH" in result["detective_controls"]
    assert "AWS-GR_ROOT_ACCOUNT_MFA_ENABLED" in result["detective_controls_not_answerable_from_a_plan"]


# (changes, configuration references, the (control, address) violations expected)
DETECTIVE = [
    (
        [*PRIVATE_BUCKET, change("aws_s3_bucket_acl.site", "aws_s3_bucket_acl", {"acl": "public-read"})],
        {**BUCKET_REFS, "aws_s3_bucket_acl.site": {"bucket": ["aws_s3_bucket.site.id", "aws_s3_bucket.site"]}},
        {("AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED", "aws_s3_bucket.site")},
    ),
    (
        [
            *PRIVATE_BUCKET,
            change(
                "aws_s3_bucket_policy.site",
                "aws_s3_bucket_policy",
                {
                    "bucket": "payments-site",
                    "policy": json.dumps(
                        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "*"}]}
                    ),
                },
            ),
        ],
        BUCKET_REFS,
        {("AWS-GR_S3_BUCKET_PUBLIC_WRITE_PROHIBITED", "aws_s3_bucket.site")},
    ),
    (
        [change("aws_s3_bucket.logs", "aws_s3_bucket", {"bucket": "payments-logs"})],
        {},
        {("AWS-GR_S3_VERSIONING_ENABLED", "aws_s3_bucket.logs")},
    ),
    (
        [
            change(
                "aws_vpc_security_group_ingress_rule.ssh",
                "aws_vpc_security_group_ingress_rule",
                {"ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "0.0.0.0/0"},
            ),
            change(
                "aws_security_group_rule.rdp",
                "aws_security_group_rule",
                {"type": "ingress", "protocol": "tcp", "from_port": 3389, "to_port": 3389, "cidr_blocks": ["0.0.0.0/0"]},
            ),
        ],
        {},
        {
            ("AWS-GR_RESTRICTED_SSH", "aws_vpc_security_group_ingress_rule.ssh"),
            ("AWS-GR_RESTRICTED_COMMON_PORTS", "aws_security_group_rule.rdp"),
        },
    ),
    (
        [change("aws_db_instance.db", "aws_db_instance", {"publicly_accessible": True, "storage_encrypted": False})],
        {},
        {
            ("AWS-GR_RDS_INSTANCE_PUBLIC_ACCESS_CHECK", "aws_db_instance.db"),
            ("AWS-GR_RDS_STORAGE_ENCRYPTED", "aws_db_instance.db"),
        },
    ),
    (
        [change("aws_db_snapshot.s", "aws_db_snapshot", {"shared_accounts": ["all"]})],
        {},
        {("AWS-GR_RDS_SNAPSHOTS_PUBLIC_PROHIBITED", "aws_db_snapshot.s")},
    ),
    (
        [
            change("aws_ebs_volume.loose", "aws_ebs_volume", {"encrypted": False, "size": 8}),
            change("aws_ebs_volume.used", "aws_ebs_volume", {"encrypted": True, "size": 8}),
            change("aws_volume_attachment.used", "aws_volume_attachment", {"device_name": "/dev/sdf"}),
            change("aws_instance.app", "aws_instance", GOOD_INSTANCE),
        ],
        {"aws_volume_attachment.used": {"volume_id": ["aws_ebs_volume.used.id", "aws_ebs_volume.used"]}},
        {("AWS-GR_ENCRYPTED_VOLUMES", "aws_ebs_volume.loose"), ("AWS-GR_EC2_VOLUME_INUSE_CHECK", "aws_ebs_volume.loose")},
    ),
    (
        [change("aws_instance.old", "aws_instance", {"ebs_optimized": False, "metadata_options": [{"http_tokens": "optional"}]})],
        {},
        {
            ("LZ-EC2-IMDSV2-CHECK", "aws_instance.old"),
            ("AWS-GR_EBS_OPTIMIZED_INSTANCE", "aws_instance.old"),
            ("LZ-EC2-REQUIRE-IMDSV2", "aws_instance.old"),  # the preventive twin: RunInstances without required tokens
        },
    ),
    (
        [change("aws_iam_user.bot", "aws_iam_user", {"name": "bot", "path": "/"})],
        {},
        {("AWS-GR_IAM_USER_MFA_ENABLED", "aws_iam_user.bot")},
    ),
]


@pytest.mark.parametrize(("changes", "refs", "expected"), DETECTIVE, ids=[sorted(e)[0][0] for _, _, e in DETECTIVE])
def test_a_violating_plan_exits_3_naming_control_address_and_reason(tmp_path, capsys, changes, refs, expected):
    code, result = run(tmp_path, plan(*changes, refs=refs), capsys=capsys)
    assert code == 3
    assert violations(result) == expected
    assert all(v["reason"] for v in result["violations"])


def test_a_resource_the_plan_leaves_alone_is_not_reported(tmp_path, capsys):
    document = plan(
        change("aws_db_instance.db", "aws_db_instance", {"publicly_accessible": True, "storage_encrypted": True}, ("no-op",))
    )
    code, result = run(tmp_path, document, capsys=capsys)
    assert (code, result["violations"], result["evaluations"]) == (0, [], 0)


def test_preventive_controls_deny_the_implied_calls(tmp_path, capsys):
    document = plan(
        change("aws_iam_role.sneaky", "aws_iam_role", {"name": "acme-lz-audit-reader", "path": "/", "assume_role_policy": "{}"}),
        change("aws_internet_gateway.igw", "aws_internet_gateway", {}),
        change("aws_instance.far", "aws_instance", GOOD_INSTANCE),
        region="us-west-2",
    )
    code, result = run(tmp_path, document, capsys=capsys)
    assert code == 3
    found = {(v["address"], v["behaviour"]) for v in result["violations"]}
    assert ("aws_iam_role.sneaky", "preventive") in found
    assert ("aws_internet_gateway.igw", "preventive") in found
    assert ("aws_instance.far", "preventive") in found  # region deny: us-west-2 is not governed
    role = next(v for v in result["violations"] if v["address"] == "aws_iam_role.sneaky")
    assert "AWS-GR_IAM_ROLE_CHANGE_PROHIBITED" in role["control_id"] and "iam:CreateRole" in role["reason"]


def test_text_output_and_summary(tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan(change("aws_db_snapshot.s", "aws_db_snapshot", {"shared_accounts": ["all"]}))))
    assert main(["check-plan", str(path), "--env", EXAMPLE, "--account", ACCOUNT]) == 3
    captured = capsys.readouterr()
    assert "BLOCKED: 1 violation" in captured.out and "aws_db_snapshot.s" in captured.out
    assert "AWS-GR_RDS_SNAPSHOTS_PUBLIC_PROHIBITED" in captured.out
    assert "lz check-plan: 1 violation(s) in account payments-prod" in captured.err


def test_not_a_plan_is_refused_as_plan_review_refuses_it(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"version": 4, "resources": []}))
    assert main(["check-plan", str(path), "--env", EXAMPLE, "--account", ACCOUNT]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"lz check-plan: {path}: not a plan: expected the output of `terraform show -json PLANFILE`"
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"format_version": "1.2", "resource_changes": [{"address": "x", "type": "t", "change": {"actions": ["explode"]}}]}
        )
    )
    assert main(["check-plan", str(bad), "--env", EXAMPLE, "--account", ACCOUNT]) == 2
    assert "resource_changes[0] (x).change.actions[0]" in capsys.readouterr().err
    assert main(["plan-review", str(bad)]) == 2  # the same check


def test_an_unknown_account_is_refused(tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan()))
    assert main(["check-plan", str(path), "--env", EXAMPLE, "--account", "nobody"]) == 2
    assert "--account 'nobody' is not an account of the environment" in capsys.readouterr().err


def test_every_plannable_rule_is_a_local_rule():
    assert set(PLANNED) <= set(RULES)


def test_settings_of_a_bucket_outside_the_plan_stand_alone():
    document = plan(change("aws_s3_bucket_acl.x", "aws_s3_bucket_acl", {"bucket": "elsewhere", "acl": "public-read-write"}))
    (bucket,) = normalized("S3_BUCKET_PUBLIC_WRITE_PROHIBITED", planned_resources(document))
    assert bucket["id"] == "aws_s3_bucket_acl.x"
    assert RULES["S3_BUCKET_PUBLIC_WRITE_PROHIBITED"].check(bucket, {}).status == "NON_COMPLIANT"


# Rules the example does not turn on for payments-prod: their planned adapters, checked directly.
# (rule, changes, references, the addresses found NON_COMPLIANT)
PLANNED_ONLY = [
    (
        "NO_UNRESTRICTED_ROUTE_TO_IGW",
        [
            change("aws_internet_gateway.igw", "aws_internet_gateway", {}),
            change("aws_route.out", "aws_route", {"destination_cidr_block": "0.0.0.0/0"}),
            change("aws_route.nat", "aws_route", {"destination_cidr_block": "0.0.0.0/0", "nat_gateway_id": "nat-1"}),
            change("aws_route_table.t", "aws_route_table", {"route": [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-123"}]}),
        ],
        {"aws_route.out": {"gateway_id": ["aws_internet_gateway.igw.id", "aws_internet_gateway.igw"]}},
        {"aws_route.out", "aws_route_table.t"},
    ),
    (
        "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED",
        [
            change("aws_lambda_permission.open", "aws_lambda_permission", {"principal": "*"}),
            change("aws_lambda_permission.events", "aws_lambda_permission", {"principal": "events.amazonaws.com"}),
        ],
        {},
        {"aws_lambda_permission.open"},
    ),
    (
        "REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK",
        [
            change("aws_redshift_cluster.a", "aws_redshift_cluster", {"publicly_accessible": True}),
            change("aws_redshift_cluster.b", "aws_redshift_cluster", {"publicly_accessible": False}),
        ],
        {},
        {"aws_redshift_cluster.a"},
    ),
    (
        "EKS_ENDPOINT_NO_PUBLIC_ACCESS",
        [
            change("aws_eks_cluster.a", "aws_eks_cluster", {"vpc_config": [{"endpoint_public_access": True}]}),
            change("aws_eks_cluster.b", "aws_eks_cluster", {"vpc_config": [{"endpoint_public_access": False}]}),
        ],
        {},
        {"aws_eks_cluster.a"},
    ),
    (
        "SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS",
        [
            change("aws_sagemaker_notebook_instance.a", "aws_sagemaker_notebook_instance", {}),
            change(
                "aws_sagemaker_notebook_instance.b", "aws_sagemaker_notebook_instance", {"direct_internet_access": "Disabled"}
            ),
        ],
        {},
        {"aws_sagemaker_notebook_instance.a"},
    ),
    (
        "SSM_DOCUMENT_NOT_PUBLIC",
        [
            change("aws_ssm_document.a", "aws_ssm_document", {"permissions": {"type": "Share", "account_ids": "all"}}),
            change("aws_ssm_document.b", "aws_ssm_document", {"permissions": {"type": "Share", "account_ids": "210987654321"}}),
        ],
        {},
        {"aws_ssm_document.a"},
    ),
    (
        "ELASTICSEARCH_IN_VPC_ONLY",
        [
            change("aws_opensearch_domain.a", "aws_opensearch_domain", {}),
            change("aws_elasticsearch_domain.b", "aws_elasticsearch_domain", {"vpc_options": [{"subnet_ids": ["subnet-1"]}]}),
        ],
        {},
        {"aws_opensearch_domain.a"},
    ),
    (
        "DMS_REPLICATION_NOT_PUBLIC",
        [change("aws_dms_replication_instance.a", "aws_dms_replication_instance", {"publicly_accessible": True})],
        {},
        {"aws_dms_replication_instance.a"},
    ),
    (
        "AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED",
        [
            change("aws_launch_configuration.a", "aws_launch_configuration", {"associate_public_ip_address": True}),
            change("aws_launch_configuration.b", "aws_launch_configuration", {"associate_public_ip_address": False}),
        ],
        {},
        {"aws_launch_configuration.a"},
    ),
]


@pytest.mark.parametrize(("identifier", "changes", "refs", "expected"), PLANNED_ONLY, ids=[p[0] for p in PLANNED_ONLY])
def test_planned_values_of_the_other_rules(identifier, changes, refs, expected):
    items = normalized(identifier, planned_resources(plan(*changes, refs=refs)))
    verdicts = {i["id"]: RULES[identifier].check(i, {}).status for i in items}
    assert {a for a, s in verdicts.items() if s == "NON_COMPLIANT"} == expected
    assert len(changes) == 1 or set(verdicts) - expected  # a compliant resource beside the violation


def _role(address: str, trust: dict) -> dict:
    return change(address, "aws_iam_role", {"name": "app", "path": "/", "assume_role_policy": json.dumps(trust)})


def test_a_policy_that_names_an_action_aws_does_not_have_blocks_the_plan(tmp_path, capsys):
    inline = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObjct"], "Resource": "arn:aws:s3:::payments-site/*"}],
    }
    document = plan(
        change("aws_iam_role_policy.app", "aws_iam_role_policy", {"name": "app", "role": "app", "policy": json.dumps(inline)})
    )
    code, result = run(tmp_path, document, capsys=capsys)
    assert code == 3 and result["blocked"] and result["violations"] == []
    (finding,) = [f for f in result["policy_findings"] if f["severity"] == "error"]
    assert finding["owner"] == "aws_iam_role_policy.app.policy" and "s3:GetObjct" in finding["message"]
    assert "s3:GetObject" in finding["message"]  # did-you-mean


def test_valid_policies_pass_and_are_counted_and_warnings_do_not_block(tmp_path, capsys):
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    never_applies = {  # event source mappings have no function resource type: a warning on an Allow, not an error
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "lambda:CreateEventSourceMapping",
                "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:app",
            }
        ],
    }
    document = plan(
        _role("aws_iam_role.app", trust),
        change("aws_iam_policy.esm", "aws_iam_policy", {"name": "esm", "policy": json.dumps(never_applies)}),
    )
    code, result = run(tmp_path, document, capsys=capsys)
    assert code == 0 and not result["blocked"] and result["policies_checked"] == 2
    assert {f["severity"] for f in result["policy_findings"]} == {"warning"}
    path = tmp_path / "plan.json"
    assert main(["check-plan", str(path), "--env", EXAMPLE, "--account", ACCOUNT]) == 0
    captured = capsys.readouterr()
    assert "Policy documents: 1 warning(s)" in captured.out and "2 policy document(s) validated" in captured.err
