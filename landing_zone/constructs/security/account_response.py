"""What incident response puts in each member account: the remediation role, the responder role, and
the account-level Config rules with their remediation configurations.

- The remediation role is what SSM Automation runs as (`AutomationAssumeRole`, always set):
  trusted by ssm.amazonaws.com for this account only, allowed the API calls of the runbooks
  enabled in the account and nothing else.
- The responder role is what `lz respond` (and an incident responder) acts as: assumable
  only by the audit account's responder role, from within the organization; it starts the
  audit account's shared runbooks with the remediation role and is denied the landing
  zone's own resources (names from naming.py). In the audit account it is that role: its
  own principals may assume it, and it may assume the responder role of other accounts.
- A control with remediation runs here as an account-level Config rule (the organization
  rule excludes this account) with `aws_config_remediation_configuration`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.config_config_rule import ConfigConfigRule, ConfigConfigRuleScope, ConfigConfigRuleSource
from cdktf_cdktf_provider_aws.config_remediation_configuration import (
    ConfigRemediationConfiguration,
    ConfigRemediationConfigurationExecutionControls,
    ConfigRemediationConfigurationExecutionControlsSsmControls,
    ConfigRemediationConfigurationParameter,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from constructs import Construct

from ...respond.model import ResponseNames, responder_statements
from ...respond.plan import ControlRemediation
from ...respond.runbooks import ASSUME_ROLE_PARAMETER
from ..ids import logical_id
from ..logging.policies import policy_json

RESOURCE_ID = "RESOURCE_ID"


@dataclass(frozen=True, kw_only=True)
class AccountResponseProps:
    """Incident response in one account."""

    account_id: str
    audit_account_id: str
    organization_id: str
    names: ResponseNames
    home_region: str
    providers: Mapping[str, TerraformProvider]
    """Provider per governed region."""
    runbook_actions: Sequence[str] = ()
    """IAM actions of the runbooks enabled here (the remediation role's only permissions; default none)."""
    remediations: Sequence[ControlRemediation] = ()
    """Controls that run here as account rules with remediation (default none)."""
    recorders: Mapping[str, Any] = None  # type: ignore[assignment]
    """Per region, what an account Config rule waits for (the recorder's status)."""
    is_audit: bool = False
    """This is the audit account: its responder role is the one every other account trusts."""
    remediation_configurations: bool = True
    """Create the remediation configurations (default true; off where the deploy target lacks them)."""


class AccountResponse(Construct):
    """Attributes: `remediation_role`, `responder_role`, `rules` and `remediations` by (control id, region)."""

    def __init__(self, scope: Construct, id: str, props: AccountResponseProps) -> None:
        super().__init__(scope, id)
        self.props = props
        n = props.names
        home = props.providers[props.home_region]
        self.remediation_role = IamRole(
            self,
            "remediation_role",
            provider=home,
            name=n.remediation_role,
            description="SSM Automation runs the landing zone's runbooks as this role (AutomationAssumeRole)",
            assume_role_policy=policy_json(
                [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ssm.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"aws:SourceAccount": props.account_id}},
                    }
                ]
            ),
        )
        self.remediation_role.override_logical_id("remediation_role")
        if props.runbook_actions:
            IamRolePolicy(
                self,
                "remediation_policy",
                provider=home,
                role=self.remediation_role.id,
                name="enabled-runbooks",
                policy=policy_json(
                    [{"Sid": "EnabledRunbookSteps", "Effect": "Allow", "Action": sorted(props.runbook_actions), "Resource": "*"}]
                ),
            ).override_logical_id("remediation_role_policy")
        self.responder_role = IamRole(
            self,
            "responder_role",
            provider=home,
            name=n.responder_role,
            description="Incident responders start the landing zone's runbooks in this account as this role",
            assume_role_policy=policy_json([self._responder_trust()]),
        )
        self.responder_role.override_logical_id("responder_role")
        IamRolePolicy(
            self,
            "responder_policy",
            provider=home,
            role=self.responder_role.id,
            name="respond",
            policy=policy_json(self._responder_statements()),
        ).override_logical_id("responder_role_policy")
        self.rules: dict[tuple[str, str], ConfigConfigRule] = {}
        self.remediations: dict[tuple[str, str], ConfigRemediationConfiguration] = {}
        for remediation in props.remediations:
            for region in remediation.rule.regions:
                self._remediate(remediation, region)

    def _responder_trust(self) -> dict:
        p = self.props
        audit_responder = p.names.role_arn(p.audit_account_id, p.names.responder_role)
        if p.is_audit:
            # The audit account's own principals (their IAM policies decide who) may act as its responder.
            return {
                "Sid": "AuditAccountResponders",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{p.audit_account_id}:root"},
                "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": p.organization_id}},
            }
        # The account root as principal with the role in a condition: IAM accepts the trust before
        # the audit account's role exists (the stacks deploy independently).
        return {
            "Sid": "AuditResponderOnly",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{p.audit_account_id}:root"},
            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            "Condition": {
                "ArnEquals": {"aws:PrincipalArn": audit_responder},
                "StringEquals": {"aws:PrincipalOrgID": p.organization_id},
            },
        }

    def _responder_statements(self) -> list[dict]:
        p = self.props
        statements = responder_statements(p.names, p.account_id)
        if p.is_audit:
            statements.append(
                {
                    "Sid": "ActInMemberAccounts",
                    "Effect": "Allow",
                    "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
                    "Resource": f"arn:aws:iam::*:role/{p.names.responder_role}",
                    "Condition": {"StringEquals": {"aws:ResourceOrgID": p.organization_id}},
                }
            )
            for statement in statements:
                if statement["Effect"] == "Deny":
                    statement["NotAction"] = [*statement["NotAction"], "sts:AssumeRole", "sts:SetSourceIdentity"]
        return statements

    def _remediate(self, remediation: ControlRemediation, region: str) -> None:
        p = self.props
        provider = p.providers[region]
        key = f"{remediation.control_id}_{region}"
        rule = remediation.rule
        config_rule = ConfigConfigRule(
            self,
            f"rule_{key}",
            provider=provider,
            name=rule.name,
            description=f"{remediation.control_id}: account rule with remediation {remediation.runbook}"[:256],
            source=ConfigConfigRuleSource(owner="AWS", source_identifier=rule.source_identifier),
            input_parameters=rule.input_parameters_json,
            scope=ConfigConfigRuleScope(compliance_resource_types=list(rule.resource_types)) if rule.resource_types else None,
            maximum_execution_frequency=rule.maximum_execution_frequency,
            depends_on=[p.recorders[region]] if p.recorders and region in p.recorders else None,
        )
        config_rule.override_logical_id(logical_id("remediated_rule", key))
        self.rules[(remediation.control_id, region)] = config_rule
        if not p.remediation_configurations:
            return
        parameters = [
            ConfigRemediationConfigurationParameter(
                name=ASSUME_ROLE_PARAMETER, static_value=p.names.role_arn(p.account_id, p.names.remediation_role)
            ),
            ConfigRemediationConfigurationParameter(name=remediation.resource_parameter, resource_value=RESOURCE_ID),
            *(ConfigRemediationConfigurationParameter(name=k, static_value=v) for k, v in remediation.parameters),
        ]
        config = ConfigRemediationConfiguration(
            self,
            f"remediation_{key}",
            provider=provider,
            config_rule_name=config_rule.name,
            target_type="SSM_DOCUMENT",
            target_id=p.names.document_arn(region, p.audit_account_id, remediation.runbook),
            parameter=parameters,
            automatic=remediation.automatic,
            maximum_automatic_attempts=remediation.max_attempts,
            retry_attempt_seconds=remediation.retry_seconds if remediation.automatic else None,
            execution_controls=ConfigRemediationConfigurationExecutionControls(
                ssm_controls=ConfigRemediationConfigurationExecutionControlsSsmControls(
                    concurrent_execution_rate_percentage=10, error_percentage=10
                )
            ),
            depends_on=[self.remediation_role],
        )
        config.override_logical_id(logical_id("remediation", key))
        self.remediations[(remediation.control_id, region)] = config
