"""The identity plan: preset, expansion over OU subtrees with exclusions, grants. Pure Python."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from landing_zone.environment import load_environment
from landing_zone.identity.plan import identity_plan
from landing_zone.identity.preset import ASSIGNMENTS, GROUPS, PERMISSION_SETS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"


@pytest.fixture(scope="module")
def example():
    return load_environment(EXAMPLE)


def _variant(tmp_path, change) -> object:
    data = yaml.safe_load(EXAMPLE.read_text())
    change(data)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    requests = EXAMPLE.parent / EXAMPLE.stem / "accounts"  # one-file-per-account requests live beside the file
    if requests.is_dir():
        shutil.copytree(requests, tmp_path / "variant" / "accounts")
    return load_environment(path)


def test_preset_mirrors_control_tower(example):
    plan = identity_plan(example.env)
    assert len(GROUPS) == 9 and len(PERMISSION_SETS) == 7
    assert {g.name for g in plan.groups} >= set(GROUPS) | {"platform-engineers", "developers", "network-engineers"}
    assert [p.name for p in plan.permission_sets] == list(PERMISSION_SETS) + ["DeveloperAccess", "NetworkAdministrator"]
    ro = plan.permission_set("AWSReadOnlyAccess")
    assert ro.managed_policies == ["job-function/ViewOnlyAccess"] and ro.session_duration == "PT1H"
    grants = {(g.group, g.permission_set, g.account) for g in plan.grants}
    assert ("AWSControlTowerAdmins", "AWSAdministratorAccess", "management") in grants
    assert ("AWSLogArchiveViewers", "AWSReadOnlyAccess", "log-archive") in grants
    assert ("AWSAuditAccountAdmins", "AWSAdministratorAccess", "audit") in grants
    assert ("AWSAuditAccountAdmins", "AWSAdministratorAccess", "log-archive") not in grants
    # The auditors reach every account, the management account included.
    assert {a for g, p, a in grants if g == "AWSSecurityAuditors"} == set(plan.accounts)
    # Organizations full access goes to member accounts only.
    assert {a for g, p, a in grants if p == "AWSOrganizationsFullAccess"} == set(plan.accounts) - {"management"}
    assert plan.from_preset >= {name for name, *_ in ASSIGNMENTS}
    # Issue 24: broad access in the management account for the platform administrators only.
    broad = {(g, p) for g, p, a in grants if a == "management" and p in ("AWSAdministratorAccess", "AWSPowerUserAccess")}
    assert broad == {("AWSControlTowerAdmins", "AWSAdministratorAccess")}
    # Issue 28.2 (CIS 1.17): the support group holds AWSSupportAccess in every account.
    assert plan.permission_set("AWSSupportAccess").managed_policies == ["AWSSupportAccess"]
    assert {a for g, p, a in grants if (g, p) == ("AWSSupportUsers", "AWSSupportAccess")} == set(plan.accounts)


def test_ou_targets_reach_the_whole_subtree_minus_exclusions(example):
    plan = identity_plan(example.env)
    # platform-admins-on-workloads: ous [Workloads, Infrastructure], exclude payments-prod
    assert plan.expansions["platform-admins-on-workloads"] == (
        "network",
        "shared-services",
        "payments-nonprod",
        "web-prod",
        "web-nonprod",
    )
    assert plan.expansions["network-admins"] == ("network",)
    assert plan.expansions["developers-read-prod"] == ("payments-prod", "web-prod")


def test_a_new_account_in_an_ou_gets_the_ou_assignments(tmp_path):
    loaded = _variant(
        tmp_path,
        lambda d: d["accounts"].append({"name": "orders-prod", "email": "aws+orders-prod@acme-corp.io", "ou": "Workloads/Prod"}),
    )
    plan = identity_plan(loaded.env)
    held = {(g.group, g.permission_set) for g in plan.grants_for(account="orders-prod")}
    assert held == {
        ("platform-engineers", "AWSAdministratorAccess"),
        ("developers", "AWSReadOnlyAccess"),
        ("AWSSecurityAuditors", "AWSReadOnlyAccess"),
        ("AWSSecurityAuditPowerUsers", "AWSPowerUserAccess"),
        ("AWSSupportUsers", "AWSSupportAccess"),
        ("AWSControlTowerAdmins", "AWSOrganizationsFullAccess"),
    }


def test_exclude_ous_and_root(tmp_path):
    def change(d):
        d["identity"]["assignments"].append(
            {
                "name": "everyone-but-workloads",
                "group": "developers",
                "permission_set": "NetworkAdministrator",
                "ous": ["root"],
                "exclude_ous": ["Workloads", "Security"],
                "exclude_accounts": ["sandbox-dev1"],
            }
        )

    plan = identity_plan(_variant(tmp_path, change).env)
    assert plan.expansions["everyone-but-workloads"] == ("network", "shared-services", "policy-staging")


def test_same_access_through_two_assignments_is_one_grant_with_both_reasons(tmp_path):
    def change(d):
        d["identity"]["assignments"].append(
            {
                "name": "network-admins-again",
                "group": "network-engineers",
                "permission_set": "NetworkAdministrator",
                "accounts": ["network"],
            }
        )

    plan = identity_plan(_variant(tmp_path, change).env)
    [grant] = [g for g in plan.grants_for(account="network", group="network-engineers")]
    assert grant.via == ("network-admins", "network-admins-again")


def test_preset_can_be_switched_off(tmp_path):
    def change(d):
        d["identity"]["preset"] = "none"
        for a in d["identity"]["assignments"]:
            if a["permission_set"].startswith("AWS"):
                a["permission_set"] = "NetworkAdministrator"

    plan = identity_plan(_variant(tmp_path, change).env)
    assert [g.name for g in plan.groups] == ["platform-engineers", "developers", "network-engineers"]
    assert [p.name for p in plan.permission_sets] == ["DeveloperAccess", "NetworkAdministrator"]
    assert not plan.from_preset and all(not g.group.startswith("AWS") for g in plan.grants)


def test_no_identity_section_means_identity_center_is_not_managed(tmp_path):
    def change(d):
        d.pop("identity")
        d.pop("self_service")  # its portfolio names a permission set of the identity section

    plan = identity_plan(_variant(tmp_path, change).env)
    assert not plan.enabled and plan.grants == ()


def test_the_support_group_is_configurable(tmp_path):
    def change(d):
        d["identity"]["support_group"] = "platform-engineers"

    plan = identity_plan(_variant(tmp_path, change).env)
    assert "AWSSupportUsers" not in {g.name for g in plan.groups}
    assert {
        a for g in plan.grants if g.permission_set == "AWSSupportAccess" for a in [g.account] if g.group == "platform-engineers"
    } == set(plan.accounts)
