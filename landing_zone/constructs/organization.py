"""The AWS organization itself: all features, SCPs, trusted service access."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.organizations_organization import OrganizationsOrganization
from constructs import Construct

from ..live.trusted_services import SERVICE_ACCESS_PRINCIPALS

# Services the landing zone integrates with the organization (trusted access).
# Sorted: terraform stores the set sorted, so plans stay quiet.
# One list, read by `lz preflight` too (live/trusted_services.py), so the check and the organization agree.
DEFAULT_SERVICE_ACCESS_PRINCIPALS: tuple[str, ...] = SERVICE_ACCESS_PRINCIPALS


@dataclass(frozen=True, kw_only=True)
class OrganizationProps:
    """The organization's settings; the defaults are what the landing zone needs."""

    service_access_principals: tuple[str, ...] = DEFAULT_SERVICE_ACCESS_PRINCIPALS
    """Services given trusted access to the organization (default: the landing zone's services)."""
    enabled_policy_types: tuple[str, ...] = ("SERVICE_CONTROL_POLICY",)
    """Policy types enabled on the root (default SCPs only; add TAG_POLICY, BACKUP_POLICY, ...)."""
    prevent_destroy: bool = True
    """Refuse to destroy the organization (default true; only a test run against a local API lifts it)."""


class Organization(Construct):
    """`aws_organizations_organization` with feature set ALL.

    Attributes: `organization_id`, `organization_arn`, `root_id` (the root
    that top-level OUs hang from), `management_account_id`.
    """

    def __init__(self, scope: Construct, id: str, props: OrganizationProps = OrganizationProps()) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource = OrganizationsOrganization(
            self,
            "organization",
            feature_set="ALL",
            enabled_policy_types=sorted(set(props.enabled_policy_types)),
            aws_service_access_principals=sorted(set(props.service_access_principals)),
            lifecycle=TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy),
        )
        self.resource.override_logical_id("organization")

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
