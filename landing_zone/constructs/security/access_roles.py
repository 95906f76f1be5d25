"""A member account's privileged roles (issue 24.1): the access role's trust, and the break-glass role."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from constructs import Construct

from ...identity.trust import MFA_MAX_AGE_SECONDS, access_role_trust, break_glass_trust

ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"


@dataclass(frozen=True, kw_only=True)
class AccessRolesProps:
    management_account_id: str
    """The management account, where the deployment role and the break-glass principals live."""
    access_role_name: str
    """The account's access role (organization.access_role_name or the factory's)."""
    deployment_role_name: str
    """The only principal that may assume the access role (organization.deployment_role_name)."""
    break_glass_role_name: Optional[str] = None
    """Name of the MFA-only break-glass role (default: none is created)."""
    break_glass_principals: tuple[str, ...] = ()
    """Who may assume it (default: management-account IAM users under /break-glass/)."""
    prevent_destroy: bool = True
    """Refuse to destroy the roles: destroying the access role locks the landing zone out (default true)."""


class AccessRoles(Construct):
    """The access role exists (Organizations creates it with the account, trusting the whole management
    account): the stack imports it (`aws_iam_role.access_role`, id = its name) and replaces its trust.

    Attributes: `access_role`, `break_glass_role` (None when not asked for)."""

    def __init__(self, scope: Construct, id: str, props: AccessRolesProps) -> None:
        super().__init__(scope, id)
        lifecycle = TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy)
        self.access_role = IamRole(
            self,
            "access_role",
            name=props.access_role_name,
            assume_role_policy=json.dumps(access_role_trust(props.management_account_id, props.deployment_role_name)),
            lifecycle=lifecycle,
        )
        self.access_role.override_logical_id("access_role")
        self.break_glass_role: Optional[IamRole] = None
        if props.break_glass_role_name:
            self.break_glass_role = IamRole(
                self,
                "break_glass_role",
                name=props.break_glass_role_name,
                description="Emergency administrator access: MFA required, bound by the guardrails, every use alerts",
                assume_role_policy=json.dumps(break_glass_trust(props.management_account_id, list(props.break_glass_principals))),
                max_session_duration=MFA_MAX_AGE_SECONDS,
                lifecycle=lifecycle,
            )
            self.break_glass_role.override_logical_id("break_glass_role")
            IamRolePolicyAttachment(
                self, "break_glass_admin", role=self.break_glass_role.name, policy_arn=ADMINISTRATOR_ACCESS
            ).override_logical_id("break_glass_role_administrator")
