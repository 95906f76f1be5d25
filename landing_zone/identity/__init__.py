"""IAM Identity Center as pure data (no cdktf): the Control Tower preset, the
effective groups, permission sets and assignments of an environment,
assignments expanded over OU subtrees, the access matrix, and inline policy
minify/lint."""

from .plan import Grant, IdentityPlan, identity_plan
from .policy import grants_admin, managed_policy_arn, minify_policy

__all__ = ["Grant", "IdentityPlan", "grants_admin", "identity_plan", "managed_policy_arn", "minify_policy"]
