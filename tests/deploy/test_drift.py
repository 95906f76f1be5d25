"""Issue 20.5: `lz drift` finds changes made outside terraform; 0 none, 2 drift, 3 dangerous drift.

The rules are unit-tested on refresh-only plan JSON; the real thing runs once
on a moto server of its own: one small stack (an SCP on the root of an
organization made with boto3, the password policy) applied with terraform, then `lz drift` before and
after an out-of-band detach and a weaker password policy made with boto3
(one apply and two refresh-only plans: 110-210 s measured at load 10 on 2 cores, so it is in the
e2e tier).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from landing_zone.atomic_output import MARKER
from landing_zone.cli.main import main
from landing_zone.deploy.drift import (
    EXIT_DANGEROUS,
    EXIT_DRIFT,
    EXIT_NO_DRIFT,
    DriftedResource,
    DriftReport,
    _changed_keys,
    configured_attributes,
    drift_as_plan,
    drift_dangers,
    drifted_keys,
)

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / "tests" / "faults" / "tiny.yaml")
STRONG = {
    "minimum_password_length": 14,
    "require_lowercase_characters": True,
    "require_uppercase_characters": True,
    "require_numbers": True,
    "require_symbols": True,
    "password_reuse_prevention": 24,
    "max_password_age": 90,
}


def drift_entry(rtype: str, actions: list[str], before: dict, after: dict | None, address: str = "") -> dict:
    return {
        "address": address or f"{rtype}.x",
        "mode": "managed",
        "type": rtype,
        "name": address.split(".", 1)[1] if address else "x",
        "change": {"actions": actions, "before": before, "after": after},
    }


def test_drift_becomes_a_plan_whose_prior_state_is_the_state_as_recorded():
    attached = {"policy_id": "p-1", "target_id": "r-1"}
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "prior_state": {"values": {"root_module": {"resources": [{"address": "a.b", "type": "a", "values": {"v": 2}}]}}},
        "resource_drift": [
            drift_entry("a", ["update"], {"v": 1}, {"v": 2}, "a.b"),
            drift_entry("aws_organizations_policy_attachment", ["delete"], attached, None, "att.x"),
            drift_entry("c", ["no-op"], {}, {}, "c.x"),
            drift_entry("d", ["update"], {"tags": None, "v": 1}, {"tags": {}, "v": 1}, "d.x"),  # null vs empty: noise
        ],
    }
    out = drift_as_plan(plan)
    assert [c["address"] for c in out["resource_changes"]] == ["a.b", "att.x"]
    recorded = {r["address"]: r["values"] for r in out["prior_state"]["values"]["root_module"]["resources"]}
    assert recorded == {"a.b": {"v": 1}, "att.x": attached}
    assert plan["prior_state"]["values"]["root_module"]["resources"][0]["values"] == {"v": 2}  # input untouched


def test_only_attributes_the_code_sets_drift():
    """Measured on the example deployed to the local API: a refresh-only plan of the management stack
    finds the organization's `accounts` and every OU's `accounts` changed (recorded at creation, before the
    accounts moved in) and `tags` null -> {}. None of that is drift; a configured attribute, a default tag
    (`tags_all`), a deletion and a resource whose configuration is not at hand are."""
    ou, org = "aws_organizations_organizational_unit", "aws_organizations_organization"
    plan = {
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": f"{ou}.ou_Security",
                        "mode": "managed",
                        "type": ou,
                        "name": "ou_Security",
                        "expressions": {"name": {}, "parent_id": {}},
                    },
                    {
                        "address": f"{org}.organization",
                        "mode": "managed",
                        "type": org,
                        "name": "organization",
                        "expressions": {"feature_set": {}},
                    },
                ]
            }
        },
        "resource_drift": [
            drift_entry(
                ou,
                ["update"],
                {"name": "Security", "accounts": [], "tags": None},
                {"name": "Security", "accounts": [{"id": "1"}], "tags": {}},
                f"{ou}.ou_Security",
            ),
            drift_entry(
                org,
                ["update"],
                {"accounts": [], "non_master_accounts": []},
                {"accounts": [{"id": "1"}], "non_master_accounts": [{"id": "1"}]},
                f"{org}.organization",
            ),
        ],
    }
    assert drift_as_plan(plan)["resource_changes"] == []
    moved = drift_entry(
        ou,
        ["update"],
        {"name": "Security", "accounts": [], "tags_all": {"a": "1"}},
        {"name": "Sec", "accounts": [{"id": "1"}], "tags_all": {}},
        f"{ou}.ou_Security",
    )
    gone = drift_entry(ou, ["delete"], {"name": "Security"}, None, f"{ou}.ou_Security")
    elsewhere = dict(
        drift_entry("aws_s3_bucket", ["update"], {"acl": "private"}, {"acl": "public-read"}), module_address="module.m"
    )
    plan["resource_drift"] = [moved, gone, elsewhere]
    assert [c["address"] for c in drift_as_plan(plan)["resource_changes"]] == [
        f"{ou}.ou_Security",
        f"{ou}.ou_Security",
        "aws_s3_bucket.x",
    ]
    configured = configured_attributes(plan)
    assert drifted_keys(moved, configured) == ("name", "tags_all")
    assert drifted_keys(elsewhere, configured) == ("acl",)


CATALOG_REFRESH = Path(__file__).parent / "fixtures" / "catalog_refresh_only.json"
INSTANCE = "aws_cloudformation_stack_set_instance.catalog_launch_role_ous"


def _entry(plan: dict, address: str) -> dict:
    return next(d for d in plan["resource_drift"] if d["address"] == address)


def test_a_refresh_of_the_untouched_catalog_is_no_drift():
    """Recorded: a refresh-only plan of the catalog applied to the local API (terraform 1.11, provider
    5.100.0). The stack set instance's `deployment_targets` block reads back `accounts` [] where the state
    has null, a value the code does not set; the OU's `accounts`, the templates bucket's `policy` (set by
    its own resource) and `tags` null -> {} are noise too. Comparing whole top-level attributes called the
    instance drifted; only the nested leaves the configuration sets count."""
    plan = json.loads(CATALOG_REFRESH.read_text(encoding="utf-8"))
    instance = _entry(plan, INSTANCE)["change"]
    assert _changed_keys(instance["before"], instance["after"]) == ("deployment_targets",)  # the recorded noise
    assert drift_as_plan(plan)["resource_changes"] == []


def test_a_configured_nested_leaf_that_changed_is_drift_and_one_the_code_does_not_set_is_not():
    plan = json.loads(CATALOG_REFRESH.read_text(encoding="utf-8"))
    [targets] = _entry(plan, INSTANCE)["change"]["after"]["deployment_targets"]
    targets["accounts_url"] = "https://example.com/accounts.csv"  # not set by the code: still no drift
    assert drift_as_plan(plan)["resource_changes"] == []
    targets["organizational_unit_ids"] = ["ou-rlrx-elsewhere"]  # the OU the code names: drift
    [changed] = drift_as_plan(plan)["resource_changes"]
    assert changed["address"] == INSTANCE
    assert drifted_keys(changed, configured_attributes(plan)) == ("deployment_targets",)


def _encryption(rules: list[dict]) -> dict:
    return {"bucket": "logs", "expected_bucket_owner": "", "id": "logs", "rule": rules}


def _rule(algorithm: str, key: str | None, bucket_key: bool | None) -> dict:
    by_default = {"kms_master_key_id": key or "", "sse_algorithm": algorithm}
    return {"apply_server_side_encryption_by_default": [by_default], "bucket_key_enabled": bucket_key}


def test_an_encryption_rule_drifts_on_the_leaves_it_sets_only():
    """An access-log bucket's encryption configuration, in the shape provider 5.100.0 records it (a set of
    `rule` blocks, each a list of one `apply_server_side_encryption_by_default`): the code sets the
    algorithm only; `bucket_key_enabled` and the key id read back from the API are the provider's."""
    address = "aws_s3_bucket_server_side_encryption_configuration.access_logs"
    configuration = {
        "root_module": {
            "resources": [
                {
                    "address": address,
                    "mode": "managed",
                    "type": address.split(".")[0],
                    "name": "access_logs",
                    "expressions": {
                        "bucket": {"references": ["aws_s3_bucket.access_logs.id", "aws_s3_bucket.access_logs"]},
                        "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": {"constant_value": "AES256"}}]}],
                    },
                }
            ]
        }
    }
    recorded = _encryption([_rule("AES256", None, None)])

    def drift(after: dict) -> list[dict]:
        entry = drift_entry(address.split(".")[0], ["update"], recorded, after, address)
        return drift_as_plan({"configuration": configuration, "resource_drift": [entry]})["resource_changes"]

    assert drift(_encryption([_rule("AES256", None, False)])) == []
    assert drift(_encryption([_rule("AES256", "arn:aws:kms:eu-west-1:111111111111:alias/aws/s3", None)])) == []
    [changed] = drift(_encryption([_rule("aws:kms", None, None)]))
    assert drifted_keys(changed, configured_attributes({"configuration": configuration})) == ("rule",)
    assert len(drift(_encryption([_rule("AES256", None, None), _rule("aws:kms", None, None)]))) == 1  # a rule added


@pytest.mark.parametrize(
    ("after", "weakened"),
    [
        (dict(STRONG, minimum_password_length=8), "minimum_password_length 14 -> 8"),
        (dict(STRONG, require_symbols=False), "require_symbols True -> False"),
        (dict(STRONG, password_reuse_prevention=1), "password_reuse_prevention 24 -> 1"),
        (dict(STRONG, max_password_age=365), "max_password_age 90 -> 365"),
        (dict(STRONG, max_password_age=0), "max_password_age 90 -> 0"),
        (dict(STRONG, minimum_password_length=20), None),  # stricter is drift, not danger
    ],
)
def test_a_weakened_password_policy_is_dangerous(after, weakened):
    dangers = drift_dangers("management", [drift_entry("aws_iam_account_password_policy", ["update"], STRONG, after)])
    if weakened is None:
        assert dangers == []
    else:
        assert [d.rule for d in dangers] == ["password-policy-weakened"]
        assert weakened in dangers[0].message


def test_a_deleted_password_policy_and_a_detached_scp_are_dangerous():
    dangers = drift_dangers(
        "management",
        [
            drift_entry("aws_iam_account_password_policy", ["delete"], STRONG, None),
            drift_entry("aws_organizations_policy_attachment", ["delete"], {"policy_id": "p-1", "target_id": "r-1"}, None),
        ],
    )
    assert [d.rule for d in dangers] == ["password-policy-weakened", "scp-detached"]
    assert dangers[1].message.startswith("SCP p-1 was detached from r-1 outside terraform")


def test_exit_codes():
    drifted = [DriftedResource("s", "a.b", "a", "update", ("v",))]
    assert DriftReport(["s"], [], []).exit_code == EXIT_NO_DRIFT == 0
    assert DriftReport(["s"], drifted, []).exit_code == EXIT_DRIFT == 2
    from landing_zone.deploy.drift import DriftDanger

    assert DriftReport(["s"], drifted, [DriftDanger("scp-detached", "m", "s", "a.b")]).exit_code == EXIT_DANGEROUS == 3


# -- on a moto server -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from landing_zone.local_aws.server import LocalAws

    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as api:
        yield api


def write_stack(out: Path, url: str) -> None:
    from landing_zone.local_aws.endpoints import provider_settings

    scp = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "cloudtrail:StopLogging", "Resource": "*"}]}
    stack = {
        "terraform": {
            "backend": {"local": {"path": str(out.parent / "state" / "management.tfstate")}},
            "required_providers": {"aws": {"source": "aws", "version": "5.100.0"}},
        },
        "provider": {"aws": [{"region": "eu-west-1", **provider_settings(url)}]},
        "data": {"aws_organizations_organization": {"organization": {}}},  # made with boto3 first
        "resource": {
            "aws_organizations_policy": {"guardrails": {"name": "guardrails", "content": json.dumps(scp)}},
            "aws_organizations_policy_attachment": {
                "guardrails_root": {
                    "policy_id": "${aws_organizations_policy.guardrails.id}",
                    "target_id": "${data.aws_organizations_organization.organization.roots[0].id}",
                }
            },
            "aws_iam_account_password_policy": {"password_policy": dict(STRONG)},
        },
    }
    folder = out / "stacks" / "management"
    folder.mkdir(parents=True)
    (folder / "cdk.tf.json").write_text(json.dumps(stack, indent=1))
    (out / "manifest.json").write_text(json.dumps({"stacks": {"management": {"workingDirectory": "stacks/management"}}}))
    (out / MARKER).write_text("")


@pytest.mark.e2e
@pytest.mark.slow
def test_drift_on_a_moto_server(server, tmp_path, capsys, monkeypatch):
    import boto3

    from landing_zone.local_aws.server import client_env
    from landing_zone.terraform import Terraform
    from landing_zone.terraform.find_mirror import find_mirror

    mirror = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    if mirror:
        monkeypatch.setenv("LZ_TF_PROVIDER_MIRROR", str(mirror))
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-west-1")
    org = session.client("organizations", endpoint_url=server.url)
    org.create_organization(FeatureSet="ALL")
    org.enable_policy_type(RootId=org.list_roots()["Roots"][0]["Id"], PolicyType="SERVICE_CONTROL_POLICY")
    out = tmp_path / "out"
    write_stack(out, server.url)
    tf = Terraform(out / "stacks" / "management", env=client_env(server.url))
    tf.init()
    tf.apply()
    monkeypatch.setenv("LZ_AWS_ENDPOINT", server.url)

    def drift() -> tuple[int, str, str]:
        status = main(["drift", TINY, "--no-synth", "--out", str(out)])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    status, stdout, err = drift()
    assert status == 0, stdout
    assert "drift: none in 1 stack(s)" in err

    # out of band: detach the SCP from the root and weaken the password policy
    iam = session.client("iam", endpoint_url=server.url)
    root = org.list_roots()["Roots"][0]["Id"]
    policy = next(p for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"] if p["Name"] == "guardrails")
    org.detach_policy(PolicyId=policy["Id"], TargetId=root)
    weaker = {
        "MinimumPasswordLength": 8,
        "RequireLowercaseCharacters": True,
        "RequireUppercaseCharacters": True,
        "RequireNumbers": True,
        "RequireSymbols": False,
        "PasswordReusePrevention": 24,
        "MaxPasswordAge": 90,
    }
    iam.update_account_password_policy(**weaker)

    status, stdout, err = drift()
    assert status == 3, err
    assert "DANGEROUS: password-policy-weakened, scp-detached" in err
    assert (
        f"[scp-detached] management: aws_organizations_policy_attachment.guardrails_root: SCP {policy['Id']} was detached from {root}"
        in stdout
    )
    assert "minimum_password_length 14 -> 8" in stdout and "require_symbols True -> False" in stdout
    assert "aws_iam_account_password_policy.password_policy" in stdout and "minimum_password_length" in stdout
    # nothing was written: the state still records the attachment (refresh-only plans are never applied)
    state = json.loads((tmp_path / "state" / "management.tfstate").read_text())
    assert any(r["type"] == "aws_organizations_policy_attachment" and r["instances"] for r in state["resources"])
