"""Issue 24.6: who the guardrails exempt, pinned on the packed SCPs and decided by the simulator.

The access roles are exempt (every member stack assumes one); the account factory's own access role only when it
names one, and then in every statement that exempts; the deployment role never (it runs only in the management
account, where SCPs never apply), while its name, the access roles' and the deploy roles' stay protected.
"""

from __future__ import annotations

import json

import pytest

from landing_zone.environment import load_environment
from landing_zone.facts import Facts
from landing_zone.guardrails.simulator import Request, simulate
from tests.conftest import EXAMPLE

ACCOUNT = "444455556666"


def _exemptions(plan) -> set[tuple[str, ...]]:
    """Every distinct aws:PrincipalArn exemption list of the packed SCPs."""
    out = set()
    for scp in plan.scps:
        for statement in json.loads(scp.content)["Statement"]:
            arns = (statement.get("Condition") or {}).get("ArnNotLike", {}).get("aws:PrincipalArn")
            if arns is not None:
                out.add(tuple(arns if isinstance(arns, list) else [arns]))
    return out


@pytest.fixture(scope="module")
def example():
    return load_environment(EXAMPLE).env


@pytest.fixture(scope="module")
def vended_facts(example):
    factory = example.account_factory
    defaults = factory.defaults.model_copy(update={"access_role_name": "VendedAccess"})
    return Facts(example.model_copy(update={"account_factory": factory.model_copy(update={"defaults": defaults})}))


def test_the_example_exempts_only_the_access_role(example):
    assert _exemptions(Facts(example).guardrail_plan) == {("arn:aws:iam::*:role/OrganizationAccountAccessRole",)}


def test_a_factory_access_role_is_exempt_everywhere_an_exemption_is_and_the_deployment_role_never(vended_facts):
    exemptions = _exemptions(vended_facts.guardrail_plan)
    assert exemptions == {
        ("arn:aws:iam::*:role/OrganizationAccountAccessRole", "arn:aws:iam::*:role/VendedAccess"),
    }
    assert not any("LandingZoneDeployment" in arn for arns in exemptions for arn in arns)


@pytest.mark.parametrize(
    "principal_role, allowed",
    [
        ("VendedAccess", True),  # the vended account's stack runs as it
        ("OrganizationAccountAccessRole", True),
        ("LandingZoneDeployment", False),  # a role of that name in a member account is nobody special
        ("ci-deploy", False),
    ],
)
def test_who_may_change_the_landing_zones_roles_in_a_vended_account(vended_facts, principal_role, allowed):
    plan = vended_facts.guardrail_plan
    request = Request(
        "iam:UpdateAssumeRolePolicy",
        f"arn:aws:iam::{ACCOUNT}:role/VendedAccess",
        principal=f"arn:aws:iam::{ACCOUNT}:role/{principal_role}",
        region="eu-west-1",
    )
    assert simulate(plan, "sandbox-dev1", request).allowed is allowed


def test_the_factory_access_role_name_is_protected(vended_facts):
    names = vended_facts.names
    assert "VendedAccess" in names.protected_role_names and "LandingZoneDeployment" in names.protected_role_names
