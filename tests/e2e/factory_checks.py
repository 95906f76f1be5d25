"""End-to-end checks of the account factory on the local AWS API.

Imported into test_deploy_local.py (one deployment per module): run against
its `deployment`, after the apply and before the destroy. Every vended
account of the example (at least three) is checked through credentials of
the access role assumed in that account, so each setting is proven to be in
the member account, not in the management account.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import EXAMPLE, ROOT
from logging_checks import _account_ids, _session

from landing_zone.config.vending import access_role, account_alias, effective_baseline, vended_names
from landing_zone.terraform import Terraform


def test_vended_accounts_have_their_baseline_through_assumed_credentials(deployment, org, config):
    ids = _account_ids(org)
    vended = vended_names(config)
    assert len(vended) >= 3
    for name in vended:
        aws = _session(deployment, config, ids[name], access_role(config, name))
        assert aws("sts").get_caller_identity()["Account"] == ids[name] != org.management_account_id
        assert aws("iam").list_account_aliases()["AccountAliases"] == [account_alias(config, name)], name
        options = effective_baseline(config, name)
        budget = aws("budgets").describe_budget(AccountId=ids[name], BudgetName=f"{account_alias(config, name)}-monthly")[
            "Budget"
        ]
        assert float(budget["BudgetLimit"]["Amount"]) == options.budget.monthly_limit_usd, name
        assert aws("iam").get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] >= 14, name
        assert aws("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True, name
        roles = {r["RoleName"] for r in aws("iam").list_roles()["Roles"]}
        deploy = options.deploy_role
        assert (deploy is not None and deploy.role_name in roles) or (deploy is None and "ci-deploy" not in roles), name


# One more account request, synthesized against this deployment's state: the
# synth runs in a child process (the e2e session never imports cdktf).
_SYNTH_VARIANT = """
import sys
from landing_zone.deploy import synthesize_local
from landing_zone.environment import load_environment
env_file, out, url, state = sys.argv[1:]
synthesize_local(load_environment(env_file), out, url, state, allow_destroy=True)
"""
EXTRA_ACCOUNT = "e2e-extra"


def _with_one_more_request(folder: Path) -> Path:
    """The example (and its per-account request files) plus one request, as <folder>/example.yaml."""
    example = ROOT / EXAMPLE
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["account_factory"]["requests"].append({"name": EXTRA_ACCOUNT, "tags": {"owner": "e2e"}})
    side = example.with_suffix("")
    if side.is_dir():
        shutil.copytree(side, folder / side.name)
    target = folder / example.name
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def test_one_more_account_request_changes_only_the_management_plan(deployment, stacks, tmp_path):
    """Issue 7's blast radius on the deployed example: with one more request, every deployed stack but
    `management` (and `detective-guardrails`, see below) synthesizes byte-identically, so its plan is the
    no-change second plan; the management plan only creates (the account and what belongs to it), and
    the account gets a stack of its own."""
    env_file = _with_one_more_request(tmp_path / "env")
    out = tmp_path / "out"
    state = (deployment.out / "local-state").resolve()
    synth = subprocess.run(
        [sys.executable, "-c", _SYNTH_VARIANT, str(env_file), str(out), deployment.server.url, str(state)],
        cwd=ROOT,
        env=deployment.env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert synth.returncode == 0, synth.stderr[-4000:]
    new_stacks = {p.parent.name for p in (out / "stacks").glob("*/cdk.tf.json")}
    assert new_stacks - {s.name for s in stacks} == {f"account-{EXTRA_ACCOUNT}"}
    differ = [
        s.name
        for s in stacks
        if (s.directory / "cdk.tf.json").read_bytes() != (out / "stacks" / s.name / "cdk.tf.json").read_bytes()
    ]
    # detective-guardrails changes too, by design: the new account joins the exclusions of the Config
    # rules that skip its OU (tests/account_factory/test_stacks.py); it is planned once management has
    # created the account, as CI does, so only management is planned here. So does audit: the
    # incident-response runbooks are shared with every member account.
    assert differ in (["management"], ["management", "detective-guardrails"], ["management", "audit", "detective-guardrails"]), (
        differ
    )

    management = Terraform(out / "stacks" / "management", env=deployment.env, progress=lambda m: None)
    management.init()
    plan = management.plan_json()
    changes = {c["address"]: c["change"]["actions"] for c in plan["resource_changes"] if c["change"]["actions"] != ["no-op"]}
    assert changes and set(map(tuple, changes.values())) == {("create",)}, changes
    created = [
        plan_change
        for plan_change in plan["resource_changes"]
        if plan_change["type"] == "aws_organizations_account" and plan_change["change"]["actions"] == ["create"]
    ]
    assert [c["change"]["after"]["name"] for c in created] == [EXTRA_ACCOUNT]
