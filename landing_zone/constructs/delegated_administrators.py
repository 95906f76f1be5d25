"""Register an account (the audit account) as delegated administrator of services."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf_cdktf_provider_aws.organizations_delegated_administrator import OrganizationsDelegatedAdministrator
from constructs import Construct

from .account import Account
from .ids import logical_id
from .organization import Organization

# Services the audit account administers for the whole organization through
# the generic Organizations registration. GuardDuty and Security Hub are not
# here on purpose: their administrator is designated with their own APIs
# (aws_guardduty_organization_admin_account, aws_securityhub_organization_admin_account
# in constructs/security/administration.py), which register the account with
# Organizations themselves (GuardDuty's guide has a DeregisterDelegatedAdministrator
# step when changing it); a second, generic registration of the same account and
# service fails with AccountAlreadyRegisteredException.
AUDIT_DELEGATED_SERVICES: tuple[str, ...] = (
    "access-analyzer.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
)


@dataclass(frozen=True, kw_only=True)
class DelegatedAdministratorsProps:
    organization: Organization
    """The organization; registrations wait for its trusted service access."""
    account: Account
    """The account that administers the services."""
    services: tuple[str, ...] = AUDIT_DELEGATED_SERVICES
    """Service principals to delegate (default: the audit account's services)."""


class DelegatedAdministrators(Construct):
    """One `aws_organizations_delegated_administrator` per service principal."""

    def __init__(self, scope: Construct, id: str, props: DelegatedAdministratorsProps) -> None:
        super().__init__(scope, id)
        self.props = props
        enabled = set(props.organization.props.service_access_principals)
        missing = sorted(set(props.services) - enabled)
        if missing:
            raise ValueError(f"delegated services without trusted access in the organization: {', '.join(missing)}")
        self.registrations: dict[str, OrganizationsDelegatedAdministrator] = {}
        for service in sorted(set(props.services)):
            registration = OrganizationsDelegatedAdministrator(
                self,
                service,
                account_id=props.account.account_id,
                service_principal=service,
                # Trusted access must be on before a service accepts an administrator.
                depends_on=[props.organization.resource],
            )
            registration.override_logical_id(
                logical_id("delegated_admin", f"{props.account.name}-{service.removesuffix('.amazonaws.com')}")
            )
            self.registrations[service] = registration
