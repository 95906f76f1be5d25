"""Incident response wired into the stacks (landing_zone/respond/plan.py says what goes where).

- every stack with an account baseline (each member account and the management account):
  the forwarding of Config compliance changes to the audit account's central bus;
- every member account's stack: the remediation and responder roles, and the account-level
  Config rules with remediation of the controls that reach it (`AccountResponse`);
- every account listed in `incident_response.waf`: the baseline web ACL in each of its regions
  (`BaselineWebAcl`), logging to the WAF log bucket (logging_services.py: `waf_log_bucket`, in the log archive);
- the audit stack: the central bus with its rules and Security Hub custom actions, and the
  runbooks as SSM documents shared with every other member account (`RunbookDocuments`).

Resource types the deploy target does not serve are left out, as in logging_services.py.
"""

from __future__ import annotations

from ..constructs.security.account_response import AccountResponse, AccountResponseProps
from ..constructs.security.automatic_response import AutomaticResponse, AutomaticResponseProps
from ..constructs.security.event_routing import (
    CentralEventBus,
    CentralEventBusProps,
    ConfigEventForwarding,
    ConfigEventForwardingProps,
    RunbookDocuments,
    RunbookDocumentsProps,
)
from ..constructs.security.waf import BaselineWebAcl, BaselineWebAclProps
from ..respond.automatic import automatic_responders
from ..respond.model import ResponseNames
from ..respond.runbooks import load_runbooks
from ..respond.waf import WafNames, waf_accounts, waf_regions, waf_rules
from .base import LandingZoneStack


def response_names(stack: LandingZoneStack) -> ResponseNames:
    return ResponseNames(stack.settings.facts.names)


def audit_account_id(stack: LandingZoneStack) -> str:
    """The audit account's id as seen from `stack` (its own id in the audit stack)."""
    env = stack.settings.env
    if getattr(stack, "account_name", None) == env.core.audit_account:
        return stack.account_id  # type: ignore[attr-defined]
    return stack.management.account(env.core.audit_account).account_id  # type: ignore[attr-defined]


def central_bus_arn(stack: LandingZoneStack) -> str:
    return response_names(stack).event_bus_arn(stack.settings.env.organization.home_region, audit_account_id(stack))


def add_config_forwarding(stack: LandingZoneStack, account_id: str, baseline) -> ConfigEventForwarding | None:
    """Forward Config compliance changes from every region where the account records Config."""
    if baseline.config is None:
        return None
    env = stack.settings.env
    regions = list(baseline.config.recorders)
    return ConfigEventForwarding(
        stack,
        "config_event_forwarding",
        ConfigEventForwardingProps(
            account_id=account_id,
            names=response_names(stack),
            central_bus_arn=central_bus_arn(stack),
            providers={r: stack.provider_for(r) for r in regions},
            home_region=env.organization.home_region,
        ),
    )


def add_automatic_response(stack) -> AutomaticResponse | None:
    """The automatic responders that reach this member account, run on its own events."""
    settings = stack.settings
    env = settings.env
    facts = settings.facts
    rule_names = {c.id: c.config_rule.name for c in facts.guardrail_plan.detective if c.config_rule is not None}
    specs = automatic_responders(facts.response_plan.automatic_in(stack.account_name), rule_names)
    if not specs:
        return None
    return AutomaticResponse(
        stack,
        "automatic_response",
        AutomaticResponseProps(
            account_id=stack.account_id,
            names=response_names(stack),
            home_region=env.organization.home_region,
            providers={r: stack.provider_for(r) for r in env.organization.governed_regions},
            responders=specs,
            own_documents=stack.account_name != env.core.audit_account,
        ),
    )


def add_account_response(stack, baseline) -> AccountResponse:
    """Roles and remediated rules of one member account (`stack` is its AccountStack)."""
    settings = stack.settings
    env = settings.env
    plan = settings.facts.response_plan
    runbooks = load_runbooks()
    enabled = plan.runbooks_in(stack.account_name)
    actions = sorted({a for name in enabled for a in runbooks[name].permissions})
    statuses = baseline.config.statuses if baseline.config is not None else {}
    stack.automatic_response = add_automatic_response(stack)
    return AccountResponse(
        stack,
        "incident_response",
        AccountResponseProps(
            account_id=stack.account_id,
            audit_account_id=audit_account_id(stack),
            organization_id=stack.management.organization.organization_id,
            names=response_names(stack),
            home_region=env.organization.home_region,
            providers={r: stack.provider_for(r) for r in env.organization.governed_regions},
            runbook_actions=actions,
            remediations=plan.remediations_in(stack.account_name),
            recorders=statuses,
            is_audit=stack.account_name == env.core.audit_account,
            remediation_configurations=settings.target.serves("aws_config_remediation_configuration"),
        ),
    )


def add_waf(stack, log_bucket_arn: str | None) -> dict[str, BaselineWebAcl]:
    """The baseline web ACL in each configured region of a listed member account (`stack` is its AccountStack),
    logging to the log archive's WAF log bucket (`log_bucket_arn`)."""
    env = stack.settings.env
    waf = env.incident_response.waf
    if waf is None or stack.account_name not in waf_accounts(env):
        return {}
    if log_bucket_arn is None:
        raise ValueError("the web ACLs need the log archive's WAF log bucket")
    names = WafNames(stack.settings.facts.names)
    rules = tuple(waf_rules(waf))
    return {
        region: BaselineWebAcl(
            stack,
            f"waf_{region}",
            BaselineWebAclProps(
                account_id=stack.account_id,
                region=region,
                names=names,
                rules=rules,
                rate_limit=waf.rate_limit,
                log_bucket_arn=log_bucket_arn,
                provider=stack.provider_for(region),
            ),
        )
        for region in waf_regions(env, waf)
    }


def add_audit_response(stack, topic_arn: str) -> None:
    """The central bus and its rules, and the runbook documents shared with the organization."""
    settings = stack.settings
    env = settings.env
    facts = settings.facts
    management = stack.management
    plan = facts.response_plan
    home = env.organization.home_region
    account_ids = {a.name: management.account(a.name).account_id for a in env.accounts}
    hub = getattr(stack, "security_hub", None)
    stack.central_event_bus = CentralEventBus(
        stack,
        "central_event_bus",
        CentralEventBusProps(
            names=response_names(stack),
            organization_id=management.organization.organization_id,
            provider=stack.provider_for(home),
            topic_arn=topic_arn,
            env_name=settings.env_name,
            responders=plan.responders,
            rule_names={c.id: c.config_rule.name for c in facts.guardrail_plan.detective if c.config_rule is not None},
            account_ids=account_ids,
            custom_actions=hub is not None and settings.target.serves("aws_securityhub_action_target"),
            security_hub=(hub.hub,) if hub is not None else (),
        ),
    )
    stack.runbook_documents = RunbookDocuments(
        stack,
        "runbook_documents",
        RunbookDocumentsProps(
            runbooks=load_runbooks(),
            providers={r: stack.provider_for(r) for r in env.organization.governed_regions},
            share_account_ids=[account_ids[name] for name in plan.share_accounts],
        ),
    )
