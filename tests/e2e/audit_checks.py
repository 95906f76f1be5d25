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
