"""AWS Config organization rules (PutOrganizationConfigRule and friends).

moto 5.2 has account-level Config rules only. The landing zone's detective
guardrails are organization rules created in the management account; a rule
here is stored as given and reported CREATE/UPDATE_SUCCESSFUL at once (there
are no member accounts to evaluate in).
"""

from __future__ import annotations

import json

from ._helpers import add_actions, json_error, state

_METADATA = ("OrganizationManagedRuleMetadata", "OrganizationCustomRuleMetadata", "OrganizationCustomPolicyRuleMetadata")


def _rules(response) -> dict:
    return state(response.config_backend, "organization_config_rules")


def _missing(name: str):
    return json_error("NoSuchOrganizationConfigRuleException", f"The organization config rule {name} does not exist.")


def put_organization_config_rule(self) -> str:
    params = json.loads(self.body)
    name = params["OrganizationConfigRuleName"]
    rules = _rules(self)
    existing = rules.get(name)
    suffix = existing["OrganizationConfigRuleArn"].rsplit("/", 1)[-1] if existing else f"{name}-{len(rules):06x}"
    rule = {
        "OrganizationConfigRuleName": name,
        "OrganizationConfigRuleArn": f"arn:aws:config:{self.region}:{self.current_account}:organization-config-rule/{suffix}",
        "ExcludedAccounts": sorted(params.get("ExcludedAccounts") or []),
        "LastUpdateTime": 0,
    }
    rule.update({key: params[key] for key in _METADATA if key in params})
    unchanged = existing is not None and {k: v for k, v in existing.items() if k != "_status"} == rule
    # A repeated identical put (the client retrying a call whose answer it lost) changes nothing, not even the status.
    status = (
        existing["_status"] if existing is not None and unchanged else "UPDATE_SUCCESSFUL" if existing else "CREATE_SUCCESSFUL"
    )
    rules[name] = {**rule, "_status": status}
    return json.dumps({"OrganizationConfigRuleArn": rule["OrganizationConfigRuleArn"]})


def _selected(self) -> list[dict]:
    params = json.loads(self.body or "{}")
    rules = _rules(self)
    names = params.get("OrganizationConfigRuleNames") or sorted(rules)
    for name in names:
        if name not in rules:
            raise _missing(name)
    return [rules[name] for name in names]


def describe_organization_config_rules(self) -> str:
    public = [{k: v for k, v in rule.items() if not k.startswith("_")} for rule in _selected(self)]
    return json.dumps({"OrganizationConfigRules": public})


def describe_organization_config_rule_statuses(self) -> str:
    statuses = [
        {"OrganizationConfigRuleName": r["OrganizationConfigRuleName"], "OrganizationRuleStatus": r["_status"]}
        for r in _selected(self)
    ]
    return json.dumps({"OrganizationConfigRuleStatuses": statuses})


def get_organization_config_rule_detailed_status(self) -> str:
    _selected(self)
    return json.dumps({"OrganizationConfigRuleDetailedStatus": []})


def delete_organization_config_rule(self) -> str:
    name = json.loads(self.body)["OrganizationConfigRuleName"]
    if _rules(self).pop(name, None) is None:
        raise _missing(name)
    return "{}"


def install() -> None:
    from moto.config.responses import ConfigResponse

    add_actions(
        ConfigResponse,
        put_organization_config_rule,
        describe_organization_config_rules,
        describe_organization_config_rule_statuses,
        get_organization_config_rule_detailed_status,
        delete_organization_config_rule,
    )
