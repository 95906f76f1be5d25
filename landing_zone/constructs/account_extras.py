"""What a vended account gets on top of the account baseline: alias, budget, analyzer, CI/CD deploy role
(with its generated policy and permissions boundary).

Applied next to `baseline.AccountBaseline` in the account's own stack (its
provider already runs in the account). Every part is optional and off when
its props field is omitted. Alternate contacts are not here: the management
stack sets them for every account (`Account.add_alternate_contact`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from cdktf_cdktf_provider_aws.accessanalyzer_analyzer import AccessanalyzerAnalyzer
from cdktf_cdktf_provider_aws.budgets_budget import BudgetsBudget, BudgetsBudgetNotification
from cdktf_cdktf_provider_aws.iam_account_alias import IamAccountAlias
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
from cdktf_cdktf_provider_aws.iam_policy import IamPolicy
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from constructs import Construct

from ..identity.deploy_roles import deploy_policy, deploy_subject, deploy_trust_policy
from .ids import logical_id


@dataclass(frozen=True, kw_only=True)
class BudgetSpec:
    """A monthly cost budget with an alert on actual spend."""

    name: str
    """Budget name, unique in the account."""
    limit_usd: int
    """Monthly limit in USD."""
    alert_emails: tuple[str, ...]
    """Who is alerted; at least one."""
    threshold_percent: int = 80
    """Alert when actual cost passes this share of the limit (default 80)."""


@dataclass(frozen=True, kw_only=True)
class DeployRoleSpec:
    """A role that CI/CD assumes with an OIDC token from one repository and one branch or GitHub environment,
    with a generated policy and a permissions boundary (identity/deploy_roles.py)."""

    role_name: str
    repository: str
    """owner/name."""
    branch: str = "main"
    """Only this branch's workflows (default main), unless `environment` is set."""
    environment: Optional[str] = None
    """Only jobs of this GitHub deployment environment (default none: the branch)."""
    provider_url: str = "https://token.actions.githubusercontent.com"
    """OIDC issuer (default GitHub Actions)."""
    audience: str = "sts.amazonaws.com"
    services: tuple[str, ...] = ()
    """Service prefixes of the generated policy (default none: IAM roles under the boundary only)."""
    boundary_name: str = ""
    """Name of the permissions boundary policy (default `<role>-boundary`)."""
    boundary_policy: Optional[dict] = None
    """The boundary document (deploy_roles.deploy_boundary); required."""
    managed_policies: tuple[str, ...] = ()
    """AWS managed policy names attached on top (default none)."""

    @property
    def subject(self) -> str:
        """The one token subject trusted: the environment's when set, else the branch's."""
        return deploy_subject(self.repository, self.branch, self.environment)


@dataclass(frozen=True, kw_only=True)
class AccountExtrasProps:
    """Per-account settings of a vended account; each omitted part is not created."""

    account_alias: Optional[str] = None
    """IAM account alias (default none)."""
    budget: Optional[BudgetSpec] = None
    """Monthly budget (default none)."""
    access_analyzer_name: Optional[str] = None
    """Name of an account-level IAM Access Analyzer (default none: the organization's analyzer covers the account)."""
    deploy_role: Optional[DeployRoleSpec] = None
    """OIDC CI/CD deploy role (default none)."""


class AccountExtras(Construct):
    """Attributes: `alias`, `budget`, `analyzer`, `oidc_provider`, `deploy_role`, `boundary`, `deploy_policy` (None when
    not configured)."""

    def __init__(self, scope: Construct, id: str, props: AccountExtrasProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.alias = IamAccountAlias(self, "alias", account_alias=props.account_alias) if props.account_alias else None
        self.budget = self._budget(props.budget) if props.budget else None
        self.analyzer = (
            AccessanalyzerAnalyzer(self, "analyzer", analyzer_name=props.access_analyzer_name, type="ACCOUNT")
            if props.access_analyzer_name
            else None
        )
        self.oidc_provider: Optional[IamOpenidConnectProvider] = None
        self.deploy_role: Optional[IamRole] = None
        self.boundary: Optional[IamPolicy] = None
        self.deploy_policy: Optional[IamRolePolicy] = None
        if props.deploy_role:
            self._deploy_role(props.deploy_role)

    def _budget(self, spec: BudgetSpec) -> BudgetsBudget:
        return BudgetsBudget(
            self,
            "budget",
            name=spec.name,
            budget_type="COST",
            time_unit="MONTHLY",
            limit_amount=str(spec.limit_usd),
            limit_unit="USD",
            notification=[
                BudgetsBudgetNotification(
                    comparison_operator="GREATER_THAN",
                    threshold=spec.threshold_percent,
                    threshold_type="PERCENTAGE",
                    notification_type="ACTUAL",
                    subscriber_email_addresses=list(spec.alert_emails),
                )
            ],
        )

    def _deploy_role(self, spec: DeployRoleSpec) -> None:
        if spec.boundary_policy is None:
            raise ValueError(f"deploy role {spec.role_name!r}: a boundary_policy is required")
        host = spec.provider_url.removeprefix("https://").rstrip("/")
        provider = self.oidc_provider = IamOpenidConnectProvider(
            self, "oidc_provider", url=spec.provider_url, client_id_list=[spec.audience]
        )
        self.boundary = IamPolicy(
            self,
            "deploy_boundary",
            name=spec.boundary_name or f"{spec.role_name}-boundary",
            description=f"Permissions boundary of {spec.role_name} and of every role it creates",
            policy=json.dumps(spec.boundary_policy),
        )
        trigger = f"environment {spec.environment}" if spec.environment else f"branch {spec.branch}"
        role = self.deploy_role = IamRole(
            self,
            "deploy_role",
            name=spec.role_name,
            # Both exact: one audience, one repository and environment or branch (no wildcards).
            assume_role_policy=json.dumps(deploy_trust_policy(provider.arn, host, spec.audience, spec.subject)),
            description=f"CI/CD deploys from {spec.repository}, {trigger}",
            max_session_duration=3600,
            permissions_boundary=self.boundary.arn,
        )
        self.deploy_policy = IamRolePolicy(
            self,
            "deploy_policy",
            name="deploy",
            role=role.id,
            policy=json.dumps(deploy_policy(spec.services, self.boundary.arn)),
        )
        for policy in spec.managed_policies:
            IamRolePolicyAttachment(
                self, logical_id("deploy_policy", policy), role=role.name, policy_arn=f"arn:aws:iam::aws:policy/{policy}"
            )
