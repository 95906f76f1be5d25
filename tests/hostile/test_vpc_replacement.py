"""A VPC whose CIDR changes is replaced with everything in it (issue 23 A.3): `lz diff` blocks the config
change and `lz plan-review` blocks the plan, under the same rule (`vpc-delete`), so one --allow covers both."""

from __future__ import annotations

import json

import pytest

from landing_zone.review.review import review_plans


def _resource(address: str, values: dict) -> dict:
    rtype, name = address.split(".")
    return {"address": address, "mode": "managed", "type": rtype, "name": name, "values": values, "sensitive_values": {}}


def _plan(actions: list[str], users: list[tuple[str, dict]]) -> dict:
    vpc = {"id": "vpc-0a1b", "cidr_block": "10.10.0.0/16", "tags": {"Name": "payments-prod"}}
    change = {
        "address": "aws_vpc.spoke",
        "mode": "managed",
        "type": "aws_vpc",
        "name": "spoke",
        "change": {
            "actions": actions,
            "before": vpc,
            "after": {**vpc, "cidr_block": "10.99.0.0/16"} if "create" in actions else None,
            "after_unknown": {},
            "before_sensitive": {},
            "after_sensitive": {},
        },
    }
    resources = [_resource("aws_vpc.spoke", vpc)] + [_resource(a, v) for a, v in users]
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "prior_state": {"values": {"root_module": {"resources": resources}}},
        "resource_changes": [change],
    }


SUBNET = ("aws_subnet.private_a", {"id": "subnet-1", "vpc_id": "vpc-0a1b"})
ATTACHMENT = ("aws_ec2_transit_gateway_vpc_attachment.spoke", {"id": "tgw-attach-1", "vpc_id": "vpc-0a1b"})
ELSEWHERE = ("aws_subnet.other", {"id": "subnet-2", "vpc_id": "vpc-other"})


@pytest.mark.parametrize(
    "actions", [["delete", "create"], ["create", "delete"], ["delete"]], ids=["replace", "create-first", "delete"]
)
def test_a_vpc_replaced_or_deleted_with_subnets_or_attachments_blocks(tmp_path, actions):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan(actions, [SUBNET, ATTACHMENT, ELSEWHERE])), encoding="utf-8")
    (danger,) = review_plans([f"account-payments-prod={path}"]).dangers
    assert danger.rule == "vpc-delete" and danger.address == "aws_vpc.spoke"
    assert "VPC vpc-0a1b that still has attachments" in danger.message
    assert "aws_ec2_transit_gateway_vpc_attachment.spoke" in danger.message and "aws_subnet.private_a" in danger.message
    assert "aws_subnet.other" not in danger.message


def test_an_empty_vpc_may_go(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan(["delete"], [ELSEWHERE])), encoding="utf-8")
    assert not review_plans([f"account-payments-prod={path}"]).dangers
