"""The dashboard's data model agrees with the facts and the existing reports it is built from."""

from __future__ import annotations

import boto3
from moto import mock_aws

from landing_zone.dashboard.compliance import ComplianceView, Observation
from landing_zone.dashboard.model import build_model
from landing_zone.environment import load_environment
from landing_zone.guardrails.matrix import applied_to
from landing_zone.live.organization import read_organization


def test_every_ou_account_and_control_is_in_the_model(example_loaded, example_site):
    _, model = example_site
    env, facts = example_loaded.env, example_loaded.facts
    assert [o["path"] for o in model["ous"]] == [""] + [ou.path for _, ou in facts.tree.walk()]
    assert {a["name"] for a in model["accounts"]} == {a.name for a in env.accounts} | {"management"}
    assert [c["id"] for c in model["controls"]] == [c.id for c in facts.guardrail_plan.controls]


def test_matrix_is_the_guardrail_report_per_account(example_loaded, example_site):
    _, model = example_site
    plan = example_loaded.facts.guardrail_plan
    for account in model["accounts"]:
        expected = {a.control.id: a.via.label for a in applied_to(plan, account["name"])}
        shown = {model["controls"][i]["id"]: model["targets"][t]["label"] for i, t in enumerate(account["m"]) if t >= 0}
        assert shown == expected, account["name"]
    payments = next(a for a in model["accounts"] if a["name"] == "payments-prod")
    sources = {model["targets"][t]["kind"] for t in payments["m"] if t >= 0}
    assert sources == {"root", "ou"}  # the example attaches to the root and to Workloads OUs


def test_grants_are_the_access_report(example_loaded, example_site):
    _, model = example_site
    identity = example_loaded.facts.identity_plan
    groups, sets = model["identity"]["groups"], model["identity"]["permission_sets"]
    shown = {
        (a["name"], groups[g]["name"], sets[p]["name"], tuple(model["identity"]["assignments"][v] for v in via))
        for a in model["accounts"]
        for g, p, via in a["g"]
    }
    assert shown == {(g.account, g.group, g.permission_set, g.via) for g in identity.grants}
    users = model["identity"]["users"]
    assert users and all(u["groups"] for u in users)


def test_stacks_per_account_follow_the_layout(example_loaded, example_site):
    _, model = example_site
    by_name = {a["name"]: a for a in model["accounts"]}
    assert by_name["management"]["stacks"] == [
        "management",
        "management-lifecycle",
        "management-baseline",
        "detective-guardrails",
    ]
    assert by_name["log-archive"]["stacks"] == ["log-archive", "log-archive-lifecycle"]
    assert by_name["payments-prod"]["stacks"] == ["account-payments-prod"]
    shown = sorted(s for a in model["accounts"] for s in a["stacks"])
    assert shown == sorted(example_loaded.facts.deploy_order)


def test_control_detail_has_statements_or_rule_and_runbook(example_site):
    _, model = example_site
    controls = {c["id"]: c for c in model["controls"]}
    scp = controls["AWS-GR_REGION_DENY"]
    assert scp["statements"][0]["Sid"] == "AWSGRREGIONDENY" and scp["config_rule"] is None
    ssh = controls["AWS-GR_RESTRICTED_SSH"]
    assert ssh["statements"] == [] and ssh["config_rule"]["source_identifier"] == "INCOMING_SSH_DISABLED"
    assert ssh["runbook"]["name"] == "LZ-RevokeOpenAdminIngress"
    assert ssh["runbook"]["command"] == (
        "lz respond environments/example.yaml --account <ACCOUNT> --runbook LZ-RevokeOpenAdminIngress "
        "--param GroupId=<GroupId> --param Port=22"
    )
    assert "ec2:RevokeSecurityGroupIngress" in ssh["runbook"]["permissions"]
    assert ssh["runbook"]["description"].startswith("Revoke a security group's ingress rule that opens SSH (22) or RDP")
    assert len(ssh["runbook"]["description"]) > 80 and "\n" not in ssh["runbook"]["description"]
    assert controls["AWS-GR_EBS_OPTIMIZED_INSTANCE"]["runbook"] is None


def test_account_kinds_and_flags(kinds_env):
    loaded = load_environment(kinds_env)
    model = build_model(loaded.facts, str(kinds_env), loaded.name)
    shown = {a["name"]: (a["kind"], a["flags"], a["id"]) for a in model["accounts"]}
    assert shown == {
        "log-archive": ("core", [], ""),
        "audit": ("core", [], ""),
        "legacy": ("adopted", [], "210987654321"),
        "built": ("member", [], ""),
        "fresh": ("vended", ["quarantined"], ""),
        "leaving": ("vended", ["suspended"], ""),
        "management": ("management", [], ""),
    }


@mock_aws
def test_live_organization_adds_ids_and_suspended_status(kinds_env):
    client = boto3.client("organizations", region_name="us-east-1")
    client.create_organization(FeatureSet="ALL")
    (root,) = client.list_roots()["Roots"]
    sandbox = client.create_organizational_unit(ParentId=root["Id"], Name="Sandbox")["OrganizationalUnit"]
    created = client.create_account(AccountName="built", Email="aws+built@kinds-corp.io")["CreateAccountStatus"]
    client.move_account(AccountId=created["AccountId"], SourceParentId=root["Id"], DestinationParentId=sandbox["Id"])
    view = read_organization(client)
    for node in [view.root, *view.ous_by_path().values()]:
        for account in node.accounts:
            if account["Name"] == "built":
                account["Status"] = "SUSPENDED"  # moto cannot suspend; the API reports it this way
    loaded = load_environment(kinds_env)
    model = build_model(loaded.facts, str(kinds_env), loaded.name, live=view)
    built = next(a for a in model["accounts"] if a["name"] == "built")
    assert built["id"] == created["AccountId"] and built["flags"] == ["suspended"] and model["live"] is True


def test_compliance_seam_heatmap_findings_and_timeline():
    seen = [
        Observation("AWS-GR_RESTRICTED_SSH", "web-prod", "eu-west-1", "sg-1", "COMPLIANT", "2026-01-01T00:00:00Z"),
        Observation("AWS-GR_RESTRICTED_SSH", "web-prod", "eu-west-1", "sg-1", "NON_COMPLIANT", "2026-01-02T00:00:00Z"),
        Observation("AWS-GR_RESTRICTED_SSH", "web-prod", "eu-west-1", "sg-1", "NON_COMPLIANT", "2026-01-03T00:00:00Z"),
        Observation("AWS-GR_EBS_OPTIMIZED_INSTANCE", "web-prod", "eu-west-1", "i-1", "COMPLIANT", "2026-01-03T00:00:00Z"),
    ]
    data = ComplianceView("history", tuple(seen), env_file="env.yaml").as_dict()
    assert data["heatmap"] == {
        "AWS-GR_RESTRICTED_SSH": {"web-prod": [1, 0]},
        "AWS-GR_EBS_OPTIMIZED_INSTANCE": {"web-prod": [0, 1]},
    }
    (finding,) = data["findings"]
    assert finding["since"] == "2026-01-02T00:00:00Z"
    assert finding["command"] == (
        "lz respond env.yaml --account web-prod --runbook LZ-RevokeOpenAdminIngress --param GroupId=sg-1 --param Port=22"
    )
    # one violation: from the first NON_COMPLIANT after a COMPLIANT, still open, seen twice
    assert data["timeline"] == {"web-prod": [["2026-01-02T00:00:00Z", "", "AWS-GR_RESTRICTED_SSH", "sg-1", "eu-west-1", 2]]}
