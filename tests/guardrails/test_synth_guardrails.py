"""The guardrails in the synthesized stacks (the session's one synth of the example): SCPs in the
management stack, organization Config rules in the detective-guardrails stack."""

from __future__ import annotations

import json

import pytest
from stack_json import policy_findings

pytestmark = pytest.mark.synth


@pytest.fixture(scope="module")
def management(synth_out):
    return synth_out.stacks["management"]["resource"]


@pytest.fixture(scope="module")
def detective(synth_out):
    return synth_out.stacks["detective-guardrails"]["resource"]


def _published(output: str) -> str:
    """An output of the applied management stack, read through the stack's remote state (not sensitive)."""
    return f"${{data.terraform_remote_state.management.outputs.{output}}}"


def _guardrail_policies(management):
    return {k: v for k, v in management["aws_organizations_policy"].items() if v["name"].startswith("acme-lz-guardrails-")}


def test_every_packed_policy_is_synthesized_as_literal_json_and_attached_once(management, example_plan):
    policies = _guardrail_policies(management)
    by_name = {v["name"]: (k, v) for k, v in policies.items()}
    assert sorted(by_name) == sorted(s.name for s in example_plan.scps)
    attachments = management["aws_organizations_policy_attachment"]
    for scp in example_plan.scps:
        key, policy = by_name[scp.name]
        assert policy["type"] == "SERVICE_CONTROL_POLICY"
        assert policy["content"] == scp.content and json.loads(policy["content"])["Statement"]
        assert len(policy["description"]) <= 512 and policy["description"] == scp.description
        attached = [a for a in attachments.values() if a["policy_id"] == f"${{aws_organizations_policy.{key}.id}}"]
        assert len(attached) == 1, scp.name
        target = attached[0]["target_id"]
        if scp.target.kind == "root":
            assert target == "${aws_organizations_organization.organization.roots[0].id}"
        elif scp.target.kind == "ou":
            assert target.startswith("${aws_organizations_organizational_unit.ou_") and target.endswith(".id}")
        else:
            assert target == f"${{aws_organizations_account.account_{scp.target.name}.id}}"


def test_policy_and_attachment_ids_come_from_targets_not_positions(management):
    keys = set(_guardrail_policies(management))
    assert "scp_root-1" in keys and "scp_account-log-archive-1" in keys
    assert any(k.startswith("scp_ou-Workloads-1") for k in keys)


def test_detective_controls_are_organization_rules_in_their_regions(detective, example_plan):
    rules = detective["aws_config_organization_managed_rule"]
    expected = {(r.name, region) for r in example_plan.detective_rules for region in r.regions}

    def region(conf) -> str:  # the default provider ("aws") is the home region's; aliases are named after theirs
        provider = conf.get("provider", "aws")
        return provider.removeprefix("aws.") if provider != "aws" else "eu-west-1"

    got = {(v["name"], region(v)) for v in rules.values()}
    assert got == expected
    assert not any("depends_on" in v for v in rules.values())  # the stack's dependencies order them (below)
    versioning = [v for v in rules.values() if v["rule_identifier"] == "S3_BUCKET_VERSIONING_ENABLED"]
    assert len(versioning) == 2
    # account ids come from the applied management stack's outputs: a plan shows them (not "(sensitive value)")
    assert versioning[0]["excluded_accounts"] == [_published('account_ids["sandbox-dev1"]')]
    shared = [v for v in rules.values() if v["name"] == "acme-lz-aws-gr-ensure-cloudtrail-enabled-on-shared-accounts"]
    assert len(shared) == 1
    assert shared[0]["excluded_accounts"][-1] == _published("management_account_id")
    assert len(shared[0]["excluded_accounts"]) == 9  # the 8 accounts outside Security, and the management account
    mfa = [v for v in rules.values() if v["rule_identifier"] == "ROOT_ACCOUNT_MFA_ENABLED"]
    assert len(mfa) == 1 and "excluded_accounts" not in mfa[0] and mfa[0]["maximum_execution_frequency"] == "TwentyFour_Hours"


def test_config_rules_deploy_last_after_every_config_recorder(synth_out):
    """AWS fails an organization rule's deployment in any account without a Config recorder: the rules'
    stack comes after every stack that creates one, and the management stack holds no rule."""
    assert "aws_config_organization_managed_rule" not in synth_out.stacks["management"]["resource"]
    recorders = {
        name for name, doc in synth_out.stacks.items() if (doc.get("resource") or {}).get("aws_config_configuration_recorder")
    }
    # every account has its recorder: in its own stack (network ones included), the management account's in management-baseline
    # (the lifecycle stacks, which nothing waits for, hold only lifecycle configurations: issue 23 B.3)
    lifecycle_stacks = {"management-lifecycle", "log-archive-lifecycle"}
    assert recorders == set(synth_out.stacks) - {"management", "detective-guardrails"} - lifecycle_stacks
    deps = set(synth_out.manifest["stacks"]["detective-guardrails"]["dependencies"])
    assert deps == set(synth_out.stacks) - {"detective-guardrails"} - lifecycle_stacks
    assert recorders <= deps and "management" in deps
    # nothing waits for it: destroyed first, before any recorder goes
    assert not any("detective-guardrails" in (entry.get("dependencies") or []) for entry in synth_out.manifest["stacks"].values())
    (provider, *aliases) = synth_out.stacks["detective-guardrails"]["provider"]["aws"]
    assert all("assume_role" not in p for p in (provider, *aliases))  # the management account's own credentials


def test_the_seed_examples_are_all_synthesized(management, detective):
    rules = {v["rule_identifier"]: v for v in detective["aws_config_organization_managed_rule"].values()}
    for identifier in (
        "ROOT_ACCOUNT_MFA_ENABLED",
        "S3_BUCKET_PUBLIC_READ_PROHIBITED",
        "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
        "RDS_SNAPSHOTS_PUBLIC_PROHIBITED",
        "RESTRICTED_INCOMING_TRAFFIC",
        "INCOMING_SSH_DISABLED",
        "CLOUD_TRAIL_ENABLED",
        "EC2_VOLUME_INUSE_CHECK",
    ):
        assert identifier in rules, identifier
    assert json.loads(rules["RESTRICTED_INCOMING_TRAFFIC"]["input_parameters"])["blockedPort3"] == "3389"
    statements = [s for p in _guardrail_policies(management).values() for s in json.loads(p["content"])["Statement"]]

    def denies(action: str, resource: str) -> bool:
        def listed(value, item):
            return item in (value if isinstance(value, list) else [value])

        return any(listed(s.get("Action", []), action) and listed(s["Resource"], resource) for s in statements)

    assert denies("cloudtrail:StopLogging", "arn:aws:cloudtrail:*:*:trail/acme-organization-trail")
    assert denies("config:StopConfigurationRecorder", "*")
    assert denies("s3:PutBucketPolicy", "arn:aws:s3:::acme-log-archive-*")
    assert denies("iam:DeleteRole", "arn:aws:iam::*:role/acme-lz-*")


def test_every_policy_the_constructs_emit_names_what_aws_has(synth_out):
    """Issue 27: the policy validator over every policy document of the synthesized example (20 since issue 28:
    Config records with its service-linked role, so no account has a recorder role's trust and delivery policy)."""
    from landing_zone.policy_reference.synthesized import documents

    docs = list(documents(synth_out.stacks))
    assert len(docs) >= 20 and {d.kind for d in docs} == {"scp", "trust", "identity", "resource", "permission_set"}
    found = policy_findings(synth_out.stacks, synth_out.loaded.env)
    assert [str(f) for _, f in found if f.severity == "error"] == []
    # No warnings either: the trail log group's key no longer grants kms:Describe* under the
    # encryption-context condition Describe requests never carry, and the log archive key's
    # DescribeKey has its own statement (security review).
    assert [str(f) for _, f in found if f.severity == "warning"] == []


def test_every_policy_the_100_account_benchmark_synthesizes_names_what_aws_has(tmp_path, synth_out):
    """Issue 27's proof at scale: every policy document of every synthesized stack of the 100-account
    benchmark environment (SCPs packed for 100 accounts, each account's roles, keys and topics) has no
    finding. `synth_out` first, so cdktf is already loaded in this process."""
    from bench.generate import write_environment
    from landing_zone.policy_reference.synthesized import documents
    from tests.conftest import synthesize_env

    out = synthesize_env(write_environment(100, tmp_path / "env"), tmp_path / "out")
    assert len(out.loaded.env.accounts) == 100 and len(out.stacks) > 100
    assert len(list(documents(out.stacks))) > 500
    found = policy_findings(out.stacks, out.loaded.env)
    assert [f"{d.stack} {d.address}: {f}" for d, f in found] == []


def test_every_scp_statement_of_the_100_account_benchmark_is_clean(tmp_path):
    from bench.generate import write_environment
    from landing_zone.environment import load_environment
    from landing_zone.guardrails.plan import build_plan
    from landing_zone.policy_reference import validate_policy

    env = load_environment(write_environment(100, tmp_path)).env
    plan = build_plan(env)
    assert len(env.accounts) == 100 and plan.scps
    for scp in plan.scps:
        owners = {sid: "/".join(ids) for sid, ids in scp.sid_controls.items()}
        assert [
            str(f) for f in validate_policy(scp.content, "scp", scp.name, max_size=env.limits.scp_size, owners_by_sid=owners)
        ] == []
