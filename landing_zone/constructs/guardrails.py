"""Guardrails as Terraform: packed SCPs with their attachments, and the
detective controls as organization Config rules.

The content comes from `landing_zone.guardrails.plan` (pure Python): these
constructs only turn that plan into resources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from cdktf_cdktf_provider_aws.config_organization_managed_rule import ConfigOrganizationManagedRule
from cdktf_cdktf_provider_aws.organizations_policy import OrganizationsPolicy
from cdktf_cdktf_provider_aws.organizations_policy_attachment import OrganizationsPolicyAttachment
from constructs import Construct

from ..guardrails.plan import DetectiveRule, Scp
from .account import Account
from .ids import logical_id
from .organization import Organization
from .organizational_units import OrganizationalUnits


@dataclass(frozen=True, kw_only=True)
class ServiceControlPoliciesProps:
    organization: Organization
    """The organization; its root is the target of organization-wide policies."""
    organizational_units: OrganizationalUnits
    """The OU tree; OU targets are looked up by path."""
    accounts: Mapping[str, Account]
    """Accounts by config name; account targets are looked up by name."""
    policies: tuple[Scp, ...] = ()
    """Packed policies, each with its target (default none: only the organization's FullAWSAccess applies)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on each policy (default none; the provider's default tags still apply)."""


class ServiceControlPolicies(Construct):
    """One `aws_organizations_policy` (SERVICE_CONTROL_POLICY) per packed policy,
    attached to its target (the root, an OU or an account).

    The SCP policy type must be enabled on the root first; each policy
    depends on the organization for that. Attributes: `policies` and
    `attachments`, keyed by policy name.
    """

    def __init__(self, scope: Construct, id: str, props: ServiceControlPoliciesProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.policies: dict[str, OrganizationsPolicy] = {}
        self.attachments: dict[str, OrganizationsPolicyAttachment] = {}
        for scp in props.policies:
            target = scp.target
            key = f"root-{scp.index}" if target.kind == "root" else f"{target.kind}-{target.name}-{scp.index}"
            policy = OrganizationsPolicy(
                self,
                key,
                name=scp.name,
                description=scp.description,
                type="SERVICE_CONTROL_POLICY",
                content=scp.content,  # literal minified JSON: checkov and reviewers read it as written
                tags=dict(sorted(props.tags.items())) or None,
                depends_on=[props.organization.resource],
            )
            policy.override_logical_id(logical_id("scp", key))
            attachment = OrganizationsPolicyAttachment(
                self,
                f"{key}-attachment",
                policy_id=policy.id,
                target_id=self.target_id(scp),
            )
            attachment.override_logical_id(logical_id("scp_attachment", key))
            self.policies[scp.name] = policy
            self.attachments[scp.name] = attachment

    def target_id(self, scp: Scp) -> str:
        target = scp.target
        if target.kind == "root":
            return self.props.organization.root_id
        if target.kind == "ou":
            return self.props.organizational_units.ou_id(target.name)
        try:
            return self.props.accounts[target.name].account_id
        except KeyError:
            raise KeyError(f"SCP {scp.name}: no account {target.name!r} (known: {', '.join(self.props.accounts)})") from None


@dataclass(frozen=True, kw_only=True)
class OrganizationConfigRulesProps:
    rules: tuple[DetectiveRule, ...]
    """Detective controls with their excluded accounts and regions."""
    account_ids: Mapping[str, str]
    """Account id (or a token for it) by config name, to turn excluded names into account ids."""
    management_account_id: str
    """Id of the management account (excluded when a rule is not on the root)."""
    providers: Mapping[str, Any] = field(default_factory=dict)
    """AWS provider per region (default: the stack's default provider for every region, which
    is only right when the rules run in one region)."""
    depends_on: Sequence[Any] = ()
    """Resources to create first (default none). AWS fails an organization rule in any
    non-excluded account without a Config recorder, so the rules must be applied after every
    account's recorder exists: in separate stacks, the stack's dependencies do that
    (stacks/detective_guardrails.py)."""


class OrganizationConfigRules(Construct):
    """One `aws_config_organization_managed_rule` per detective control and region.

    Organization rules reach every account of the organization, present and
    future, except `excluded_accounts`: the accounts outside the control's
    targets. Attributes: `rules`, keyed by (control id, region).
    """

    def __init__(self, scope: Construct, id: str, props: OrganizationConfigRulesProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.rules: dict[tuple[str, str], ConfigOrganizationManagedRule] = {}
        for rule in props.rules:
            excluded = [self._account_id(name) for name in rule.excluded_accounts]
            if rule.exclude_management:
                excluded.append(props.management_account_id)
            for region in rule.regions:
                key = f"{rule.control_id}-{region}"
                provider = props.providers.get(region)
                resource = ConfigOrganizationManagedRule(
                    self,
                    key,
                    name=rule.name,
                    description=rule.description,
                    rule_identifier=rule.source_identifier,
                    input_parameters=rule.input_parameters,
                    resource_types_scope=list(rule.resource_types) or None,
                    maximum_execution_frequency=rule.maximum_execution_frequency,
                    excluded_accounts=excluded or None,
                    provider=provider,
                    depends_on=list(props.depends_on) or None,
                )
                resource.override_logical_id(logical_id("config_rule", key))
                self.rules[(rule.control_id, region)] = resource

    def _account_id(self, name: str) -> str:
        try:
            return self.props.account_ids[name]
        except KeyError:
            raise KeyError(f"no account {name!r} to exclude (known: {', '.join(self.props.account_ids)})") from None
