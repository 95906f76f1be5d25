"""Requests become ordinary accounts: generated emails, merged tags, request files, effective baseline."""

from __future__ import annotations

import pytest

from landing_zone.config.vending import access_role, effective_baseline, generated_email, vended_names
from landing_zone.derived.org_tree import OrgTree
from landing_zone.environment import ConfigError, load_environment

from .conftest import request


def test_requests_become_accounts_with_generated_email_and_merged_tags(write_env):
    loaded = load_environment(write_env("a", request("sandbox-a"), request("app", ou="Workloads", email="Team+App@tiny-corp.io")))
    accounts = {a.name: a for a in loaded.env.accounts}
    assert accounts["sandbox-a"].email == "aws+sandbox-a@tiny-corp.io"
    assert accounts["sandbox-a"].ou == "Sandbox"
    assert accounts["sandbox-a"].tags == {"cost-center": "platform", "owner": "team-sandbox-a"}
    assert accounts["app"].email == "Team+App@tiny-corp.io" and accounts["app"].ou == "Workloads"
    assert vended_names(loaded.env) == ["sandbox-a", "app"]
    tree = OrgTree(loaded.env)
    assert {a.name for a in tree.subtree_accounts("Workloads")} == {"app"}


def test_request_files_are_added_in_file_name_order(write_env):
    path = write_env(
        "files",
        request("inline"),
        files={
            "zeta": "name: zeta\ntags: {owner: z}\n",
            "alpha": "name: alpha\nou: Workloads\ntags: {owner: a}\nbaseline:\n  budget: {monthly_limit_usd: 50}\n",
        },
    )
    loaded = load_environment(path)
    assert vended_names(loaded.env) == ["inline", "alpha", "zeta"]
    assert [a.name for a in loaded.env.accounts][-3:] == ["inline", "alpha", "zeta"]
    assert effective_baseline(loaded.env, "alpha").budget.monthly_limit_usd == 50
    assert effective_baseline(loaded.env, "zeta").budget.monthly_limit_usd == 100  # the default
    assert effective_baseline(loaded.env, "log-archive") is None  # not vended


def test_generated_email_collision_is_reported_at_the_request_file(write_env):
    path = write_env("dup", request("twin"), files={"twin-file": "name: Twin\ntags: {owner: t}\n"})
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    text = caught.value.render()
    assert "env/accounts/twin-file.yaml:1:7: accounts[name=Twin].name: account name 'Twin' is used twice" in text
    assert "accounts[name=Twin].email: email 'aws+Twin@tiny-corp.io' is used twice" in text


def test_template_filling():
    assert generated_email("aws+{name}@corp.example", "x") == "aws+x@corp.example"
    assert generated_email("aws+{owner}@corp.example", "x") is None
    assert generated_email("aws+{name@corp.example", "x") is None


def test_access_role_of_vended_accounts(write_env):
    path = write_env("role", request("sandbox-a"))
    text = path.read_text().replace("    ou: Sandbox\n", "    ou: Sandbox\n    access_role_name: LandingZoneAccess\n", 1)
    path.write_text(text)
    env = load_environment(path).env
    assert access_role(env, "sandbox-a") == "LandingZoneAccess"
    assert access_role(env, "audit") == "OrganizationAccountAccessRole"


def test_example_vends_its_workload_and_sandbox_accounts():
    from pathlib import Path

    env = load_environment(Path(__file__).resolve().parents[2] / "environments" / "example.yaml").env
    vended = set(vended_names(env))
    workload_and_sandbox = {a.name for a in env.accounts if a.ou.split("/")[0] in ("Workloads", "Sandbox")}
    assert workload_and_sandbox and workload_and_sandbox <= vended
