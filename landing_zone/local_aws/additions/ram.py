"""RAM: associations on an existing share, its permissions, and sharing with the organization.

moto 5.2 takes principals and resources only when a share is created. AWS
(RAM API): AssociateResourceShare and DisassociateResourceShare add and
remove principals and resources later (terraform's aws_ram_principal_association
and aws_ram_resource_association); ListResourceSharePermissions lists the
share's managed permission; EnableSharingWithAwsOrganization creates the
AWSServiceRoleForResourceAccessManager service-linked role, which terraform
reads back; a share keeps its tags (CreateResourceShare `tags`, TagResource,
UntagResource).
"""

from __future__ import annotations

import json

from ._helpers import add_actions

TGW_PERMISSION = "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionTransitGateway"
SERVICE_LINKED_ROLE = "AWSServiceRoleForResourceAccessManager"


def _share(self, arn: str):
    for share in self.ram_backend.resource_shares:
        if share.arn == arn:
            return share
    from moto.ram.exceptions import UnknownResourceException

    raise UnknownResourceException(f"ResourceShare {arn} could not be found.")


def _association(share, kind: str, entity: str, status: str) -> dict:
    return {
        "resourceShareArn": share.arn,
        "resourceShareName": share.name,
        "associatedEntity": entity,
        "associationType": kind,
        "status": status,
        "external": False,
    }


def _change(self, add: bool) -> str:
    p = json.loads(self.body or "{}")
    share = _share(self, p["resourceShareArn"])
    out = []
    for kind, key, members in (("PRINCIPAL", "principals", share.principals), ("RESOURCE", "resourceArns", share.resource_arns)):
        for entity in p.get(key, []):
            if add and entity not in members:
                members.append(entity)
            elif not add and entity in members:
                members.remove(entity)
            out.append(_association(share, kind, entity, "ASSOCIATED" if add else "DISASSOCIATED"))
    return json.dumps({"resourceShareAssociations": out})


def associate_resource_share(self) -> str:
    return _change(self, add=True)


def disassociate_resource_share(self) -> str:
    return _change(self, add=False)


def list_resource_share_permissions(self) -> str:
    _share(self, json.loads(self.body or "{}")["resourceShareArn"])
    return json.dumps(
        {
            "permissions": [
                {
                    "arn": TGW_PERMISSION,
                    "version": "1",
                    "defaultVersion": True,
                    "name": "AWSRAMDefaultPermissionTransitGateway",
                    "resourceType": "ec2:TransitGateway",
                    "status": "ASSOCIATED",
                    "isResourceTypeDefault": True,
                }
            ]
        }
    )


def _tags(share) -> dict[str, str]:
    return share.__dict__.setdefault("_lz_tags", {})


def tag_resource(self) -> str:
    p = json.loads(self.body or "{}")
    _tags(_share(self, p["resourceShareArn"])).update({t["key"]: t["value"] for t in p.get("tags", [])})
    return json.dumps({})


def untag_resource(self) -> str:
    p = json.loads(self.body or "{}")
    tags = _tags(_share(self, p["resourceShareArn"]))
    for key in p.get("tagKeys", []):
        tags.pop(key, None)
    return json.dumps({})


def _keep_tags() -> None:
    from moto.ram.models import ResourceAccessManagerBackend, ResourceShare

    create, describe = ResourceAccessManagerBackend.create_resource_share, ResourceShare.describe

    def create_resource_share(self, **kwargs):
        result = create(self, **kwargs)
        share = next(s for s in self.resource_shares if s.arn == result["resourceShare"]["resourceShareArn"])
        _tags(share).update({t["key"]: t["value"] for t in kwargs.get("tags") or []})
        result["resourceShare"]["tags"] = [{"key": k, "value": v} for k, v in sorted(_tags(share).items())]
        return result

    def described(self):
        return {**describe(self), "tags": [{"key": k, "value": v} for k, v in sorted(_tags(self).items())]}

    ResourceAccessManagerBackend.create_resource_share = create_resource_share  # type: ignore[method-assign]  # patches moto's class at run time
    ResourceShare.describe = described  # type: ignore[method-assign]  # patches moto's class at run time


def install() -> None:
    from moto.ram import urls
    from moto.ram.responses import ResourceAccessManagerResponse

    add_actions(
        ResourceAccessManagerResponse,
        associate_resource_share,
        disassociate_resource_share,
        list_resource_share_permissions,
        tag_resource,
        untag_resource,
    )
    for path in (
        "associateresourceshare",
        "disassociateresourceshare",
        "listresourcesharepermissions",
        "tagresource",
        "untagresource",
    ):
        urls.url_paths.setdefault(f"{{0}}/{path}$", ResourceAccessManagerResponse.dispatch)
    if getattr(ResourceAccessManagerResponse, "_lz_org_sharing", False):
        return
    ResourceAccessManagerResponse._lz_org_sharing = True  # type: ignore[attr-defined]  # marks moto's patched code so it is patched once
    _keep_tags()
    enable = ResourceAccessManagerResponse.enable_sharing_with_aws_organization

    def enable_sharing_with_aws_organization(self) -> str:  # wraps moto's: adds the service-linked role
        result = enable(self)
        from moto.iam.models import iam_backends
        from moto.utilities.utils import get_partition

        iam = iam_backends[self.current_account][get_partition(self.region)]
        if not any(role.name == SERVICE_LINKED_ROLE for role in iam.roles.values()):
            trust = {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ram.amazonaws.com"}}],
            }
            iam.create_role(
                SERVICE_LINKED_ROLE,
                json.dumps(trust),
                "/aws-service-role/ram.amazonaws.com/",
                permissions_boundary=None,
                description="Resource Access Manager",
                tags=[],
                max_session_duration=None,
                linked_service="ram.amazonaws.com",
            )
        return result

    ResourceAccessManagerResponse.enable_sharing_with_aws_organization = enable_sharing_with_aws_organization  # type: ignore[method-assign]  # patches moto's class at run time
