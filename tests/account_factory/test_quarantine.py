"""The quarantine SCP: only for quarantined accounts, deny-all but the landing zone's roles, counted in the SCP budget."""

from __future__ import annotations

import json

import pytest
from parliament import analyze_policy_string

from landing_zone.environment import ConfigError, load_environment
from landing_zone.guardrails.plan import build_plan
from landing_zone.guardrails.quarantine import QUARANTINE_ID
from landing_zone.guardrails.simulator import Request, simulate

from .conftest import BASE, request

DEVELOPER = "arn:aws:iam::111122223333:role/Developer"
ACCESS_ROLE = "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"


def _quarantine_scps(env):
    return [s for s in build_plan(env).scps if s.control_ids == (QUARANTINE_ID,)]


def test_only_quarantined_accounts_get_the_policy_request_wins_over_default(write_env):
    path = write_env("q", request("fresh"), request("settled", quarantine="false"), request("asked", quarantine="true"))
    env = load_environment(path).env
    assert [s.target.name for s in _quarantine_scps(env)] == ["asked"]  # default off
    text = path.read_text().replace("    ou: Sandbox\n", "    ou: Sandbox\n    quarantine: true\n", 1)
    path.write_text(text)
    env = load_environment(path).env
    assert [s.target.name for s in _quarantine_scps(env)] == ["fresh", "asked"]  # default on; 'settled' opts out


def test_policy_denies_everything_but_the_landing_zone_roles_and_lints_clean(write_env):
    env = load_environment(write_env("q", request("asked", quarantine="true"))).env
    (scp,) = _quarantine_scps(env)
    assert scp.name == "tiny-lz-quarantine-asked" and scp.target.kind == "account"
    document = json.loads(scp.content)
    assert document["Statement"] == [
        {
            "Sid": "LZQUARANTINE",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/OrganizationAccountAccessRole"]}},
        }
    ]
    assert scp.content == json.dumps(document, separators=(",", ":"))
    assert [(f.issue, f.detail) for f in analyze_policy_string(scp.content).findings] == []


def test_factory_access_role_is_exempt_too(write_env):
    path = write_env("q", request("asked", quarantine="true"))
    path.write_text(
        path.read_text().replace("    ou: Sandbox\n", "    ou: Sandbox\n    access_role_name: LandingZoneAccess\n", 1)
    )
    (scp,) = _quarantine_scps(load_environment(path).env)
    exempt = json.loads(scp.content)["Statement"][0]["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    assert "arn:aws:iam::*:role/LandingZoneAccess" in exempt


def test_simulate_denies_people_and_allows_the_access_role_in_a_quarantined_account(write_env):
    env = load_environment(write_env("q", request("asked", quarantine="true"), request("other"))).env
    plan = build_plan(env)
    denied = simulate(plan, "asked", Request("s3:ListAllMyBuckets", principal=DEVELOPER, region="eu-west-1"))
    assert not denied.allowed and denied.control_ids == (QUARANTINE_ID,) and denied.policy == "tiny-lz-quarantine-asked"
    assert simulate(plan, "asked", Request("iam:CreateRole", principal=ACCESS_ROLE, region="eu-west-1")).allowed
    assert simulate(plan, "other", Request("s3:ListAllMyBuckets", principal=DEVELOPER, region="eu-west-1")).allowed


def test_quarantined_account_is_a_warning_at_its_setting(write_env):
    path = write_env("q", request("asked", quarantine="true"))
    loaded = load_environment(path)
    (warning,) = loaded.warnings
    assert warning.path == "account_factory.requests[name=asked].quarantine" and warning.location.line == 27
    assert "account 'asked' is quarantined" in warning.message and "set quarantine: false" in warning.message
    with pytest.raises(ConfigError):
        load_environment(path, strict=True)


CUSTOM = """\
guardrails:
  custom_scps:
{policies}
limits:
  scps_per_target: 3
"""


def _fill_account(account: str, count: int) -> str:
    """`count` custom SCPs on one account, each too big to share a policy with another."""
    # Real action prefixes only: the policy validator refuses a wildcard that matches no action.
    big = ", ".join(f"ec2:Describe{c}*" for c in "ABCDEFHIKLMNPRSTV")
    items = []
    for i in range(count):
        items.append(
            f"    fill-{i}:\n      title: filler {i}\n      accounts: [{account}]\n      statements:\n"
            f"        - {{Effect: Deny, Action: [{big}], Resource: '*', Condition: {{StringEquals: {{aws:PrincipalTag/n{i}: '{'x' * 6000}'}}}}}}"
        )
    return "\n".join(items)


def test_quarantine_takes_one_of_the_accounts_scp_slots(write_env):
    # scps_per_target 3: FullAWSAccess + two guardrail policies fit; with the quarantine policy they do not.
    text = BASE.format(requests=request("asked")) + CUSTOM.format(policies=_fill_account("asked", 2))
    path = write_env("q", text=text)
    plan = build_plan(load_environment(path).env)
    budget = next(b for t, b in plan.budgets.items() if t.kind == "account" and t.name == "asked")
    assert budget.fits and len(budget.result.policies) == 2 and budget.slots == 2
    path.write_text(
        text.replace("      tags: {owner: team-asked}\n", "      tags: {owner: team-asked}\n      quarantine: true\n", 1)
    )
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    (problem,) = [p for p in caught.value.problems if p.rule == "scp_budget"]
    assert "account asked needs 2 SCPs" in problem.message
    assert (
        "has 1 free slot(s)" in problem.message
        and "limits.scps_per_target 3 minus FullAWSAccess and the quarantine SCP" in problem.message
    )


def test_quarantine_needs_two_scp_slots(write_env):
    text = BASE.format(requests=request("asked", quarantine="true")) + "limits:\n  scps_per_target: 1\n"
    with pytest.raises(ConfigError) as caught:
        load_environment(write_env("q", text=text))
    messages = [p.message for p in caught.value.problems if p.rule == "factory_quarantine" and p.severity == "error"]
    assert messages == [
        "the quarantine SCP needs a second SCP slot on account 'asked', but limits.scps_per_target is 1 (FullAWSAccess takes the first)"
    ]
