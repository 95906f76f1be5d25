"""Deleting AWS's default VPCs: the `delete` mode of `organization.default_vpcs`, run by the account baseline.

AWS makes a default VPC in every region of every account, with an internet
gateway, one public subnet per zone, and an open default security group and
network ACL. Terraform cannot delete it as a steady state (`aws_default_vpc`
adopts or even re-creates it; only its own destroy removes it), so the
account baseline runs this step from a `terraform_data` resource of the
account's stack (constructs/default_vpcs.py), with the stack's own
credentials and the account's access role. Per region it:

- finds the default VPC (none: nothing to do, so a second run changes nothing);
- refuses when the VPC holds any network interface, naming each one (its
  status and description): something runs there, and deleting under it is
  not this step's call;
- detaches and deletes its internet gateways, deletes its subnets, then the
  VPC, which takes its main route table, default network ACL and default
  security group with it. Anything else someone added (another route table
  or security group, a VPN gateway) makes AWS refuse the VPC, and the error
  says so.

Run as `python -m landing_zone.live.default_vpcs --region R [--region R2]
[--role-arn ARN] [--endpoint http://127.0.0.1:PORT]`; exit 0 when every
region is clean, 1 with one line per refusal.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from ..derived.default_vpcs import ROLE_ARN_VAR

__all__ = ["ROLE_ARN_VAR", "DefaultVpcInUse", "RegionResult", "delete_default_vpc", "delete_default_vpcs", "main"]


class DefaultVpcInUse(RuntimeError):
    """A default VPC still holds network interfaces: not deleted."""


@dataclass
class RegionResult:
    """What the step found and did in one region."""

    region: str
    vpc_id: Optional[str] = None
    """The default VPC found (None: there was none)."""
    internet_gateways: list[str] = field(default_factory=list)
    subnets: list[str] = field(default_factory=list)
    deleted: bool = False

    def describe(self) -> str:
        if self.vpc_id is None:
            return f"{self.region}: no default VPC"
        gateways = ", ".join(self.internet_gateways) or "none"
        return f"{self.region}: deleted default VPC {self.vpc_id} (internet gateways: {gateways}; {len(self.subnets)} subnet(s))"


def default_vpc_id(ec2) -> Optional[str]:
    """The region's default VPC, or None."""
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    return vpcs[0]["VpcId"] if vpcs else None


def network_interfaces(ec2, vpc_id: str) -> list[dict]:
    """Every network interface in the VPC (an `available` one blocks the subnet's deletion too)."""
    pages = ec2.get_paginator("describe_network_interfaces").paginate(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    return [eni for page in pages for eni in page["NetworkInterfaces"]]


def delete_default_vpc(ec2, region: str) -> RegionResult:
    """Delete the region's default VPC with its internet gateways and subnets; DefaultVpcInUse when it holds
    network interfaces (nothing is deleted then)."""
    result = RegionResult(region=region, vpc_id=default_vpc_id(ec2))
    if result.vpc_id is None:
        return result
    vpc_id = result.vpc_id
    enis = network_interfaces(ec2, vpc_id)
    if enis:
        named = "; ".join(
            f"{e['NetworkInterfaceId']} ({e.get('Status', '?')}"
            + (f", {e['Description']}" if e.get("Description") else "")
            + (f", subnet {e['SubnetId']}" if e.get("SubnetId") else "")
            + ")"
            for e in sorted(enis, key=lambda e: e["NetworkInterfaceId"])
        )
        raise DefaultVpcInUse(
            f"{region}: default VPC {vpc_id} is in use by {len(enis)} network interface(s): {named}; "
            "not deleted: remove what uses them, or set organization.default_vpcs to lock or keep for this account"
        )
    gateways = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])
    for gateway in gateways["InternetGateways"]:
        gateway_id = gateway["InternetGatewayId"]
        ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
        ec2.delete_internet_gateway(InternetGatewayId=gateway_id)
        result.internet_gateways.append(gateway_id)
    for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
        result.subnets.append(subnet["SubnetId"])
    ec2.delete_vpc(VpcId=vpc_id)
    result.deleted = True
    return result


def ec2_clients(role_arn: Optional[str], endpoint: Optional[str]) -> Callable[[str], object]:
    """A factory of EC2 clients per region: the usual credentials, through `role_arn` when given; every call to
    `endpoint` when given (a local AWS API on 127.0.0.1 only)."""
    import boto3

    options: dict = {}
    if endpoint:
        from ..local_aws.endpoints import check_local_url

        options["endpoint_url"] = check_local_url(endpoint)
    session = boto3.Session()
    if role_arn:
        sts = session.client("sts", region_name=os.environ.get("AWS_REGION") or "us-east-1", **options)
        creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="landing-zone-default-vpcs")["Credentials"]
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
    return lambda region: session.client("ec2", region_name=region, **options)


def delete_default_vpcs(client_for: Callable[[str], object], regions: Sequence[str]) -> tuple[list[RegionResult], list[str]]:
    """Every region in turn (a refusal in one does not stop the others); the results and the refusals."""
    results, refusals = [], []
    for region in regions:
        try:
            results.append(delete_default_vpc(client_for(region), region))
        except DefaultVpcInUse as exc:
            refusals.append(str(exc))
    return results, refusals


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m landing_zone.live.default_vpcs",
        description="Delete the default VPC of each region (the account baseline's default_vpcs: delete).",
    )
    parser.add_argument("--region", action="append", required=True, help="a governed region (repeat for each)")
    parser.add_argument(
        "--role-arn",
        default=os.environ.get(ROLE_ARN_VAR) or None,
        help=f"role to assume in the account (default ${ROLE_ARN_VAR})",
    )
    parser.add_argument("--endpoint", default=None, help="a local AWS API on 127.0.0.1 (default: AWS)")
    parser.add_argument("--account", default="", help="account name, shown in messages")
    args = parser.parse_args(argv)
    import botocore.exceptions

    label = f"[{args.account}] " if args.account else ""
    try:
        results, refusals = delete_default_vpcs(ec2_clients(args.role_arn, args.endpoint), args.region)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError, ValueError) as exc:
        print(f"{label}default VPCs: {exc}", file=sys.stderr)
        return 1
    for result in results:
        print(f"{label}{result.describe()}")
    for refusal in refusals:
        print(f"{label}{refusal}", file=sys.stderr)
    return 1 if refusals else 0


if __name__ == "__main__":
    sys.exit(main())
