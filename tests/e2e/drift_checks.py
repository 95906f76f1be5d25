"""End-to-end proof of `lz drift` and of the plan-first `lz deploy` on the deployed example (issue 20).

Called from test_deploy_local.py after its no-change second plan, against its
`deployment`: a refresh of every stack finds no drift; then one Identity Center account assignment is deleted and one
guardrail SCP detached from its OU with boto3 (outside terraform). `lz drift`
of the management stack (where both live) must name exactly those two, the
account, the OU and the guardrails, and exit 3 (a detached SCP is dangerous).
The plan-first deploy, the path `lz deploy` takes against AWS, puts both back:
planned into a saved plan and reviewed, refused without a terminal and without
--yes, then applied from exactly that saved plan with --yes. Refresh-only plans of every stack, then of the management stack, one
plan and one apply of it; nothing else is deployed again.
"""

from __future__ import annotations

import json
import re

from conftest import EXAMPLE
from identity_checks import _client

from landing_zone.deploy.planning import PLANNED, PlanSet
from landing_zone.identity.plan import identity_plan

ASSIGNMENT = "aws_ssoadmin_account_assignment"
ATTACHMENT = "aws_organizations_policy_attachment"
OU = "Sandbox"  # the guardrail SCP detached: one of this OU's


def _assignment(deployment, config, org, grant) -> dict:
    """The CreateAccountAssignment arguments of `grant` (group, permission set, account) as deployed."""
    sso, store = _client(deployment, config, "sso-admin"), _client(deployment, config, "identitystore")
    [instance] = sso.list_instances()["Instances"]
    arn = instance["InstanceArn"]
    groups = store.list_groups(IdentityStoreId=instance["IdentityStoreId"])["Groups"]
    [group_id] = [g["GroupId"] for g in groups if g["DisplayName"] == grant.group]
    [permission_set] = [
        ps
        for ps in sso.list_permission_sets(InstanceArn=arn, MaxResults=100)["PermissionSets"]
        if sso.describe_permission_set(InstanceArn=arn, PermissionSetArn=ps)["PermissionSet"]["Name"] == grant.permission_set
    ]
    ids = {a["Name"]: a["Id"] for node in [org.root, *org.ous_by_path().values()] for a in node.accounts}
    return {
        "InstanceArn": arn,
        "TargetId": ids[grant.account],
        "TargetType": "AWS_ACCOUNT",
        "PermissionSetArn": permission_set,
        "PrincipalType": "GROUP",
        "PrincipalId": group_id,
    }


def _assigned(sso, assignment: dict) -> bool:
    listed = sso.list_account_assignments(
        InstanceArn=assignment["InstanceArn"], AccountId=assignment["TargetId"], PermissionSetArn=assignment["PermissionSetArn"]
    )["AccountAssignments"]
    return any(a["PrincipalId"] == assignment["PrincipalId"] for a in listed)


def _detach_a_guardrail_scp(deployment, config, org, ou_path: str) -> tuple[str, str]:
    """Detach one landing-zone SCP from the OU at `ou_path`; returns (policy id, OU id)."""
    organizations = _client(deployment, config, "organizations")
    ou_id = org.ous_by_path()[ou_path].id
    policies = organizations.list_policies_for_target(TargetId=ou_id, Filter="SERVICE_CONTROL_POLICY")["Policies"]
    policy_id = next(p["Id"] for p in policies if p["Name"] != "FullAWSAccess")
    organizations.detach_policy(PolicyId=policy_id, TargetId=ou_id)
    return policy_id, ou_id


def _attached(deployment, config, policy_id: str, ou_id: str) -> bool:
    organizations = _client(deployment, config, "organizations")
    policies = organizations.list_policies_for_target(TargetId=ou_id, Filter="SERVICE_CONTROL_POLICY")["Policies"]
    return any(p["Id"] == policy_id for p in policies)


def check_out_of_band_changes_are_drift_and_the_plan_first_deploy_restores_them(deployment, config, org) -> None:
    plan = identity_plan(config)
    grant = next(g for g in plan.grants if g.account != config.organization.management_account.name)
    assignment = _assignment(deployment, config, org, grant)
    sso = _client(deployment, config, "sso-admin")
    out = str(deployment.out)
    plans = deployment.out.parent / "plans.local"
    # A refresh of the untouched deployment: no drift. Only what the code sets counts, down to nested blocks (a
    # stack set instance's deployment_targets, an encryption rule). Management (organization, catalog), the log
    # archive (its buckets) and one member stack: a refresh of all of them costs as much as the second plan of
    # every stack, and one such run found no noise in the others.
    noise_stacks = ["management", "log-archive", "account-payments-prod"]
    before = deployment.lz("drift", EXAMPLE, "--no-synth", "--out", out, "--stacks", *noise_stacks, "--format", "json")
    assert before.returncode == 0, [(d["stack"], d["address"], d["attributes"]) for d in json.loads(before.stdout)["drifted"]]
    sso.delete_account_assignment(**assignment)
    assert not _assigned(sso, assignment)
    policy_id, ou_id = _detach_a_guardrail_scp(deployment, config, org, OU)
    try:
        # lz drift: exactly the deleted assignment and the detached SCP, named by the plan review; dangerous: exit 3
        drift = deployment.lz("drift", EXAMPLE, "--no-synth", "--out", out, "--stacks", "management", "--format", "json")
        assert drift.returncode == 3, drift.stderr[-4000:]
        report = json.loads(drift.stdout)
        drifted = {d["type"]: d for d in report["drifted"]}
        assert sorted(drifted) == [ATTACHMENT, ASSIGNMENT] and len(report["drifted"]) == 2, report["drifted"]
        assert {(d["stack"], d["action"]) for d in drifted.values()} == {("management", "delete")}
        [detached] = [d for d in report["dangers"] if d["rule"] == "scp-detached"]
        assert detached["address"] == drifted[ATTACHMENT]["address"]
        assert detached["message"].startswith(f"SCP {policy_id} was detached from {ou_id} outside terraform")
        access = [(a["change"], a["group"], a["permission_set"], a["account"]) for a in report["review"]["access"]]
        assert access == [("revoked", grant.group, grant.permission_set, grant.account)]
        removed = [g for g in report["review"]["guardrails"] if g["change"] == "removed"]
        assert removed and {g["target"] for g in removed} == {f"OU {OU}"}, report["review"]["guardrails"]
        assert all(g["control_id"] for g in removed)
        assert "drift: 2 resource(s) in 1 stack(s) (management); DANGEROUS: " in drift.stderr

        # the plan-first deploy: saved plan and review, but no terminal and no --yes, so nothing applies
        common = ["--no-synth", "--out", out, "--stacks", "management", "--plans", str(plans)]
        refused = deployment.lz("deploy", EXAMPLE, "--local", "--plan-first", *common)
        assert refused.returncode == 1, refused.stderr[-4000:]
        assert "no terminal to confirm on, and no --yes: nothing applied" in refused.stderr
        assert [(s.stack, s.status) for s in PlanSet.read(plans).stacks] == [("management", PLANNED)]
        granted = rf"\ngranted +{grant.group} +{grant.permission_set} +{grant.account}\n"
        assert re.search(granted, refused.stdout), refused.stdout[-3000:]
        saved = json.loads((plans / "management" / "management.json").read_text())
        changes = sorted(
            (c["address"], c["change"]["actions"]) for c in saved["resource_changes"] if c["change"]["actions"] != ["no-op"]
        )
        assert changes == sorted((d["address"], ["create"]) for d in drifted.values())
        assert not _assigned(sso, assignment) and not _attached(deployment, config, policy_id, ou_id)

        # ... and applied from exactly that saved plan once confirmed with --yes
        applied = deployment.lz("deploy", EXAMPLE, "--local", "--from-plans", str(plans), "--yes", "--no-tree")
        assert applied.returncode == 0, applied.stderr[-4000:]
        assert "applied the reviewed plans of 1 stack(s): management" in applied.stderr
        assert _assigned(sso, assignment) and _attached(deployment, config, policy_id, ou_id)
    finally:  # a failed check must not leave the later tests a changed deployment
        if not _assigned(sso, assignment):
            sso.create_account_assignment(**assignment)
        if not _attached(deployment, config, policy_id, ou_id):
            _client(deployment, config, "organizations").attach_policy(PolicyId=policy_id, TargetId=ou_id)
