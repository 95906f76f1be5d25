"""The management stack of the example: organization, OU tree, accounts, delegated administrators.

Expected values come from the example's config, so the tests follow the
example when it changes (and fail when the synthesized output stops matching it).
"""

from __future__ import annotations

import json

import pytest

from landing_zone.constructs.ids import logical_id

pytestmark = pytest.mark.synth

# Service principals the landing zone's services need (DESIGN.md, issue 3).
REQUIRED_PRINCIPALS = {
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
    "sso.amazonaws.com",
    "ram.amazonaws.com",
    "access-analyzer.amazonaws.com",
    "account.amazonaws.com",
}


@pytest.fixture(scope="module")
def mgmt(synth_out):
    return synth_out.stacks["management"]


@pytest.fixture(scope="module")
def env(synth_out):
    return synth_out.loaded.env


def resources(stack: dict, kind: str) -> dict:
    return stack.get("resource", {}).get(kind, {})


def ref(kind: str, name: str, attr: str = "id") -> str:
    return "${" + f"{kind}.{name}.{attr}" + "}"


def test_one_resource_per_configured_ou_and_account(mgmt, env):
    assert len(resources(mgmt, "aws_organizations_organization")) == 1
    assert len(resources(mgmt, "aws_organizations_organizational_unit")) == len(env.organizational_units)
    assert len(resources(mgmt, "aws_organizations_account")) == len(env.accounts)


def test_organization_has_all_features_scps_and_the_service_principals(mgmt):
    (org,) = resources(mgmt, "aws_organizations_organization").values()
    assert org["feature_set"] == "ALL"
    assert "SERVICE_CONTROL_POLICY" in org["enabled_policy_types"]
    principals = org["aws_service_access_principals"]
    assert REQUIRED_PRINCIPALS <= set(principals)
    assert principals == sorted(principals)  # terraform keeps the set sorted: no perpetual diff
    assert org["lifecycle"]["prevent_destroy"] is True


def test_every_ou_hangs_from_its_parent_or_the_root(mgmt, env):
    ous = resources(mgmt, "aws_organizations_organizational_unit")
    for ou in env.organizational_units:
        name = logical_id("ou", ou.path)
        parent, _, leaf = ou.path.rpartition("/")
        expected = (
            ref("aws_organizations_organizational_unit", logical_id("ou", parent))
            if parent
            else "${aws_organizations_organization.organization.roots[0].id}"
        )
        assert ous[name]["name"] == leaf
        assert ous[name]["parent_id"] == expected, ou.path
        assert ous[name]["lifecycle"]["prevent_destroy"] is True


def test_nested_ous_exist_in_the_example(env):
    # The parent test above must see at least one nested OU to mean anything.
    assert any("/" in ou.path for ou in env.organizational_units)


def test_accounts_sit_in_their_ou_and_cannot_be_lost(mgmt, env):
    accounts = resources(mgmt, "aws_organizations_account")
    role = env.organization.access_role_name
    for account in env.accounts:
        res = accounts[logical_id("account", account.name)]
        assert res["name"] == account.name and res["email"] == account.email
        assert res["parent_id"] == ref("aws_organizations_organizational_unit", logical_id("ou", account.ou))
        assert res["role_name"] == role
        assert res["iam_user_access_to_billing"] == ("ALLOW" if account.iam_user_access_to_billing else "DENY")
        assert res["close_on_deletion"] is account.close_on_deletion
        assert res["lifecycle"]["prevent_destroy"] is True
        assert set(res["lifecycle"]["ignore_changes"]) == {"role_name", "iam_user_access_to_billing"}
        assert res.get("tags", {}) == dict(account.tags)


def test_created_accounts_are_not_imported(mgmt, env):
    assert not any(a.id for a in env.accounts)  # the example creates every account
    assert "import" not in mgmt


def test_audit_account_is_delegated_administrator_of_its_services(mgmt, env):
    admins = resources(mgmt, "aws_organizations_delegated_administrator")
    audit = ref("aws_organizations_account", logical_id("account", env.core.audit_account))
    services = {a["service_principal"] for a in admins.values()}
    assert {"access-analyzer.amazonaws.com", "config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"} <= services
    # GuardDuty's and Security Hub's administrators go through their own APIs, which register the account
    # with Organizations themselves: a second, generic registration would fail (already registered).
    assert "guardduty.amazonaws.com" not in services and "securityhub.amazonaws.com" not in services
    assert resources(mgmt, "aws_guardduty_organization_admin_account")
    assert resources(mgmt, "aws_securityhub_organization_admin_account")
    assert len(services) == len(admins)
    for admin in admins.values():
        assert admin["account_id"] == audit
        assert "aws_organizations_organization.organization" in admin["depends_on"]


def test_outputs_map_ou_paths_and_account_names_to_ids(mgmt, env):
    outputs = mgmt["output"]
    assert set(outputs["ou_ids"]["value"]) == {ou.path for ou in env.organizational_units}
    assert set(outputs["account_ids"]["value"]) == {a.name for a in env.accounts}
    assert outputs["root_id"]["value"] == "${aws_organizations_organization.organization.roots[0].id}"
    for key in ("organization_id", "management_account_id"):
        assert key in outputs


def test_no_required_version_anywhere(synth_out):
    # checkov crashes on terraform.required_version (checkov issue 7454).
    for name, stack in synth_out.stacks.items():
        assert "required_version" not in stack.get("terraform", {}), name
        assert '"required_version"' not in json.dumps(stack), name


def test_summary_counts_match_the_files(synth_out):
    counts = {s.name: s.resources for s in synth_out.result.stacks}
    for name, stack in synth_out.stacks.items():
        assert counts[name] == sum(len(v) for v in stack.get("resource", {}).values())
