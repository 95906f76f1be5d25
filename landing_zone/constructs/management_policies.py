"""Management policies (AI services opt-out, tag policy, data-perimeter RCP, ...) attached at the organization's root."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf_cdktf_provider_aws.organizations_policy import OrganizationsPolicy
from cdktf_cdktf_provider_aws.organizations_policy_attachment import OrganizationsPolicyAttachment
from constructs import Construct

from .ids import logical_id

MANAGEMENT_POLICY_TYPES = (
    "AISERVICES_OPT_OUT_POLICY",
    "BACKUP_POLICY",
    "CHATBOT_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
)


@dataclass(frozen=True, kw_only=True)
class ManagementPolicySpec:
    """One management policy."""

    key: str
    """Stable key of the policy (its logical ids)."""
    type: str
    """AISERVICES_OPT_OUT_POLICY, TAG_POLICY, BACKUP_POLICY, CHATBOT_POLICY or RESOURCE_CONTROL_POLICY (enabled on the
    root by the caller)."""
    name: str
    description: str
    content: str
    """The policy document (JSON)."""


@dataclass(frozen=True, kw_only=True)
class ManagementPoliciesProps:
    root_id: str
    """The organization's root, where every policy is attached (its policy types enabled)."""
    policies: tuple[ManagementPolicySpec, ...] = ()
    """Policies (default none)."""


class ManagementPolicies(Construct):
    """`aws_organizations_policy` and its `aws_organizations_policy_attachment` to the root, per spec.

    Attributes: `policies` (key -> aws_organizations_policy).
    """

    def __init__(self, scope: Construct, id: str, props: ManagementPoliciesProps) -> None:
        super().__init__(scope, id)
        self.policies: dict[str, OrganizationsPolicy] = {}
        for spec in props.policies:
            if spec.type not in MANAGEMENT_POLICY_TYPES:
                raise ValueError(f"{spec.type!r} is not a management policy type ({', '.join(MANAGEMENT_POLICY_TYPES)})")
            policy = OrganizationsPolicy(
                self, f"policy_{spec.key}", name=spec.name, description=spec.description, type=spec.type, content=spec.content
            )
            policy.override_logical_id(logical_id("management_policy", spec.key))
            attachment = OrganizationsPolicyAttachment(self, f"attach_{spec.key}", policy_id=policy.id, target_id=props.root_id)
            attachment.override_logical_id(logical_id("management_policy_root", spec.key))
            self.policies[spec.key] = policy
