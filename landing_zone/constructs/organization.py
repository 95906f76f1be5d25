"""The AWS organization itself: all features, SCPs, trusted service access."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.iam_organizations_features import IamOrganizationsFeatures
from cdktf_cdktf_provider_aws.organizations_organization import OrganizationsOrganization
from constructs import Construct

from ..live.trusted_services import SERVICE_ACCESS_PRINCIPALS

# Services the landing zone integrates with the organization (trusted access).
# Sorted: terraform stores the set sorted, so plans stay quiet.
# One list, read by `lz preflight` too (live/trusted_services.py), so the check and the organization agree.
DEFAULT_SERVICE_ACCESS_PRINCIPALS: tuple[str, ...] = SERVICE_ACCESS_PRINCIPALS

IAM_PRINCIPAL = "iam.amazonaws.com"


@dataclass(frozen=True, kw_only=True)
class OrganizationProps:
    """The organization's settings; the defaults are what the landing zone needs."""

    service_access_principals: tuple[str, ...] = DEFAULT_SERVICE_ACCESS_PRINCIPALS
    """Services given trusted access to the organization (default: the landing zone's services)."""
    enabled_policy_types: tuple[str, ...] = ("SERVICE_CONTROL_POLICY",)
    """Policy types enabled on the root (default SCPs only; add TAG_POLICY, BACKUP_POLICY, ...)."""
    root_access_features: tuple[str, ...] = ("RootCredentialsManagement", "RootSessions")
    """Centralized root access (`aws_iam_organizations_features`; default both features; empty: none, and
    no IAM trusted access)."""
    prevent_destroy: bool = True
    """Refuse to destroy the organization (default true; only a test run against a local API lifts it)."""


class Organization(Construct):
    """`aws_organizations_organization` with feature set ALL, and `aws_iam_organizations_features`
    (centralized root access for member accounts) when `root_access_features` names any.

    Attributes: `organization_id`, `organization_arn`, `root_id` (the root
    that top-level OUs hang from), `management_account_id`.
    """

    def __init__(self, scope: Construct, id: str, props: OrganizationProps = OrganizationProps()) -> None:
        super().__init__(scope, id)
        self.props = props
        principals = set(props.service_access_principals)
        if not props.root_access_features:
            principals.discard(IAM_PRINCIPAL)
        self.resource = OrganizationsOrganization(
            self,
            "organization",
            feature_set="ALL",
            enabled_policy_types=sorted(set(props.enabled_policy_types)),
            aws_service_access_principals=sorted(principals),
            lifecycle=TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy),
        )
        self.resource.override_logical_id("organization")
        self.root_access = None
        if props.root_access_features:
            if IAM_PRINCIPAL not in principals:
                raise ValueError("centralized root access needs trusted access for iam.amazonaws.com")
            self.root_access = IamOrganizationsFeatures(
                self,
                "root_access",
                enabled_features=sorted(set(props.root_access_features)),
                depends_on=[self.resource],  # IAM's trusted access must be on first
            )
            self.root_access.override_logical_id("organization_root_access")

    @property
    def organization_id(self) -> str:
        return self.resource.id

    @property
    def organization_arn(self) -> str:
        return self.resource.arn

    @property
    def root_id(self) -> str:
        return self.resource.roots.get(0).id

    @property
    def management_account_id(self) -> str:
        return self.resource.master_account_id
