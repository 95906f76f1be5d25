"""Direct Connect gateways and their associations with transit gateways.

moto 5.2 has Direct Connect connections and LAGs only. AWS (Direct Connect
user guide, "Direct Connect gateways", "Transit gateway associations"): a
gateway has a name and an Amazon-side ASN; associating it with a transit
gateway, with allowed prefixes, gives the transit gateway a
`direct-connect-gateway` attachment. Associations are reported `associated`
at once and their attachment is removed with them.
"""

from __future__ import annotations

import json
import uuid
from typing import Optional

from ._helpers import add_actions, json_error, state
from .transit_gateways import drop_default_association


def _dx(self) -> dict:
    return state(self.directconnect_backend, "dx")


def _params(self) -> dict:
    return json.loads(self.body or "{}")


def _gateways(self) -> dict:
    return _dx(self).setdefault("gateways", {})


def _associations(self) -> dict:
    return _dx(self).setdefault("associations", {})


def _gateway(self, gateway_id: str) -> dict:
    try:
        return _gateways(self)[gateway_id]
    except KeyError:
        raise json_error("DirectConnectClientException", f"Direct Connect gateway {gateway_id} does not exist") from None


def _public(association: dict) -> dict:
    return {k: v for k, v in association.items() if not k.startswith("_")}


def _tgw_owner(tgw_id: Optional[str]):
    from moto.ec2.models import ec2_backends

    for regions in list(ec2_backends.values()):
        for backend in list(dict.values(regions)):
            if tgw_id in backend.transit_gateways:
                return backend
    return None


def create_direct_connect_gateway(self) -> str:
    p = _params(self)
    gateway = {
        "directConnectGatewayId": str(uuid.uuid4()),
        "directConnectGatewayName": p["directConnectGatewayName"],
        "amazonSideAsn": int(p.get("amazonSideAsn", 64512)),
        "ownerAccount": self.current_account,
        "directConnectGatewayState": "available",
    }
    _gateways(self)[gateway["directConnectGatewayId"]] = gateway
    return json.dumps({"directConnectGateway": gateway})


def describe_direct_connect_gateways(self) -> str:
    wanted = _params(self).get("directConnectGatewayId")
    found = [g for g in _gateways(self).values() if wanted in (None, g["directConnectGatewayId"])]
    return json.dumps({"directConnectGateways": found})


def update_direct_connect_gateway(self) -> str:
    p = _params(self)
    gateway = _gateway(self, p["directConnectGatewayId"])
    gateway["directConnectGatewayName"] = p.get("newDirectConnectGatewayName", gateway["directConnectGatewayName"])
    return json.dumps({"directConnectGateway": gateway})


def delete_direct_connect_gateway(self) -> str:
    gateway_id = _params(self)["directConnectGatewayId"]
    gateway = _gateway(self, gateway_id)
    if any(a["directConnectGatewayId"] == gateway_id for a in _associations(self).values()):
        raise json_error("DirectConnectClientException", f"Direct Connect gateway {gateway_id} has associations")
    del _gateways(self)[gateway_id]
    return json.dumps({"directConnectGateway": {**gateway, "directConnectGatewayState": "deleted"}})


def create_direct_connect_gateway_association(self) -> str:
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachment

    p = _params(self)
    gateway = _gateway(self, p["directConnectGatewayId"])
    tgw_id = p.get("gatewayId") or p.get("virtualGatewayId")
    owner = _tgw_owner(tgw_id)
    association = {
        "associationId": str(uuid.uuid4()),
        "associationState": "associated",
        "directConnectGatewayId": gateway["directConnectGatewayId"],
        "directConnectGatewayOwnerAccount": gateway["ownerAccount"],
        "associatedGateway": {
            "id": tgw_id,
            "type": "transitGateway",
            "ownerAccount": owner.account_id if owner else self.current_account,
            "region": owner.region_name if owner else self.region,
        },
        "allowedPrefixesToDirectConnectGateway": [
            {"cidr": c["cidr"]} for c in p.get("addAllowedPrefixesToDirectConnectGateway", [])
        ],
    }
    if owner is not None:  # the transit gateway's side: an attachment of type direct-connect-gateway
        attachment = TransitGatewayAttachment(
            owner,
            resource_id=gateway["directConnectGatewayId"],
            resource_type="direct-connect-gateway",
            transit_gateway=owner.transit_gateways[tgw_id],
        )
        owner.transit_gateway_attachments[attachment.id] = attachment
        drop_default_association(owner, attachment)
        association["_attachment"] = (owner, attachment.id)
    _associations(self)[association["associationId"]] = association
    return json.dumps({"directConnectGatewayAssociation": _public(association)})


def describe_direct_connect_gateway_associations(self) -> str:
    p = _params(self)
    keys = {
        "associationId": lambda a: a["associationId"],
        "directConnectGatewayId": lambda a: a["directConnectGatewayId"],
        "associatedGatewayId": lambda a: a["associatedGateway"]["id"],
        "virtualGatewayId": lambda a: a["associatedGateway"]["id"],
    }
    found = [a for a in _associations(self).values() if all(get(a) == p[key] for key, get in keys.items() if p.get(key))]
    return json.dumps({"directConnectGatewayAssociations": [_public(a) for a in found]})


def update_direct_connect_gateway_association(self) -> str:
    p = _params(self)
    association = _associations(self)[p["associationId"]]
    gone = {c["cidr"] for c in p.get("removeAllowedPrefixesToDirectConnectGateway", [])}
    kept = [c["cidr"] for c in association["allowedPrefixesToDirectConnectGateway"] if c["cidr"] not in gone]
    added = [c["cidr"] for c in p.get("addAllowedPrefixesToDirectConnectGateway", [])]
    association["allowedPrefixesToDirectConnectGateway"] = [{"cidr": c} for c in dict.fromkeys(kept + added)]
    return json.dumps({"directConnectGatewayAssociation": _public(association)})


def delete_direct_connect_gateway_association(self) -> str:
    p = _params(self)
    associations = _associations(self)
    association_id = p.get("associationId") or next(
        (
            a["associationId"]
            for a in associations.values()
            if a["directConnectGatewayId"] == p.get("directConnectGatewayId")
            and a["associatedGateway"]["id"] == p.get("virtualGatewayId")
        ),
        None,
    )
    if association_id not in associations:
        raise json_error("DirectConnectClientException", f"association {association_id} does not exist")
    association = associations.pop(association_id)
    if "_attachment" in association:
        owner, attachment_id = association["_attachment"]
        owner.transit_gateway_attachments.pop(attachment_id, None)
    return json.dumps({"directConnectGatewayAssociation": {**_public(association), "associationState": "disassociated"}})


def describe_direct_connect_gateway_attachments(self) -> str:
    return json.dumps({"directConnectGatewayAttachments": []})  # virtual interfaces are not modelled here


def install() -> None:
    from moto.directconnect.responses import DirectConnectResponse

    add_actions(
        DirectConnectResponse,
        create_direct_connect_gateway,
        describe_direct_connect_gateways,
        update_direct_connect_gateway,
        delete_direct_connect_gateway,
        create_direct_connect_gateway_association,
        describe_direct_connect_gateway_associations,
        update_direct_connect_gateway_association,
        delete_direct_connect_gateway_association,
        describe_direct_connect_gateway_attachments,
    )
