"""The `account_factory:` section: defaults and requests for vended accounts.

A request becomes an ordinary member account (`accounts:`) when the file is
loaded, so every other part of the landing zone sees it; the request keeps
what only vended accounts have (baseline options, closure).
"""

from __future__ import annotations

from functools import cached_property
from typing import Optional

from pydantic import Field

from .base import StrictModel, Tags
from .network import Name, VpcAddressing
from .organization import AlternateContacts


class Budget(StrictModel):
    """A monthly cost budget with an email alert to the account owner."""

    monthly_limit_usd: int = Field(100, ge=1, description="Monthly cost limit in USD (default 100).")
    alert_threshold_percent: int = Field(
        80, ge=1, le=1000, description="Alert when actual cost passes this percentage of the limit (default 80)."
    )
    notify: list[str] = Field(default_factory=list, description="Emails alerted (default: the account's root email).")


DEPLOY_SERVICES = (
    "apigateway",
    "application-autoscaling",
    "autoscaling",
    "cloudformation",
    "cloudfront",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "ecr",
    "ecs",
    "elasticloadbalancing",
    "events",
    "lambda",
    "logs",
    "s3",
    "sns",
    "sqs",
    "ssm",
    "states",
    "tag",
)
"""Services a deploy role may use when its block names none: a typical serverless and container workload."""


class DeployRole(StrictModel):
    """A CI/CD deploy role trusted through an OIDC provider, for one repository and one branch or GitHub environment.

    It gets a generated policy (the listed services, and IAM roles only with its permissions boundary) and a
    permissions boundary that forbids IAM escalation, sharing data out and changes to the landing zone's resources.
    """

    repository: str = Field(description="Repository allowed to assume the role, as owner/name (GitHub Actions).")
    branch: str = Field("main", description="Only workflows on this branch may assume the role (default main).")
    environment: Optional[str] = Field(
        None,
        description="Only jobs of this GitHub deployment environment may assume the role, instead of the branch "
        "(token subject repo:OWNER/NAME:environment:NAME; protect the environment with required reviewers; default none).",
    )
    role_name: str = Field("ci-deploy", description="Name of the role (default ci-deploy).")
    provider_url: str = Field("https://token.actions.githubusercontent.com", description="OIDC issuer (default GitHub Actions).")
    audience: str = Field("sts.amazonaws.com", description="Audience the token must carry (default sts.amazonaws.com).")
    services: list[str] = Field(
        default_factory=lambda: list(DEPLOY_SERVICES),
        description="IAM service prefixes the role may use, such as lambda or s3 (default: a typical workload's: "
        + ", ".join(DEPLOY_SERVICES)
        + ").",
    )
    managed_policies: list[str] = Field(
        default_factory=list,
        description="AWS managed policies attached, by name, on top of the generated policy (default none; "
        "lz validate warns on AdministratorAccess, PowerUserAccess and IAMFullAccess).",
    )


class BaselineOptions(StrictModel):
    """Per-account settings applied by the baseline; a request's block replaces the default one key by key."""

    account_alias: Optional[bool] = Field(
        None, description="Set the IAM account alias '<organization>-<account>' (default true)."
    )
    budget: Optional[Budget] = Field(
        None, description="Monthly budget with an alert to the owner (default: 100 USD, alert at 80 %)."
    )
    alternate_contacts: Optional[AlternateContacts] = Field(
        None, description="Security, billing and operations contacts (default none)."
    )
    access_analyzer: Optional[bool] = Field(
        None, description="An account-level IAM Access Analyzer (default false: the organization's analyzer covers it)."
    )
    deploy_role: Optional[DeployRole] = Field(None, description="OIDC CI/CD deploy role (default none).")


class AccountNetwork(VpcAddressing):
    """The account's spoke VPC: built exactly like a `network.vpcs` entry named after the account, with `account: <name>`."""

    name: Optional[Name] = Field(None, description="VPC name, unique in the environment (default: the account name).")
    segment: Optional[str] = Field(None, description="Transit-gateway segment the VPC attaches to (default none: not attached).")
    transit_gateway: Optional[str] = Field(None, description="Transit gateway of the segment (default: the only one).")


class FactoryDefaults(StrictModel):
    """What every vended account gets unless its request says otherwise."""

    email_template: Optional[str] = Field(
        None,
        description="Root email of a request without one, with {name} for the account name, such as 'aws+{name}@corp.example' (default none: every request names its email).",
    )
    required_tags: list[str] = Field(
        default_factory=lambda: ["owner"], description="Tags every request must carry (default owner)."
    )
    tags: Tags = Field(default_factory=dict, description="Tags every vended account gets; a request's tags win (default none).")
    ou: Optional[str] = Field(None, description="OU of a request without one (default none: every request names its OU).")
    access_role_name: Optional[str] = Field(
        None,
        description="Role AWS creates in a vended account for the landing zone to assume (default organization.access_role_name).",
    )
    baseline: BaselineOptions = Field(default_factory=BaselineOptions, description="Baseline options of every vended account.")
    quarantine: bool = Field(
        False,
        description="Vend accounts under the quarantine SCP (deny all but the landing zone's roles) until their request says `quarantine: false` (default false).",
    )


class AccountRequest(StrictModel):
    """One vended account, inline or one file under environments/<env>/accounts/."""

    name: str = Field(description="Account name, unique in the organization (case-insensitive).")
    email: Optional[str] = Field(None, description="Root email (default: from account_factory.defaults.email_template).")
    ou: Optional[str] = Field(None, description="OU path (default: account_factory.defaults.ou).")
    tags: Tags = Field(description="Tags on the account, on top of the factory's (default none).")
    baseline: BaselineOptions = Field(
        default_factory=BaselineOptions, description="Baseline options for this account (default: the factory's)."
    )
    network: Optional[AccountNetwork] = Field(
        None, description="The account's spoke VPC (default none); needs a top-level `network:` section."
    )
    quarantine: Optional[bool] = Field(
        None,
        description="Attach the quarantine SCP to this account: apply management and the account's stack, then set false and apply management again (default: account_factory.defaults.quarantine).",
    )
    close: bool = Field(
        False,
        description="Close the account when it is removed from the config; only allowed in the Suspended OU (default false).",
    )


class AccountFactory(StrictModel):
    """Account vending: defaults, then one request per account."""

    suspended_ou: str = Field("Suspended", description="OU an account moves to before it is closed (default Suspended).")
    defaults: FactoryDefaults = Field(default_factory=FactoryDefaults, description="Defaults for every request.")
    requests: list[AccountRequest] = Field(
        default_factory=list,
        description="Inline requests; files under environments/<env>/accounts/*.yaml are added to these (default none).",
    )

    @cached_property
    def request_index(self) -> dict[str, AccountRequest]:
        """Each request by its account's name (vending.request_for: a scan per lookup was quadratic in accounts)."""
        return {request.name: request for request in self.requests}
