"""End-to-end checks of the guardrails on the local AWS API.

Imported into test_deploy_local.py (one deployment per module): run against
its `deployment` after the apply. Every packed SCP of the guardrail plan is
attached, with its exact content, to exactly its target (root, OU by path or
account), and every organization Config rule exists in each region it is
planned for, skipping the accounts the plan excludes.
"""

from __future__ import annotations

import json

from logging_checks import _session

from landing_zone.guardrails.plan import build_plan

AWS_MANAGED_SCP = "FullAWSAccess"  # AWS attaches it everywhere; the landing zone never touches it


def _target_ids(org) -> dict[str, str]:
    """Guardrail target key (root, ou:<path>, account:<name>) -> organization id."""
    ids = {"root": org.root.id}
    for path, node in org.ous_by_path().items():
        ids[f"ou:{path}"] = node.id
    for node in [org.root, *org.ous_by_path().values()]:
        ids.update({f"account:{a['Name']}": a["Id"] for a in node.accounts})
    return ids


def test_every_planned_scp_is_attached_to_exactly_its_target_with_its_content(deployment, org, config):
    plan = build_plan(config)
    organizations = _session(deployment, config, None)("organizations")
    ids = _target_ids(org)
    planned: dict[str, dict[str, str]] = {}
    for scp in plan.scps:
        planned.setdefault(scp.target.key, {})[scp.name] = scp.content
    assert planned, "the example plans no SCPs"
    for key, target_id in ids.items():
        attached = {
            p["Name"]: p["Id"]
            for page in organizations.get_paginator("list_policies_for_target").paginate(
                TargetId=target_id, Filter="SERVICE_CONTROL_POLICY"
            )
            for p in page["Policies"]
        }
        attached.pop(AWS_MANAGED_SCP, None)
        assert sorted(attached) == sorted(planned.get(key, {})), key
        for name, policy_id in attached.items():
            content = organizations.describe_policy(PolicyId=policy_id)["Policy"]["Content"]
            assert json.loads(content) == json.loads(planned[key][name]), (key, name)


def test_every_detective_control_is_an_organization_config_rule_in_its_regions(deployment, org, config):
    plan = build_plan(config)
    rules = plan.detective_rules
    assert rules, "the example enables no detective control"
    account_ids = {k.split(":", 1)[1]: v for k, v in _target_ids(org).items() if k.startswith("account:")}
    aws = _session(deployment, config, None)
    for region in config.organization.governed_regions:
        service = aws("config", region)
        found, token = {}, None
        while True:
            page = service.describe_organization_config_rules(**({"NextToken": token} if token else {}))
            found.update({r["OrganizationConfigRuleName"]: r for r in page["OrganizationConfigRules"]})
            if not (token := page.get("NextToken")):
                break
        expected = {r.name: r for r in rules if region in r.regions}
        assert sorted(found) == sorted(expected), region
        for name, rule in expected.items():
            metadata = found[name]["OrganizationManagedRuleMetadata"]
            assert metadata["RuleIdentifier"] == rule.source_identifier, (region, name)
            skipped = set(found[name].get("ExcludedAccounts", []))
            assert {account_ids[a] for a in rule.excluded_accounts} <= skipped, (region, name)
