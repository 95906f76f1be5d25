"""What a vended account gets on top of the account baseline: alias, budget, analyzer, CI/CD deploy role.

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
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from constructs import Construct

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
    """A role that CI/CD assumes with an OIDC token from one repository and branch."""

    role_name: str
    repository: str
    """owner/name."""
    branch: str = "main"
    """Only this branch's workflows (default main)."""
    provider_url: str = "https://token.actions.githubusercontent.com"
    """OIDC issuer (default GitHub Actions)."""
    audience: str = "sts.amazonaws.com"
    managed_policies: tuple[str, ...] = ("PowerUserAccess",)
    """AWS managed policy names attached (default PowerUserAccess)."""

    @property
    def subject(self) -> str:
        """The token subject GitHub Actions sends for a push to the branch."""
        return f"repo:{self.repository}:ref:refs/heads/{self.branch}"


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
    """Attributes: `alias`, `budget`, `analyzer`, `oidc_provider`, `deploy_role` (None when not configured)."""

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
        host = spec.provider_url.removeprefix("https://").rstrip("/")
        provider = self.oidc_provider = IamOpenidConnectProvider(
            self, "oidc_provider", url=spec.provider_url, client_id_list=[spec.audience]
        )
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": provider.arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    # Both exact: one audience, one repository and branch (no wildcards).
                    "Condition": {"StringEquals": {f"{host}:aud": spec.audience, f"{host}:sub": spec.subject}},
                }
            ],
        }
        role = self.deploy_role = IamRole(
            self,
            "deploy_role",
            name=spec.role_name,
            assume_role_policy=json.dumps(trust),
            description=f"CI/CD deploys from {spec.repository} on branch {spec.branch}",
            max_session_duration=3600,
        )
        for policy in spec.managed_policies:
            IamRolePolicyAttachment(
                self, logical_id("deploy_policy", policy), role=role.name, policy_arn=f"arn:aws:iam::aws:policy/{policy}"
            )
