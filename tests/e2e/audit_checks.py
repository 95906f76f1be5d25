"""End-to-end checks of what an outside audit asks (issue 28) on the shared local deployment.

Imported into test_deploy_local.py: centralized root access, the management policies at the root, every
account's alternate contacts and the network ACLs of the network account's
egress VPC, read back from the local API after the apply.
"""

from __future__ import annotations

from logging_checks import _account_ids, _session

from landing_zone.config.vending import access_role
from landing_zone.derived.contacts import account_contacts, management_contacts
from landing_zone.derived.management_policies import management_policies, root_access_features


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
