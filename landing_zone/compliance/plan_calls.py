"""The AWS API calls a planned resource change implies, for the SCP simulator.

`CALLS[terraform type]` gives the actions terraform's AWS provider calls to
create the resource and to update it, and the ARN of the resource they act
on (a template over the planned values, `{account}` and `{region}`). Types
not listed here are reported as "not simulated", never passed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..guardrails.simulator import Request


@dataclass(frozen=True)
class Calls:
    create: tuple[str, ...]
    update: tuple[str, ...]
    arn: str = "*"


def _c(create: str, update: str = "", arn: str = "*") -> Calls:
    return Calls(tuple(create.split()), tuple((update or create).split()), arn)


S3 = "arn:aws:s3:::{bucket}"
ROLE = "arn:aws:iam::{account}:role/{role}"
CALLS: dict[str, Calls] = {
    "aws_s3_bucket": _c("s3:CreateBucket", "s3:PutBucketTagging", S3),
    "aws_s3_bucket_policy": _c("s3:PutBucketPolicy", arn=S3),
    "aws_s3_bucket_acl": _c("s3:PutBucketAcl", arn=S3),
    "aws_s3_bucket_versioning": _c("s3:PutBucketVersioning", arn=S3),
    "aws_s3_bucket_server_side_encryption_configuration": _c("s3:PutEncryptionConfiguration", arn=S3),
    "aws_s3_bucket_logging": _c("s3:PutBucketLogging", arn=S3),
    "aws_s3_bucket_lifecycle_configuration": _c("s3:PutLifecycleConfiguration", arn=S3),
    "aws_s3_bucket_replication_configuration": _c("s3:PutReplicationConfiguration", arn=S3),
    "aws_s3_bucket_public_access_block": _c("s3:PutBucketPublicAccessBlock", arn=S3),
    "aws_s3_account_public_access_block": _c("s3:PutAccountPublicAccessBlock"),
    "aws_cloudtrail": _c(
        "cloudtrail:CreateTrail cloudtrail:StartLogging",
        "cloudtrail:UpdateTrail",
        "arn:aws:cloudtrail:{region}:{account}:trail/{name}",
    ),
    "aws_config_configuration_recorder": _c("config:PutConfigurationRecorder"),
    "aws_config_configuration_recorder_status": _c("config:StartConfigurationRecorder", "config:StopConfigurationRecorder"),
    "aws_config_delivery_channel": _c("config:PutDeliveryChannel"),
    "aws_config_config_rule": _c("config:PutConfigRule", arn="arn:aws:config:{region}:{account}:config-rule/*"),
    "aws_iam_role": _c("iam:CreateRole", "iam:UpdateRole iam:UpdateAssumeRolePolicy", "arn:aws:iam::{account}:role{path}{name}"),
    "aws_iam_role_policy": _c("iam:PutRolePolicy", arn=ROLE),
    "aws_iam_role_policy_attachment": _c("iam:AttachRolePolicy", arn=ROLE),
    "aws_iam_user": _c("iam:CreateUser", "iam:UpdateUser", "arn:aws:iam::{account}:user{path}{name}"),
    "aws_iam_access_key": _c("iam:CreateAccessKey", "iam:UpdateAccessKey", "arn:aws:iam::{account}:user/{user}"),
    "aws_lambda_function": _c(
        "lambda:CreateFunction",
        "lambda:UpdateFunctionCode lambda:UpdateFunctionConfiguration",
        "arn:aws:lambda:{region}:{account}:function:{function_name}",
    ),
    "aws_lambda_permission": _c("lambda:AddPermission", arn="arn:aws:lambda:{region}:{account}:function:{function_name}"),
    "aws_sns_topic": _c("sns:CreateTopic", "sns:SetTopicAttributes", "arn:aws:sns:{region}:{account}:{name}"),
    "aws_sns_topic_subscription": _c("sns:Subscribe", "sns:SetSubscriptionAttributes", "{topic_arn}"),
    "aws_cloudwatch_log_group": _c(
        "logs:CreateLogGroup", "logs:PutRetentionPolicy", "arn:aws:logs:{region}:{account}:log-group:{name}"
    ),
    "aws_cloudwatch_event_rule": _c("events:PutRule", arn="arn:aws:events:{region}:{account}:rule/{name}"),
    "aws_cloudwatch_event_target": _c("events:PutTargets", arn="arn:aws:events:{region}:{account}:rule/{rule}"),
    "aws_vpc": _c("ec2:CreateVpc", "ec2:ModifyVpcAttribute"),
    "aws_subnet": _c("ec2:CreateSubnet", "ec2:ModifySubnetAttribute"),
    "aws_internet_gateway": _c("ec2:CreateInternetGateway ec2:AttachInternetGateway", "ec2:AttachInternetGateway"),
    "aws_internet_gateway_attachment": _c("ec2:AttachInternetGateway"),
    "aws_egress_only_internet_gateway": _c("ec2:CreateEgressOnlyInternetGateway"),
    "aws_nat_gateway": _c("ec2:CreateNatGateway"),
    "aws_vpn_connection": _c("ec2:CreateVpnConnection", "ec2:ModifyVpnConnection"),
    "aws_vpn_gateway": _c("ec2:CreateVpnGateway"),
    "aws_customer_gateway": _c("ec2:CreateCustomerGateway"),
    "aws_vpc_peering_connection": _c("ec2:CreateVpcPeeringConnection", "ec2:ModifyVpcPeeringConnectionOptions"),
    "aws_ec2_transit_gateway_vpc_attachment": _c("ec2:CreateTransitGatewayVpcAttachment"),
    "aws_security_group": _c("ec2:CreateSecurityGroup ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress"),
    "aws_security_group_rule": _c("ec2:AuthorizeSecurityGroupIngress"),
    "aws_vpc_security_group_ingress_rule": _c("ec2:AuthorizeSecurityGroupIngress"),
    "aws_instance": _c("ec2:RunInstances", "ec2:ModifyInstanceAttribute", "arn:aws:ec2:{region}:{account}:instance/*"),
    "aws_ebs_volume": _c("ec2:CreateVolume", "ec2:ModifyVolume"),
    "aws_db_instance": _c("rds:CreateDBInstance", "rds:ModifyDBInstance", "arn:aws:rds:{region}:{account}:db:{identifier}"),
    "aws_kms_key": _c("kms:CreateKey", "kms:PutKeyPolicy"),
    "aws_guardduty_detector": _c("guardduty:CreateDetector", "guardduty:UpdateDetector"),
    "aws_securityhub_account": _c("securityhub:EnableSecurityHub"),
}


def _instance_context(values: Mapping[str, Any]) -> dict[str, list[str]]:
    options = values.get("metadata_options") or [{}]
    tokens = (options[0] if isinstance(options, list) and options else {}).get("http_tokens")
    return {"ec2:MetadataHttpTokens": [tokens]} if tokens else {}


# Condition keys a call carries from the planned values (besides tags).
CONTEXT = {"aws_instance": _instance_context}
_FIELD = re.compile(r"\{(\w+)\}")


def _arn(template: str, values: Mapping[str, Any], account: str, region: str) -> str:
    def value(match: re.Match) -> str:
        key = match.group(1)
        if key == "account":
            return account
        if key == "region":
            return region
        found = values.get(key)
        if key == "path":
            return str(found or "/")
        if key == "role" and isinstance(found, str) and found.startswith("arn:"):
            return found.rsplit("/", 1)[-1]
        return str(found) if found not in (None, "") else "*"

    return _FIELD.sub(value, template)


def _tags(values: Mapping[str, Any]) -> dict[str, str]:
    tags = values.get("tags_all") or values.get("tags") or {}
    return {str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {}


def requests_for(
    resource_type: str, actions: tuple[str, ...], values: Mapping[str, Any], account: str, region: str, principal: str
) -> list[Request] | None:
    """The requests a change implies (None when the type is not in the table)."""
    calls = CALLS.get(resource_type)
    if calls is None:
        return None
    names = calls.create if "create" in actions else calls.update if "update" in actions else ()
    arn = _arn(calls.arn, values, account, region)
    tags = _tags(values)
    tag_kind = "aws:RequestTag" if "create" in actions else "aws:ResourceTag"
    context = {f"{tag_kind}/{k}": [v] for k, v in tags.items()}
    if tags:
        context["aws:TagKeys"] = list(tags)
    if resource_type in CONTEXT:
        context.update(CONTEXT[resource_type](values))
    return [Request(action, arn, principal, region, context) for action in names]
