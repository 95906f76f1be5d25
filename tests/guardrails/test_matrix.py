"""The effective matrix (`lz guardrails`): inheritance, exclusions, detective coverage, budgets."""

from __future__ import annotations

import json

from landing_zone.cli.main import main
from landing_zone.derived.org_tree import OrgTree
from landing_zone.environment import load_environment
from landing_zone.guardrails.matrix import applied_to
from landing_zone.guardrails.plan import build_plan
from landing_zone.guardrails.targets import ROOT, Target, attachment_targets
from landing_zone.naming import LandingZoneNames, bounded

from .conftest import EXAMPLE


def _sources(plan, account):
    return {a.control.id: a.source for a in applied_to(plan, account)}


def test_controls_reach_accounts_from_the_root_their_ous_and_directly(example_plan):
    web = _sources(example_plan, "web-prod")
    assert web["AWS-GR_CLOUDTRAIL_ENABLED"] == "inherited from root"
    assert web["AWS-GR_DISALLOW_VPC_INTERNET_ACCESS"] == "inherited from OU Workloads"  # Workloads/Prod is below Workloads
    assert "AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED" not in web
    log = _sources(example_plan, "log-archive")
    assert log["AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED"] == "inherited from OU Security"
    assert log["AWS-GR_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED"] == "direct"
    assert "AWS-GR_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED" not in _sources(example_plan, "audit")


def test_the_management_account_gets_only_detective_rules_on_the_root(example_plan):
    mgmt = applied_to(example_plan, "management")
    assert mgmt and all(not a.control.control.preventive for a in mgmt)
    assert "AWS-GR_ROOT_ACCOUNT_MFA_ENABLED" in {a.control.id for a in mgmt}
    # On the root with an exclusion: attached below the root, yet still run in the management account.
    assert "AWS-GR_S3_VERSIONING_ENABLED" in {a.control.id for a in mgmt}
    assert "AWS-GR_ENSURE_CLOUDTRAIL_ENABLED_ON_SHARED_ACCOUNTS" not in {a.control.id for a in mgmt}


def test_a_detective_exclusion_becomes_excluded_accounts(example_plan):
    rules = {r.control_id: r for r in example_plan.detective_rules}
    versioning = rules["AWS-GR_S3_VERSIONING_ENABLED"]
    assert versioning.excluded_accounts == ("sandbox-dev1",) and not versioning.exclude_management
    mfa = rules["AWS-GR_ROOT_ACCOUNT_MFA_ENABLED"]
    assert mfa.excluded_accounts == () and not mfa.exclude_management
    shared = rules["AWS-GR_ENSURE_CLOUDTRAIL_ENABLED_ON_SHARED_ACCOUNTS"]
    assert set(shared.excluded_accounts) == {a.name for a in example_plan.env.accounts} - {"log-archive", "audit"}


def test_an_exclusion_pushes_the_attachment_below_the_target(example):
    tree = OrgTree(example)
    got = attachment_targets(tree, [ROOT], exclude_ous=["Sandbox"])
    assert got == tuple(Target("ou", p) for p in ("Infrastructure", "PolicyStaging", "Security", "Suspended", "Workloads"))
    got = attachment_targets(tree, [Target("ou", "Workloads")], exclude_accounts=["web-prod"])
    assert got == (Target("ou", "Workloads/NonProd"), Target("account", "payments-prod"))
    assert attachment_targets(tree, [ROOT, Target("ou", "Workloads"), Target("account", "audit")]) == (ROOT,)
    assert attachment_targets(tree, [Target("ou", "Workloads"), Target("account", "web-prod")]) == (Target("ou", "Workloads"),)


def test_an_account_added_later_under_a_targeted_ou_inherits_its_guardrails(extend_example):
    path = extend_example("accounts:\n  - name: new-team\n    email: aws+new-team@acme-corp.io\n    ou: Workloads/Prod\n")
    plan = build_plan(load_environment(path).env)
    assert _sources(plan, "new-team") == _sources(plan, "web-prod")


def test_budgets_report_slots_and_characters(example_plan):
    root = example_plan.budgets[ROOT]
    assert root.slots == 9 and root.capacity == 10240 and root.fits
    assert len(root.result.policies) == 1 and 0 < root.characters <= 10240


def test_lz_guardrails_table_markdown_and_json(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # names head the account columns when they fit
    assert main(["guardrails", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "61 controls on (23 mandatory, 14 strongly recommended, 23 elective, 1 custom)" in out
    assert "P/D  log-archive  audit  network" in out and "SCP budget per target" in out
    monkeypatch.setenv("COLUMNS", "100")  # else numbers, with a legend
    assert main(["guardrails", str(EXAMPLE)]) == 0
    assert "Accounts: 1 log-archive, 2 audit," in capsys.readouterr().out
    assert main(["guardrails", str(EXAMPLE), "--account", "web-prod", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| AWS-GR_DISALLOW_VPC_INTERNET_ACCESS | elective | preventive | inherited from OU Workloads |" in out
    assert main(["guardrails", str(EXAMPLE), "--ou", "Workloads", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["accounts"]) == {"payments-prod", "payments-nonprod", "web-prod", "web-nonprod"}
    assert {b["target"] for b in data["scp_budget"]} == {"root", "OU Workloads"}
    assert all(b["fits"] and b["slots_quota"] == 10 for b in data["scp_budget"])


def test_lz_guardrails_catalog_and_errors(capsys):
    assert main(["guardrails", "--catalog", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) >= 60
    assert main(["guardrails", str(EXAMPLE), "--account", "nobody"]) == 2
    assert "no account 'nobody'" in capsys.readouterr().err
    assert main(["guardrails"]) == 2


def test_names_come_from_the_organization_and_stay_within_aws_limits(example):
    names = LandingZoneNames.of(example)
    assert names.trail == "acme-organization-trail"
    assert names.log_bucket("111122223333") == "acme-log-archive-111122223333"
    assert names.access_log_bucket("111122223333").startswith(names.log_bucket_prefix)
    assert names.security_topic.startswith(names.prefix) and names.role("config recorder") == "acme-lz-config-recorder"
    # The deployment role runs only in the management account, where SCPs never apply: not exempt (issue 24.6),
    # but its name stays protected, so no member account can create a role of that name.
    assert names.exempt_principal_arns == ["arn:aws:iam::*:role/OrganizationAccountAccessRole"]
    assert names.role_arns == [
        "arn:aws:iam::*:role/acme-lz-*",
        "arn:aws:iam::*:role/LandingZoneDeployment",
        "arn:aws:iam::*:role/OrganizationAccountAccessRole",
        # payments-prod's CI/CD deploy role (issue 24.3): no member admin may re-trust or widen it
        "arn:aws:iam::*:role/ci-deploy",
    ]
    # a factory that names its own access role for vended accounts: their stacks assume it, so it is exempt too
    factory = example.account_factory.model_copy(
        update={"defaults": example.account_factory.defaults.model_copy(update={"access_role_name": "VendedAccess"})}
    )
    vended = LandingZoneNames.of(example.model_copy(update={"account_factory": factory}))
    assert vended.exempt_principal_arns == names.exempt_principal_arns + ["arn:aws:iam::*:role/VendedAccess"]
    long = names.config_rule("AWS-GR_ENSURE_CLOUDTRAIL_ENABLED_ON_SHARED_ACCOUNTS" * 2)
    assert len(long) == 64 and long == names.config_rule("AWS-GR_ENSURE_CLOUDTRAIL_ENABLED_ON_SHARED_ACCOUNTS" * 2)
    assert bounded("abc", 3) == "abc"


def test_guardrail_commands_and_validation_do_not_import_cdktf(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys, io, contextlib\n"
        "from landing_zone.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['guardrails', {str(EXAMPLE)!r}])\n"
        f"    main(['simulate', {str(EXAMPLE)!r}, '--account', 'web-prod', '--action', 's3:GetObject'])\n"
        "    from landing_zone.guardrails.plan import build_plan\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('cdktf', 'constructs', 'jsii')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)
