"""A RAM resource share inside the organization (never with external principals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.ram_principal_association import RamPrincipalAssociation
from cdktf_cdktf_provider_aws.ram_resource_association import RamResourceAssociation
from cdktf_cdktf_provider_aws.ram_resource_share import RamResourceShare
from constructs import Construct

from ._common import lid, tags


@dataclass(frozen=True, kw_only=True)
class OrganizationShareProps:
    name: str
    """Share name."""
    key: str
    """Logical-id key, unique in the stack."""
    resource_arns: Mapping[str, str]
    """Resources to share by a stable key (a config name)."""
    principal_arns: Mapping[str, str]
    """The organization's ARN or OU ARNs by a stable key ('organization' or the OU path):
    accounts inside them see the resources without accepting an invitation."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags (default none)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the owning account (default: the stack's default provider)."""


class OrganizationShare(Construct):
    """`aws_ram_resource_share` with `allow_external_principals = false`, one
    `aws_ram_resource_association` per resource and one `aws_ram_principal_association`
    per principal. Attributes: `resource_share`, `resource_share_arn`."""

    def __init__(self, scope: Construct, id: str, props: OrganizationShareProps) -> None:
        super().__init__(scope, id)
        p = props.provider
        self.resource_share = lid(
            RamResourceShare(
                self, "share", provider=p, name=props.name, allow_external_principals=False, tags=tags(props.name, props.tags)
            ),
            "ram_share",
            props.key,
        )
        for key, arn in sorted(props.resource_arns.items()):
            lid(
                RamResourceAssociation(
                    self, f"resource_{key}", provider=p, resource_arn=arn, resource_share_arn=self.resource_share.arn
                ),
                "ram_resource",
                props.key,
                key,
            )
        for key, arn in sorted(props.principal_arns.items()):
            lid(
                RamPrincipalAssociation(
                    self, f"principal_{key}", provider=p, principal=arn, resource_share_arn=self.resource_share.arn
                ),
                "ram_principal",
                props.key,
                key,
            )

    @property
    def resource_share_arn(self) -> str:
        return self.resource_share.arn
