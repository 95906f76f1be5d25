"""Event routing of incident response: the audit account's central event bus, its rules, the runbook
documents it shares with the organization, and the forwarding of Config compliance changes from every
account. Patterns and policies come from landing_zone/respond/routing.py (pure Python).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from cdktf import Fn, TerraformProvider
from cdktf_cdktf_provider_aws.cloudwatch_event_bus import CloudwatchEventBus
from cdktf_cdktf_provider_aws.cloudwatch_event_bus_policy import CloudwatchEventBusPolicy
from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
from cdktf_cdktf_provider_aws.cloudwatch_event_target import CloudwatchEventTarget, CloudwatchEventTargetInputTransformer
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.securityhub_action_target import SecurityhubActionTarget
from cdktf_cdktf_provider_aws.ssm_document import SsmDocument
from constructs import Construct

from ...config.models import Responder
from ...respond.model import ResponseNames
from ...respond.routing import (
    bus_policy_statements,
    compact,
    config_compliance_pattern,
    custom_action_id,
    custom_action_name,
    responder_pattern,
    violations_pattern,
)
from ...respond.runbooks import Runbook
from ..ids import logical_id
from ..logging.policies import policy_json, trust_policy


@dataclass(frozen=True, kw_only=True)
class CentralEventBusProps:
    """The audit account's bus for security events, and what its rules deliver to."""

    names: ResponseNames
    organization_id: str
    """The organization's id (aws:PrincipalOrgID of the bus policy)."""
    provider: TerraformProvider
    """Audit-account provider of the home region."""
    topic_arn: str
    """The security notifications topic (violations and responders' notices)."""
    env_name: str
    """Environment name, written into responders' notices (`lz respond <env> ...`)."""
    responders: Sequence[Responder] = ()
    """Responders (incident_response.responders); default none."""
    rule_names: Mapping[str, str] = None  # type: ignore[assignment]
    """Control id -> its Config rule's name (for responders matching control ids)."""
    account_ids: Mapping[str, str] = None  # type: ignore[assignment]
    """Account name -> id or token (for responders' excluded accounts)."""
    custom_actions: bool = True
    """Create Security Hub custom actions for custom_action responders (default true; needs Security Hub)."""
    security_hub: Sequence[Any] = ()
    """What a custom action waits for (the audit account's `aws_securityhub_account`); default nothing."""


class CentralEventBus(Construct):
    """Bus + policy (this organization only), the violations rule, one rule per responder, custom actions.

    Attributes: `bus`, `rules` (by responder name, plus 'config-violations'), `action_targets` (by responder name).
    """

    def __init__(self, scope: Construct, id: str, props: CentralEventBusProps) -> None:
        super().__init__(scope, id)
        self.props = props
        n = props.names
        self.bus = CloudwatchEventBus(self, "bus", provider=props.provider, name=n.event_bus)
        self.bus.override_logical_id("security_events_bus")
        CloudwatchEventBusPolicy(
            self,
            "policy",
            provider=props.provider,
            event_bus_name=self.bus.name,
            policy=policy_json(bus_policy_statements(self.bus.arn, props.organization_id)),
        ).override_logical_id("security_events_bus_policy")
        self.rules: dict[str, CloudwatchEventRule] = {}
        self.action_targets: dict[str, SecurityhubActionTarget] = {}
        violations = self._rule(
            "config-violations",
            self.bus.name,
            compact(violations_pattern(n.names)),
            "Violations of the landing zone's Config rules, forwarded by every account",
        )
        self._to_topic("config-violations", violations)
        for responder in props.responders:
            self._responder(responder)

    def _rule(self, purpose: str, bus: str | None, pattern: str, description: str) -> CloudwatchEventRule:
        rule = CloudwatchEventRule(
            self,
            f"rule_{purpose}",
            provider=self.props.provider,
            name=self.props.names.names.event_rule(purpose),
            event_bus_name=bus,
            description=description[:512],
            event_pattern=pattern,
        )
        rule.override_logical_id(logical_id("security_events_rule", purpose))
        self.rules[purpose] = rule
        return rule

    def _to_topic(self, purpose: str, rule: CloudwatchEventRule, transformer=None) -> None:
        CloudwatchEventTarget(
            self,
            f"target_{purpose}",
            provider=self.props.provider,
            rule=rule.name,
            event_bus_name=rule.event_bus_name,
            target_id="security-notifications",
            arn=self.props.topic_arn,
            input_transformer=transformer,
        ).override_logical_id(logical_id("security_events_target", purpose))

    def _responder(self, responder: Responder) -> None:
        props = self.props
        excluded = [props.account_ids[a] for a in responder.exclude.accounts]
        action_arn = None
        if responder.mode == "custom_action":
            if not props.custom_actions:
                return
            target = SecurityhubActionTarget(
                self,
                f"action_{responder.name}",
                provider=props.provider,
                identifier=custom_action_id(responder),
                name=custom_action_name(responder),
                description=f"Runs {responder.action} through responder {responder.name}"[:256],
                depends_on=list(props.security_hub) or None,
            )
            target.override_logical_id(logical_id("security_hub_action", responder.name))
            self.action_targets[responder.name] = target
            action_arn = target.arn
        pattern = responder_pattern(responder, dict(props.rule_names or {}), excluded, action_arn)
        # Config events arrive on the central bus; findings on the administrator's default bus.
        bus = self.bus.name if responder.source == "config" else None
        purpose = f"responder-{responder.name}"
        rule = self._rule(purpose, bus, compact(pattern), f"Responder {responder.name}: {responder.mode} {responder.action}")
        self._to_topic(purpose, rule, self._notice(responder))

    def _notice(self, responder: Responder) -> CloudwatchEventTargetInputTransformer:
        """The message to the topic: which runbook to run where (`lz respond`), with the event's resource."""
        if responder.source == "config":
            paths = {"account": "$.account", "resource": "$.detail.resourceId"}
        elif responder.source == "guardduty":
            paths = {"account": "$.account", "resource": "$.detail.resource.resourceType"}
        else:
            paths = {"account": "$.detail.findings[0].AwsAccountId", "resource": "$.detail.findings[0].Resources[0].Id"}
        text = (
            f"Responder {responder.name} ({responder.source}): run lz respond {self.props.env_name} "
            f"--account <account> --runbook {responder.action} for <resource>"
        )
        return CloudwatchEventTargetInputTransformer(input_paths=paths, input_template=f'"{text}"')


@dataclass(frozen=True, kw_only=True)
class RunbookDocumentsProps:
    """The package's runbooks as SSM Automation documents of the audit account."""

    runbooks: Mapping[str, Runbook]
    providers: Mapping[str, TerraformProvider]
    """Audit-account provider per governed region (a document is regional)."""
    share_account_ids: Sequence[str]
    """Accounts the documents are shared with (ids or tokens)."""


class RunbookDocuments(Construct):
    """One `aws_ssm_document` (Automation, YAML) per runbook and region, shared with the accounts.

    Attributes: `documents` by (region, runbook name).
    """

    def __init__(self, scope: Construct, id: str, props: RunbookDocumentsProps) -> None:
        super().__init__(scope, id)
        self.documents: dict[tuple[str, str], SsmDocument] = {}
        share: dict[str, Any] | None = None
        if props.share_account_ids:
            share = {"type": "Share", "account_ids": Fn.join(",", list(props.share_account_ids))}
        for region, provider in props.providers.items():
            for name, runbook in props.runbooks.items():
                document = SsmDocument(
                    self,
                    f"{region}_{name}",
                    provider=provider,
                    name=name,
                    document_type="Automation",
                    document_format="YAML",
                    content=runbook.content,
                    permissions=share,
                )
                document.override_logical_id(logical_id("runbook", f"{region}_{name}"))
                self.documents[(region, name)] = document


@dataclass(frozen=True, kw_only=True)
class ConfigEventForwardingProps:
    """An account's forwarding of Config compliance changes to the audit account's central bus."""

    account_id: str
    names: ResponseNames
    central_bus_arn: str
    providers: Mapping[str, TerraformProvider]
    """Provider per region where Config records (one rule each)."""
    home_region: str
    depends_on: Sequence[Any] = ()


class ConfigEventForwarding(Construct):
    """A role EventBridge assumes (PutEvents on the central bus only) and one rule per Config region.

    Attributes: `role`, `rules` by region.
    """

    def __init__(self, scope: Construct, id: str, props: ConfigEventForwardingProps) -> None:
        super().__init__(scope, id)
        home = props.providers[props.home_region]
        n = props.names
        self.role = IamRole(
            self,
            "role",
            provider=home,
            name=n.forwarding_role,
            description="Lets EventBridge forward Config compliance changes to the audit account's security events bus",
            assume_role_policy=trust_policy("events.amazonaws.com", props.account_id),
        )
        self.role.override_logical_id("security_events_forwarding_role")
        IamRolePolicy(
            self,
            "policy",
            provider=home,
            role=self.role.id,
            name="put-events-security-bus",
            policy=policy_json([{"Effect": "Allow", "Action": "events:PutEvents", "Resource": props.central_bus_arn}]),
        ).override_logical_id("security_events_forwarding_policy")
        self.rules: dict[str, CloudwatchEventRule] = {}
        for region, provider in props.providers.items():
            rule = CloudwatchEventRule(
                self,
                f"rule_{region}",
                provider=provider,
                name=n.names.event_rule("config-compliance-forward"),
                description="Forwards Config compliance changes to the audit account's security events bus",
                event_pattern=compact(config_compliance_pattern()),
            )
            rule.override_logical_id(logical_id("config_compliance_forward", region))
            CloudwatchEventTarget(
                self,
                f"target_{region}",
                provider=provider,
                rule=rule.name,
                target_id="security-events-bus",
                arn=props.central_bus_arn,
                role_arn=self.role.arn,
            ).override_logical_id(logical_id("config_compliance_forward_target", region))
            self.rules[region] = rule
