"""Transit gateways shared through RAM, and route-table relations per (attachment, table).

moto 5.2 keeps a transit gateway inside its owner's account, always
associates a new attachment with the default route table and records one
association and one propagation per attachment. AWS (EC2 user guide, "Share
a transit gateway", "Transit gateway route tables"):
- another account attaches its VPC to a gateway shared with it; with
  auto-accept off the attachment waits in `pendingAcceptance` until the owner
  calls AcceptTransitGatewayVpcAttachment; both accounts see the attachment,
  and the other account sees the gateway;
- with `DefaultRouteTableAssociation=disable` a new attachment is associated
  with no table;
- an attachment propagates into several tables; disabling one leaves the others;
- a VPC route may target a gateway shared with the VPC's account;
- a deleted attachment stays visible with state `deleted` for a while, as
  terraform's deletion waiter expects (moto drops it at once);
- a static route lists its target attachment (moto 5.2 serializes none, so
  terraform reads every static route back as a blackhole), and an attachment
  keeps the tags it was created with (moto reads them from the wrong
  TagSpecification resource type).
"""

from __future__ import annotations

import inspect
from typing import Any, Optional

from ._helpers import add_actions


def _ec2_backends():
    from moto.ec2.models import ec2_backends

    return ec2_backends


def owner_of(region: str, tgw_id: str) -> Optional[Any]:
    """The EC2 backend (any account, this region) that owns the transit gateway."""
    for regions in list(_ec2_backends().values()):
        backend = dict.get(regions, region)
        if backend is not None and tgw_id in backend.transit_gateways:
            return backend
    return None


def drop_default_association(owner, attachment) -> None:
    """Undo moto's association with the default table when the gateway has that turned off."""
    tgw = owner.transit_gateways[attachment.transit_gateway_id]
    table = attachment.transit_gateway_route_table
    if tgw.options.get("DefaultRouteTableAssociation") == "disable" and table is not None:
        owner.transit_gateways_route_tables[table.id].route_table_associations.pop(attachment.id, None)
        attachment.transit_gateway_route_table = None


def accept_transit_gateway_vpc_attachment(self):
    from moto.core.responses import ActionResult

    attachment = self.ec2_backend.transit_gateway_attachments[self._get_param("TransitGatewayAttachmentId")]
    attachment.state = "available"
    return ActionResult({"TransitGatewayVpcAttachment": attachment})


def create_transit_gateway_vpc_attachment(self):
    """moto's own action, reading the tags of resource type `transit-gateway-attachment` as AWS does."""
    from moto.core.responses import ActionResult

    specs = self._parse_tag_specification()
    attachment = self.ec2_backend.create_transit_gateway_vpc_attachment(
        transit_gateway_id=self._get_param("TransitGatewayId"),
        vpc_id=self._get_param("VpcId"),
        subnet_ids=self._get_param("SubnetIds", []),
        options=self._get_param("Options", {}),
        tags={**specs.get("transit-gateway-route-table", {}), **specs.get("transit-gateway-attachment", {})},
    )
    return ActionResult({"TransitGatewayVpcAttachment": attachment})


def _patch_backends() -> None:
    from moto.ec2.exceptions import InvalidTransitGatewayID
    from moto.ec2.models.transit_gateway import TransitGatewayBackend
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachment, TransitGatewayAttachmentBackend
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRelations, TransitGatewayRouteTableBackend

    # The gateway's owner, which differs from the attachment's (the VPC's) for a shared gateway.
    TransitGatewayAttachment.transit_gateway_owner_id = property(  # type: ignore[method-assign, assignment]  # replaces moto's method by a property at run time
        lambda self: self.__dict__.get("_lz_tgw_owner", self.resource_owner_id)
    )
    create = TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment
    delete = TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment
    describe = TransitGatewayBackend.describe_transit_gateways

    def create_transit_gateway_vpc_attachment(self, transit_gateway_id, vpc_id, subnet_ids, tags=None, options=None):
        owner = self if transit_gateway_id in self.transit_gateways else owner_of(self.region_name, transit_gateway_id)
        if owner is None:
            raise InvalidTransitGatewayID(
                transit_gateway_id, f"Transit Gateway {transit_gateway_id} was deleted or does not exist."
            )
        for gone in [
            k
            for k, a in owner.transit_gateway_attachments.items()
            if a.state == "deleted" and getattr(a, "vpc_id", None) == vpc_id
        ]:
            owner.transit_gateway_attachments.pop(gone)  # a deleted attachment does not block a new one
        attachment = create(owner, transit_gateway_id, vpc_id, subnet_ids, tags, options)
        drop_default_association(owner, attachment)
        if owner is not self:
            attachment._lz_tgw_owner = owner.account_id
            attachment.resource_owner_id = attachment.owner_id = self.account_id
            if owner.transit_gateways[transit_gateway_id].options.get("AutoAcceptSharedAttachments") != "enable":
                attachment.state = "pendingAcceptance"
            self.transit_gateway_attachments[attachment.id] = attachment
        return attachment

    def delete_transit_gateway_vpc_attachment(self, transit_gateway_attachment_id):
        sides = [
            b
            for regions in list(_ec2_backends().values())
            if (b := dict.get(regions, self.region_name)) is not None
            and transit_gateway_attachment_id in b.transit_gateway_attachments
        ]
        attachment = delete(self, transit_gateway_attachment_id)
        for backend in sides:  # both sides of a shared attachment see it `deleted`
            backend.transit_gateway_attachments[transit_gateway_attachment_id] = attachment
        return attachment

    def describe_transit_gateways(self, filters, transit_gateway_ids):
        found = describe(self, filters, transit_gateway_ids)
        for tgw_id in transit_gateway_ids or ():
            owner = None if any(t.id == tgw_id for t in found) else owner_of(self.region_name, tgw_id)
            if owner is not None:
                found.append(owner.transit_gateways[tgw_id])
        return found

    def disassociate_transit_gateway_route_table(self, tgw_attach_id, tgw_rt_id):
        relation = self.transit_gateway_associations.pop(tgw_attach_id, None) or TransitGatewayRelations(
            self, tgw_attach_id, tgw_rt_id, state="associated"
        )
        relation.state = "disassociated"
        self.transit_gateways_route_tables[tgw_rt_id].route_table_associations.pop(tgw_attach_id, None)
        attachment = self.transit_gateway_attachments.get(tgw_attach_id)
        if attachment is not None:
            attachment._association_data = {}
            if attachment.transit_gateway_route_table is not None and attachment.transit_gateway_route_table.id == tgw_rt_id:
                attachment.transit_gateway_route_table = None
        return relation

    def disable_transit_gateway_route_table_propagation(self, transit_gateway_attachment_id, transit_gateway_route_table_id):
        table = self.transit_gateways_route_tables[transit_gateway_route_table_id]
        table.route_table_propagation = [
            p for p in table.route_table_propagation if p.transitGatewayAttachmentId != transit_gateway_attachment_id
        ]
        self.transit_gateway_propagations.pop(transit_gateway_attachment_id, None)
        return TransitGatewayRelations(self, transit_gateway_attachment_id, transit_gateway_route_table_id, state="disabled")

    from moto.ec2.models.route_tables import RouteBackend

    create_route, replace_route = RouteBackend.create_route, RouteBackend.replace_route

    def with_shared_gateway(method):
        signature = inspect.signature(method)

        def call(self, *args, **kwargs):
            route = method(self, *args, **kwargs)
            tgw_id = signature.bind(self, *args, **kwargs).arguments.get("transit_gateway_id")
            if tgw_id and route.transit_gateway is None and (owner := owner_of(self.region_name, tgw_id)) is not None:
                route.transit_gateway = owner.transit_gateways[tgw_id]
            return route

        return call

    RouteBackend.create_route = with_shared_gateway(create_route)  # type: ignore[method-assign]  # patches moto's class at run time
    RouteBackend.replace_route = with_shared_gateway(replace_route)  # type: ignore[method-assign]  # patches moto's class at run time
    TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment = create_transit_gateway_vpc_attachment  # type: ignore[method-assign]  # patches moto's class at run time
    create_tgw_route = TransitGatewayRouteTableBackend.create_transit_gateway_route

    def create_transit_gateway_route(self, *args, **kwargs):
        route = create_tgw_route(self, *args, **kwargs)
        if isinstance(route.get("transitGatewayAttachments"), dict):  # the API's shape is a list
            route["transitGatewayAttachments"] = [route["transitGatewayAttachments"]]
        return route

    TransitGatewayRouteTableBackend.create_transit_gateway_route = create_transit_gateway_route  # type: ignore[method-assign]  # patches moto's class at run time
    TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment = delete_transit_gateway_vpc_attachment  # type: ignore[method-assign]  # patches moto's class at run time
    TransitGatewayBackend.describe_transit_gateways = describe_transit_gateways  # type: ignore[method-assign]  # patches moto's class at run time
    TransitGatewayRouteTableBackend.disassociate_transit_gateway_route_table = disassociate_transit_gateway_route_table  # type: ignore[method-assign]  # patches moto's class at run time
    # patches moto's class at run time
    disable_propagation = disable_transit_gateway_route_table_propagation
    TransitGatewayRouteTableBackend.disable_transit_gateway_route_table_propagation = disable_propagation  # type: ignore[method-assign]


def install() -> None:
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend
    from moto.ec2.responses import EC2Response

    if getattr(TransitGatewayAttachmentBackend, "_lz_shared", False):
        return
    TransitGatewayAttachmentBackend._lz_shared = True  # type: ignore[attr-defined]  # marks moto's patched code so it is patched once
    _patch_backends()
    add_actions(EC2Response, accept_transit_gateway_vpc_attachment)
    EC2Response.create_transit_gateway_vpc_attachment = create_transit_gateway_vpc_attachment  # type: ignore[method-assign]  # replaces moto's at run time
