"""End-to-end checks of what an outside audit asks (issue 28) on the shared local deployment.

Imported into test_deploy_local.py: Prowler's CIS 3.0 audit (`make audit`'s, first, before the drill plants
its violations), centralized root access, the management policies at the root, every
account's alternate contacts and the network ACLs of the network account's
egress VPC, read back from the local API after the apply.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from conftest import EXAMPLE, ROOT
from logging_checks import _account_ids, _session

from landing_zone.config.vending import access_role
from landing_zone.derived.contacts import account_contacts, management_contacts
from landing_zone.derived.management_policies import management_policies, root_access_features

AUDIT_VENV_TIMEOUT = 1800  # a hang guard only: the install takes ~6 min on a loaded 2-core machine


def prowler_ready() -> Path:
    """Prowler from .venv-audit. `make e2e` builds that virtualenv in the background while the example deploys
    and names the file its exit status lands in (LZ_AUDIT_VENV_STATUS); without it, it is built here."""
    status_file = os.environ.get("LZ_AUDIT_VENV_STATUS")
    if status_file:
        deadline = time.monotonic() + AUDIT_VENV_TIMEOUT
        while not Path(status_file).exists():
            assert time.monotonic() < deadline, f"Prowler's virtualenv not built within {AUDIT_VENV_TIMEOUT} s"
            time.sleep(2)
        status = Path(status_file).read_text(encoding="utf-8").strip()
        log = Path(status_file).with_suffix(".log")
        assert status == "0", f"building .venv-audit failed ({status}):\n" + (log.read_text()[-3000:] if log.exists() else "")
    else:
        built = subprocess.run(
            ["make", "--no-print-directory", ".venv-audit/.installed"], cwd=ROOT, capture_output=True, text=True
        )
        assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    return ROOT / ".venv-audit" / "bin" / "prowler"


def test_prowler_cis_3_0_finds_no_failure_the_landing_zone_owns(deployment):
    """`make audit` on this deployment: Prowler's CIS 3.0 checks in the management, network and one workload
    account, offline, with audit/mutes.yaml; no unmuted FAIL, and every mute's premise holds (a centralized
    check passes in the management account; no mute is stale). Counts and time print in the summary."""
    from audit.prowler_audit import run

    waited = time.monotonic()
    prowler = prowler_ready()
    deployment.audit["waited for .venv-audit"] = round(time.monotonic() - waited, 1)
    out = deployment.out / "audit"
    status = run(prowler, ROOT / EXAMPLE, out, deployment.server.url)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8")) if (out / "summary.json").exists() else {}
    deployment.audit.update(summary)
    assert status == 0, json.dumps(summary, indent=2)[-6000:] or f"no report (logs in {out})"
    assert summary["counts"]["FAIL"] == 0 and summary["counts"]["PASS"] >= 40, summary["counts"]


def test_root_access_policies_contacts_config_role_and_network_acls_are_live(deployment, org, config):
    management = _session(deployment, config, None)
    assert sorted(management("iam").list_organizations_features()["EnabledFeatures"]) == sorted(root_access_features(config))
    organizations = management("organizations")
    for policy in management_policies(config):
        attached = organizations.list_policies_for_target(TargetId=org.root.id, Filter=policy.type)["Policies"]
        assert [p["Name"] for p in attached] == [policy.name], policy.type

    account = management("account")
    for kind, contact in management_contacts(config).items():
        live = account.get_alternate_contact(AlternateContactType=kind.upper())["AlternateContact"]
        assert live["EmailAddress"] == contact.email, ("management", kind)
    ids = _account_ids(org)
    for member in config.accounts:
        for kind, contact in account_contacts(config, member.name).items():
            live = account.get_alternate_contact(AccountId=ids[member.name], AlternateContactType=kind.upper())
            assert live["AlternateContact"]["EmailAddress"] == contact.email, (member.name, kind)

    network_name = config.network.account
    network = _session(deployment, config, ids[network_name], access_role(config, network_name))
    ec2 = network("ec2", config.network.region or config.organization.home_region)
    acls = [a for a in ec2.describe_network_acls()["NetworkAcls"] if not a["IsDefault"]]
    assert acls, "the egress VPC's tiers have network ACLs"
    for acl in acls:
        assert acl["Associations"], acl["NetworkAclId"]
        denies = {
            (e.get("CidrBlock") or e.get("Ipv6CidrBlock"), e["Protocol"], e["PortRange"]["From"])
            for e in acl["Entries"]
            if not e["Egress"] and e["RuleAction"] == "deny" and "PortRange" in e
        }
        assert {("0.0.0.0/0", "6", 22), ("::/0", "6", 22), ("0.0.0.0/0", "6", 3389), ("::/0", "6", 3389)} <= denies


def test_default_vpcs_are_deleted_or_locked_as_configured(deployment, org, config):
    """organization.default_vpcs on the deployment: no default VPC left where the mode is delete (the step ran
    from each account's stack; the second plan finding no changes is the shared test's), and a locked one with
    no rule in its default security group or network ACL and flow logs on."""
    from landing_zone.derived.default_vpcs import default_vpc_modes

    ids = _account_ids(org)
    management = config.organization.management_account.name
    for name, mode in default_vpc_modes(config).items():
        session = _session(
            deployment,
            config,
            None if name == management else ids[name],
            None if name == management else access_role(config, name),
        )
        for region in config.organization.governed_regions:
            ec2 = session("ec2", region)
            vpcs = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
            if mode == "delete":
                assert vpcs == [], (name, region)
                continue
            assert len(vpcs) == 1, (name, region, mode)
            vpc_id = vpcs[0]["VpcId"]
            if mode == "lock":
                groups = ec2.describe_security_groups(
                    Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
                )["SecurityGroups"]
                assert (groups[0]["IpPermissions"], groups[0]["IpPermissionsEgress"]) == ([], []), (name, region)
                acl = ec2.describe_network_acls(
                    Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "default", "Values": ["true"]}]
                )["NetworkAcls"][0]
                assert [e for e in acl["Entries"] if e["RuleAction"] == "allow"] == [], (name, region)
                assert ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"], (name, region)
