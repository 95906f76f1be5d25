"""The IAM support role (CIS 1.17) where Identity Center's support permission set does not give AWSSupportAccess.

Who may assume it: the break-glass principals of the management account (named IAM users, MFA signed in within
the hour), the way in that an organization without Identity Center already keeps for people. Not the
deployment role (a machine that never opens a support case) and not the whole management account: the role
reads and writes support cases only, but a case can carry account details, so it stays with named people.
Pure Python (no cdktf).
"""

from __future__ import annotations

from .trust import mfa_trust

SUPPORT_PURPOSE = "support"
AWS_SUPPORT_ACCESS = "arn:aws:iam::aws:policy/AWSSupportAccess"


def support_role_wanted(env) -> bool:
    """Whether every account's baseline gets the role (organization.support_role.create)."""
    create = env.organization.support_role.create
    if create != "auto":
        return create == "always"
    identity = getattr(env, "identity", None)
    return identity is None or identity.preset != "control_tower"


def support_role_trust(env, management_account_id: str) -> dict:
    org = env.organization
    principals = list(org.support_role.principals or org.break_glass_principals)
    return mfa_trust("SupportWithMfa", management_account_id, principals)
