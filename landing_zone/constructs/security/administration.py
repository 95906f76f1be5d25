"""Management-account side of the security services: designate the audit account as administrator.

GuardDuty and Security Hub designate their administrator through their own
APIs (which register it with Organizations themselves); Access Analyzer and
Config use the generic registration (constructs.delegated_administrators).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from cdktf import ITerraformDependable, TerraformProvider
from cdktf_cdktf_provider_aws.guardduty_organization_admin_account import GuarddutyOrganizationAdminAccount
from cdktf_cdktf_provider_aws.securityhub_account import SecurityhubAccount
from cdktf_cdktf_provider_aws.securityhub_organization_admin_account import SecurityhubOrganizationAdminAccount
from constructs import Construct

from ..ids import logical_id


@dataclass(frozen=True, kw_only=True)
class SecurityAdministrationProps:
    """Which services the administrator account runs for the organization."""

    admin_account_id: str
    """The delegated administrator (the audit account)."""
    home_region: str
    """Security Hub's home (aggregation) region: central configuration designates the administrator there only."""
    providers: Mapping[str, TerraformProvider]
    """Management-account provider per governed region (region -> provider)."""
    guardduty: bool = True
    """Designate the GuardDuty administrator in every governed region (default true)."""
    security_hub: bool = True
    """Enable Security Hub in the management account and designate its administrator (default true)."""
    depends_on: Sequence[ITerraformDependable] = ()
    """What must exist first: the organization with trusted access for the services (default none)."""


class SecurityAdministration(Construct):
    """`aws_guardduty_organization_admin_account` per region; `aws_securityhub_account`
    and `aws_securityhub_organization_admin_account` in the home region.

    Attributes: `guardduty_admins` (by region), `security_hub_admin` (or None).
    """

    def __init__(self, scope: Construct, id: str, props: SecurityAdministrationProps) -> None:
        super().__init__(scope, id)
        self.props = props
        depends = list(props.depends_on)
        self.guardduty_admins: dict[str, GuarddutyOrganizationAdminAccount] = {}
        if props.guardduty:
            for region, provider in props.providers.items():
                admin = GuarddutyOrganizationAdminAccount(
                    self,
                    f"guardduty_{region}",
                    provider=provider,
                    admin_account_id=props.admin_account_id,
                    depends_on=depends or None,
                )
                admin.override_logical_id(logical_id("guardduty_admin", region))
                self.guardduty_admins[region] = admin
        self.security_hub_admin = None
        if props.security_hub:
            home = props.providers[props.home_region]
            # Security Hub must be on in the management account before it designates an administrator.
            hub = SecurityhubAccount(
                self, "management_hub", provider=home, enable_default_standards=False, depends_on=depends or None
            )
            hub.override_logical_id("securityhub_management_account")
            self.security_hub_admin = SecurityhubOrganizationAdminAccount(
                self, "security_hub", provider=home, admin_account_id=props.admin_account_id, depends_on=[hub, *depends]
            )
            self.security_hub_admin.override_logical_id("securityhub_admin")
