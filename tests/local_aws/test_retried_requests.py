"""The local server answers an SDK's repeated invocation once (additions/retried_requests.py), on a real
moto server: a create sent again returns the first answer instead of a conflict, a delete sent again
succeeds instead of failing on what it deleted, and requests of other invocations run as before."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from landing_zone.local_aws.server import LocalAws


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as running:
        yield running


def _ec2(server, invocation: str | None):
    client = boto3.client(
        "ec2", endpoint_url=server.url, region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t"
    )

    def same_invocation(request, **kwargs):
        if invocation is None:
            request.headers.pop("amz-sdk-invocation-id", None)
        else:
            request.headers["amz-sdk-invocation-id"] = invocation  # what an SDK's retry of one call carries

    client.meta.events.register("before-send.ec2.*", same_invocation)
    return client


def test_a_create_sent_again_gets_the_first_answer(server):
    vpc = _ec2(server, None).create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    retried = _ec2(server, "invocation-create-subnet")
    first = retried.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    assert retried.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"] == first
    subnets = _ec2(server, None).describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    assert [s["SubnetId"] for s in subnets] == [first]
    with pytest.raises(ClientError, match="InvalidSubnet.Conflict"):  # another call is not a repeat
        _ec2(server, "another-invocation").create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24")


def test_a_delete_sent_again_succeeds_and_calls_without_the_header_are_unchanged(server):
    plain = _ec2(server, None)
    gateway = plain.create_transit_gateway(Description="retried")["TransitGateway"]["TransitGatewayId"]
    retried = _ec2(server, "invocation-delete-tgw")
    retried.delete_transit_gateway(TransitGatewayId=gateway)
    retried.delete_transit_gateway(TransitGatewayId=gateway)  # moto alone: KeyError, HTTP 500
    other = plain.create_transit_gateway(Description="plain")["TransitGateway"]["TransitGatewayId"]
    plain.delete_transit_gateway(TransitGatewayId=other)
    with pytest.raises(ResponseParserError):  # without the header moto runs it again: its KeyError, an HTML 500
        plain.delete_transit_gateway(TransitGatewayId=other)
