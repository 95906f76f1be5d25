"""The self-service catalog's part in the management account, wherever the catalog itself lives: Service Catalog's
Organizations access (only the management account can turn it on), the delegated administrator when the catalog
is in a member account, and the launch role in every account the portfolios reach (a service-managed stack set)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.cloudformation_stack_set import CloudformationStackSet, CloudformationStackSetAutoDeployment
from cdktf_cdktf_provider_aws.cloudformation_stack_set_instance import (
    CloudformationStackSetInstance,
    CloudformationStackSetInstanceDeploymentTargets,
)
from cdktf_cdktf_provider_aws.servicecatalog_organizations_access import ServicecatalogOrganizationsAccess
from constructs import Construct

from ..self_service.blueprints import launch_policy
from ..self_service.launch_role import launch_role_template
from .account import Account
from .delegated_administrators import DelegatedAdministrators, DelegatedAdministratorsProps
from .ids import logical_id
from .organization import Organization
from .organizational_units import OrganizationalUnits

SERVICE_CATALOG_PRINCIPAL = "servicecatalog.amazonaws.com"


@dataclass(frozen=True, kw_only=True)
class CatalogOrganizationProps:
    organization: Organization
    organizational_units: OrganizationalUnits
    name_prefix: str
    """Prefix of the stack set's name (such as 'acme-lz-')."""
    delegated_admin: Optional[Account] = None
    """The member account that holds the catalog, registered as Service Catalog's delegated administrator
    (default: none, the catalog is in the management account)."""
    launch_role_template: Optional[str] = None
    """CloudFormation template (JSON) of the launch role, deployed by a service-managed stack set (default: none deployed)."""
    launch_role_ous: tuple[str, ...] = ()
    """OU paths the launch role reaches (every account in them, later ones included)."""
    launch_role_accounts: tuple[tuple[str, str, str], ...] = ()
    """(OU path, account name, account id) of accounts shared one by one: the stack set reaches just that account of the OU."""


class CatalogOrganization(Construct):
    """Attributes: `organizations_access`, `delegated_administrators` (None without a delegated catalog account),
    `launch_role_stack_set` (None when no portfolio is shared)."""

    def __init__(self, scope: Construct, id: str, props: CatalogOrganizationProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.organizations_access = ServicecatalogOrganizationsAccess(
            self, "organizations_access", enabled=True, depends_on=[props.organization.resource]
        )
        self.organizations_access.override_logical_id("catalog_organizations_access")
        self.delegated_administrators = (
            DelegatedAdministrators(
                self,
                "delegated_administrator",
                DelegatedAdministratorsProps(
                    organization=props.organization, account=props.delegated_admin, services=(SERVICE_CATALOG_PRINCIPAL,)
                ),
            )
            if props.delegated_admin is not None
            else None
        )
        self.launch_role_stack_set = self._launch_role(props) if props.launch_role_template else None

    @property
    def ready(self) -> list:
        """What a share to an OU waits for in the same stack: Organizations access and the delegated administrator."""
        out: list = [self.organizations_access]
        if self.delegated_administrators is not None:
            out += list(self.delegated_administrators.registrations.values())
        return out

    def _launch_role(self, props: CatalogOrganizationProps) -> CloudformationStackSet:
        """The launch role in every account the portfolios reach, through a service-managed stack set that
        deploys automatically to accounts joining those OUs."""
        stack_set = CloudformationStackSet(
            self,
            "launch_role",
            name=f"{props.name_prefix}catalog-launch-role",
            permission_model="SERVICE_MANAGED",
            auto_deployment=CloudformationStackSetAutoDeployment(enabled=True, retain_stacks_on_account_removal=False),
            capabilities=["CAPABILITY_NAMED_IAM"],
            template_body=props.launch_role_template,
            description="Service Catalog launch role of the landing zone's self-service portfolios",
            # The provider reads a service-managed stack set's administration role back as set.
            lifecycle=TerraformResourceLifecycle(ignore_changes=["administration_role_arn"]),
            depends_on=[props.organization.resource],
        )
        stack_set.override_logical_id("catalog_launch_role")
        if props.launch_role_ous:
            instance = CloudformationStackSetInstance(
                self,
                "launch_role_ous",
                stack_set_name=stack_set.name,
                deployment_targets=CloudformationStackSetInstanceDeploymentTargets(
                    organizational_unit_ids=[props.organizational_units.ou_id(p) for p in props.launch_role_ous]
                ),
            )
            instance.override_logical_id("catalog_launch_role_ous")
        for path, name, account_id in props.launch_role_accounts:
            iid = logical_id("catalog_launch_role_account", name)
            CloudformationStackSetInstance(
                self,
                iid,
                stack_set_name=stack_set.name,
                deployment_targets=CloudformationStackSetInstanceDeploymentTargets(
                    organizational_unit_ids=[props.organizational_units.ou_id(path)],
                    accounts=[account_id],
                    account_filter_type="INTERSECTION",
                ),
            ).override_logical_id(iid)
        return stack_set


def catalog_organization_props(
    env,
    root: Path,
    organization: Organization,
    organizational_units: OrganizationalUnits,
    catalog_id: str,
    account_ids: dict[str, str],
    name_prefix: str,
    delegated_admin: Optional[Account] = None,
) -> CatalogOrganizationProps:
    """CatalogOrganizationProps from a validated `self_service:` section (blueprints read from `root`): the launch
    role with every blueprint's launch policy, in every account a portfolio reaches, trusting the Terraform engine's
    account (the catalog account, `catalog_id`, unless `terraform_engine_account` names another) when a product is a
    Terraform one."""
    section = env.self_service
    policies = {v.blueprint: launch_policy(root, v.blueprint) for p in section.products for v in p.versions}
    engine = None
    if any(p.type == "terraform" for p in section.products):
        engine = account_ids.get(section.terraform_engine_account, catalog_id) if section.terraform_engine_account else catalog_id
    ou_of = {a.name: a.ou for a in env.accounts}
    ous = sorted({path for p in section.portfolios for path in p.share_to_ous})
    accounts = sorted(
        {
            (ou_of[name], name, account_ids[name])
            for p in section.portfolios
            for name in p.share_to_accounts
            if not any(ou_of[name] == o or ou_of[name].startswith(o + "/") for o in ous)
        }
    )
    template = (
        json.dumps(launch_role_template(section.launch_role_name, policies, engine), sort_keys=True, separators=(",", ":"))
        if (ous or accounts)
        else None
    )
    return CatalogOrganizationProps(
        organization=organization,
        organizational_units=organizational_units,
        name_prefix=name_prefix,
        delegated_admin=delegated_admin,
        launch_role_template=template,
        launch_role_ous=tuple(ous),
        launch_role_accounts=tuple(accounts),
    )
