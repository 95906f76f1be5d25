"""Identity Center in a stack: the environment's identity plan as construct props.

Accounts the stack creates are referenced by their resources' ids; adopted
accounts by the id in the config; the management account by the
organization's `master_account_id` unless the config gives its id.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

from constructs import Construct

from ..constructs.identity_center import (
    AssignmentSpec,
    GroupSpec,
    IdentityCenter,
    IdentityCenterProps,
    PermissionSetSpec,
    PolicyRef,
    UserSpec,
)
from ..identity.plan import IdentityPlan
from ..identity.policy import managed_policy_arn, minify_policy


def permission_set_spec(ps) -> PermissionSetSpec:
    """A config permission set as construct props (policy names become ARNs, the inline policy is minified)."""
    boundary = ps.permissions_boundary
    return PermissionSetSpec(
        name=ps.name,
        description=ps.description,
        session_duration=ps.session_duration,
        managed_policy_arns=tuple(managed_policy_arn(p) for p in ps.managed_policies),
        customer_managed_policies=tuple(PolicyRef(name=r.name, path=r.path) for r in ps.customer_managed_policies),
        inline_policy=minify_policy(ps.inline_policy) if ps.inline_policy is not None else None,
        boundary_managed_policy_arn=managed_policy_arn(boundary.managed_policy) if boundary and boundary.managed_policy else None,
        boundary_customer_managed_policy=(
            PolicyRef(name=boundary.customer_managed_policy.name, path=boundary.customer_managed_policy.path)
            if boundary and boundary.customer_managed_policy
            else None
        ),
        relay_state=ps.relay_state,
        tags=dict(ps.tags),
    )


def identity_center_props(
    plan: IdentityPlan, account_ids: Mapping[str, str], *, delegated_admin_depends_on: Sequence = ()
) -> IdentityCenterProps:
    """Props for the IdentityCenter construct from an identity plan and account ids by name."""
    used = {g.account for g in plan.grants}
    return IdentityCenterProps(
        identity_source=plan.source,
        groups=tuple(GroupSpec(name=g.name, description=g.description) for g in plan.groups),
        permission_sets=tuple(permission_set_spec(p) for p in plan.permission_sets),
        assignments=tuple(AssignmentSpec(group=g.group, permission_set=g.permission_set, account=g.account) for g in plan.grants),
        users=tuple(
            UserSpec(
                user_name=u.user_name,
                display_name=u.display_name,
                given_name=u.given_name,
                family_name=u.family_name,
                email=u.email,
                groups=tuple(u.groups),
            )
            for u in plan.users
        ),
        account_ids={name: account_ids[name] for name in plan.accounts if name in used},
        delegated_admin_account_id=account_ids[plan.delegated_admin_account] if plan.delegated_admin_account else None,
        delegated_admin_depends_on=tuple(delegated_admin_depends_on),
        access_control_attributes=plan.access_control_attributes,
    )


def add_identity_center(
    scope: Construct,
    plan: IdentityPlan,
    account_ids: Mapping[str, str],
    *,
    id: str = "identity_center",
    delegated_admin_depends_on: Sequence = (),
) -> Optional[IdentityCenter]:
    """The Identity Center of `plan` (an environment's `facts.identity_plan`) in `scope`, or None without an `identity:` section."""
    if not plan.enabled:
        return None
    return IdentityCenter(
        scope, id, identity_center_props(plan, account_ids, delegated_admin_depends_on=delegated_admin_depends_on)
    )
