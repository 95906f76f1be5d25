"""The factory's stacks, synthesized from a copy of the example with N and then N+1 vended accounts.

Two synths in one module fixture (cdktf is imported once): the blast radius of
adding an account can only be seen by comparing them.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import ROOT, synthesize_env

# Vended under quarantine: its quarantine SCP lands in the management stack too, nowhere else.
# It also asks for its own IAM Access Analyzer, which only its stack may carry.
NEW_REQUEST = "name: sandbox-dev2\ntags: {owner: dev2}\nquarantine: true\nbaseline:\n  access_analyzer: true\n"


@pytest.fixture(scope="module")
def synths(tmp_path_factory):
    work = tmp_path_factory.mktemp("factory")
    env_dir = work / "environments"
    env_dir.mkdir()
    shutil.copy(ROOT / "environments" / "example.yaml", env_dir / "example.yaml")
    shutil.copytree(ROOT / "environments" / "example", env_dir / "example")
    before = synthesize_env(env_dir / "example.yaml", work / "n")
    (env_dir / "example" / "accounts" / "sandbox-dev2.yaml").write_text(NEW_REQUEST, encoding="utf-8")
    after = synthesize_env(env_dir / "example.yaml", work / "n1")
    return before, after


def _text(out, stack: str) -> str:
    return (out.stack_dir(stack) / "cdk.tf.json").read_text(encoding="utf-8")


def test_adding_an_account_changes_only_the_management_stack_and_adds_its_own(synths):
    """...and the detective-guardrails stack, where the account is a new exclusion (see below)."""
    before, after = synths
    assert set(after.stacks) - set(before.stacks) == {"account-sandbox-dev2"}
    assert set(before.stacks) <= set(after.stacks)
    changed = sorted(name for name in before.stacks if _text(before, name) != _text(after, name))
    assert changed == ["audit", "detective-guardrails", "management"]  # audit: runbooks are shared with every member
    added = set(after.stacks["management"]["resource"]["aws_organizations_account"]) - set(
        before.stacks["management"]["resource"]["aws_organizations_account"]
    )
    assert len(added) == 1
    (account,) = [after.stacks["management"]["resource"]["aws_organizations_account"][key] for key in added]
    assert account["name"] == "sandbox-dev2" and account["email"] == "aws+sandbox-dev2@acme-corp.io"
    assert account["lifecycle"]["prevent_destroy"] is True


def test_a_new_account_only_joins_the_exclusions_of_config_rules_that_skip_its_ou(synths):
    """Organization Config rules reach every account they do not exclude, so a rule whose targets
    leave out the new account's OU (Sandbox) must list it; nothing else in that stack changes."""
    before, after = synths
    new_id = '${data.terraform_remote_state.management.outputs.account_ids["sandbox-dev2"]}'
    old_rules = before.stacks["detective-guardrails"]["resource"]["aws_config_organization_managed_rule"]
    new_rules = after.stacks["detective-guardrails"]["resource"]["aws_config_organization_managed_rule"]
    assert set(old_rules) == set(new_rules)
    grown = 0
    for key, rule in new_rules.items():
        excluded = rule.get("excluded_accounts") or []
        if new_id in excluded:
            grown += 1
            excluded = [a for a in excluded if a != new_id]
        assert {**rule, "excluded_accounts": excluded or None} == {
            **old_rules[key],
            "excluded_accounts": old_rules[key].get("excluded_accounts"),
        }, key
    assert grown  # the example has rules that skip Sandbox
    assert set(before.stacks["detective-guardrails"]) == set(after.stacks["detective-guardrails"])
    assert "account-sandbox-dev2" in after.manifest["stacks"]["detective-guardrails"]["dependencies"]  # its recorder first


def test_every_vended_account_has_its_stack_with_baseline_and_extras(synths):
    before, _ = synths
    from landing_zone.config.vending import vended_names

    for name in vended_names(before.loaded.env):
        stack = before.stacks[f"account-{name}"]
        resources = stack["resource"]
        assert resources["aws_iam_account_alias"], name
        (alias,) = resources["aws_iam_account_alias"].values()
        assert alias["account_alias"] == f"acme-{name}"
        assert resources["aws_iam_account_password_policy"] and resources["aws_ebs_encryption_by_default"], name
        (budget,) = resources["aws_budgets_budget"].values()
        assert budget["time_unit"] == "MONTHLY" and budget["notification"][0]["subscriber_email_addresses"] == [
            f"aws+{name}@acme-corp.io"
        ]
    sandbox = before.stacks["account-sandbox-dev1"]["resource"]["aws_budgets_budget"]
    assert [b["limit_amount"] for b in sandbox.values()] == ["100"]  # the request's own budget wins over the default 500


def test_vended_stack_assumes_the_access_role_in_a_known_account(synths):
    before, _ = synths
    stack = before.stacks["account-sandbox-dev1"]
    (provider,) = [p for p in stack["provider"]["aws"] if "alias" not in p]
    role = provider["assume_role"][0]["role_arn"]
    assert role.startswith("arn:aws:iam::${data.terraform_remote_state.") and role.endswith(":role/OrganizationAccountAccessRole")
    assert provider["allowed_account_ids"] == [role.split("::")[1].split(":role")[0]]
    deps = before.manifest["stacks"]["account-sandbox-dev1"]["dependencies"]
    assert set(deps) >= {"management", "log-archive"}


def test_deploy_role_trusts_one_environment_and_is_scoped_and_bounded(synths):
    """Issue 24.3: the example's deploy role trusts the protected GitHub environment, has the generated policy
    (no managed policy) and the permissions boundary, which its policy requires on every role it creates."""
    before, _ = synths
    resources = before.stacks["account-payments-prod"]["resource"]
    (oidc,) = resources["aws_iam_openid_connect_provider"].values()
    assert oidc["url"] == "https://token.actions.githubusercontent.com" and oidc["client_id_list"] == ["sts.amazonaws.com"]
    (role,) = [r for key, r in resources["aws_iam_role"].items() if "deploy_role" in key]
    (statement,) = json.loads(role["assume_role_policy"])["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:acme/payments:environment:production",
        }
    }
    (boundary_key,) = [key for key in resources["aws_iam_policy"] if "deploy_boundary" in key]
    boundary = resources["aws_iam_policy"][boundary_key]
    assert boundary["name"] == "acme-lz-deploy-boundary-ci-deploy"
    assert role["permissions_boundary"] == f"${{aws_iam_policy.{boundary_key}.arn}}"
    sids = [s["Sid"] for s in json.loads(boundary["policy"])["Statement"] if s["Effect"] == "Deny"]
    assert {"DenyBoundaryRemoval", "DenyRolesWithoutThisBoundary", "DenyEscalation", "DenyDataSharing"} <= set(sids)
    (policy,) = [p for key, p in resources["aws_iam_role_policy"].items() if "deploy_policy" in key]
    roles = next(s for s in json.loads(policy["policy"])["Statement"] if s["Sid"] == "RolesWithTheBoundary")
    assert roles["Condition"] == {"StringEquals": {"iam:PermissionsBoundary": f"${{aws_iam_policy.{boundary_key}.arn}}"}}
    attachments = [a["policy_arn"] for key, a in resources["aws_iam_role_policy_attachment"].items() if "deploy_policy" in key]
    assert attachments == []  # no PowerUserAccess any more
    assert "aws_iam_openid_connect_provider" not in before.stacks["account-web-prod"]["resource"]  # only where requested


def test_vended_contacts_are_set_by_the_management_stack(synths):
    before, _ = synths
    contacts = before.stacks["management"]["resource"]["aws_account_alternate_contact"]
    kinds = sorted(
        (c["alternate_contact_type"], c["email_address"])
        for key, c in contacts.items()
        if "sandbox-dev1" in key or "sandbox_dev1" in key
    )
    # the factory's operations and security contacts; billing from organization.alternate_contacts (issue 28)
    assert kinds == [
        ("BILLING", "cloud-billing@acme-corp.io"),
        ("OPERATIONS", "platform@acme-corp.io"),
        ("SECURITY", "security@acme-corp.io"),
    ]


def test_layout_lists_the_factory_stacks_in_build_order(synths):
    before, _ = synths
    from landing_zone.derived.stack_layout import deploy_order

    order = deploy_order(before.loaded.env)
    assert order == [s.name for s in before.result.stacks]
    assert order[-3:] == ["account-sandbox-dev1", "account-policy-staging", "detective-guardrails"]


def _quarantine_policies(out) -> dict:
    policies = out.stacks["management"]["resource"]["aws_organizations_policy"]
    return {key: p for key, p in policies.items() if p["name"].startswith("acme-lz-quarantine-")}


def test_quarantine_policy_and_attachment_exist_only_for_the_quarantined_account(synths):
    before, after = synths
    assert _quarantine_policies(before) == {}
    ((key, policy),) = _quarantine_policies(after).items()
    assert policy["name"] == "acme-lz-quarantine-sandbox-dev2" and policy["type"] == "SERVICE_CONTROL_POLICY"
    (statement,) = json.loads(policy["content"])["Statement"]
    assert (statement["Effect"], statement["Action"], statement["Resource"]) == ("Deny", "*", "*")
    assert statement["Condition"]["ArnNotLike"]["aws:PrincipalArn"] == ["arn:aws:iam::*:role/OrganizationAccountAccessRole"]
    attachments = after.stacks["management"]["resource"]["aws_organizations_policy_attachment"]
    attached = [a for a in attachments.values() if a["policy_id"] == f"${{aws_organizations_policy.{key}.id}}"]
    assert [a["target_id"] for a in attached] == ["${aws_organizations_account.account_sandbox-dev2.id}"]


def test_management_stack_with_a_quarantined_account_passes_checkov(synths, tmp_path):
    from landing_zone.scan.gate import scan

    _, after = synths
    for name in ("management", "management-lifecycle"):  # the catalog buckets' lifecycles: issue 23 B.3
        folder = tmp_path / "stacks" / name
        folder.mkdir(parents=True)
        shutil.copy(after.stack_dir(name) / "cdk.tf.json", folder / "cdk.tf.json")
    limits = after.loaded.env.limits
    result = scan(
        tmp_path,
        config=str(ROOT / ".checkov.yaml"),
        limits={"scp_size": limits.scp_size, "scps_per_target": limits.scps_per_target},
    )
    assert [f"{f.check_id} {f.resource}: {f.details}" for f in result.failures] == [] and result.passed
    assert result.checks["CKV_LZ_4"]["passed"] > 0  # the SCP-count check saw the attachments


def _analyzers(stack: dict) -> list[dict]:
    return list(stack.get("resource", {}).get("aws_accessanalyzer_analyzer", {}).values())


def test_access_analyzer_true_adds_an_account_analyzer_to_that_accounts_stack_only(synths):
    before, after = synths
    (analyzer,) = _analyzers(after.stacks["account-sandbox-dev2"])
    assert analyzer["type"] == "ACCOUNT" and analyzer["analyzer_name"] == "acme-sandbox-dev2-analyzer"
    for out in (before, after):
        elsewhere = {
            name: [a["type"] for a in _analyzers(stack)] for name, stack in out.stacks.items() if name != "account-sandbox-dev2"
        }
        assert not [name for name, types in elsewhere.items() if "ACCOUNT" in types], elsewhere
        assert any(
            "ORGANIZATION" in types for types in elsewhere.values()
        )  # the organization's analyzers stay in their own stack
