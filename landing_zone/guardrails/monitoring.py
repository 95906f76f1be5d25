"""CIS AWS Foundations v3.0.0 section 4 (monitoring): metric filters on the organization trail's log group.

Pure Python (no cdktf). Each filter is an expression tree that renders to the
CloudWatch Logs JSON filter-pattern syntax (`render`) and that the tests
evaluate against CloudTrail records (`matches`), so the pattern deployed is
the pattern tested. The event names follow the benchmark's audit procedures
(CIS v3.0.0, 4.1-4.15); 4.1 groups the OR of error codes before the ANDs, as
the benchmark intends (its printed pattern lacks the parentheses).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Union

NAMESPACE = "CISBenchmark"
"""CloudWatch namespace of the metrics the filters emit."""


@dataclass(frozen=True)
class Field:
    """`$.path = "value"` (a trailing or leading `*` is a wildcard), `!=`, or `NOT EXISTS`."""

    path: str
    op: str
    value: str = ""

    def render(self) -> str:
        if self.op == "NOT EXISTS":
            return f"($.{self.path} NOT EXISTS)"
        return f'($.{self.path} {self.op} "{self.value}")'

    def matches(self, event: dict) -> bool:
        found = _lookup(event, self.path)
        if self.op == "NOT EXISTS":
            return found is _MISSING
        if found is _MISSING or isinstance(found, (dict, list)):
            return False
        equal = fnmatchcase(str(found), self.value)
        return equal if self.op == "=" else not equal


@dataclass(frozen=True)
class AnyOf:
    terms: tuple[Expression, ...]

    def render(self) -> str:
        return "(" + " || ".join(t.render() for t in self.terms) + ")"

    def matches(self, event: dict) -> bool:
        return any(t.matches(event) for t in self.terms)


@dataclass(frozen=True)
class AllOf:
    terms: tuple[Expression, ...]

    def render(self) -> str:
        return "(" + " && ".join(t.render() for t in self.terms) + ")"

    def matches(self, event: dict) -> bool:
        return all(t.matches(event) for t in self.terms)


Expression = Union[Field, AnyOf, AllOf]
_MISSING = object()


def _lookup(event: dict, path: str) -> Any:
    node: Any = event
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _source_and_names(source: str, *names: str) -> AllOf:
    return AllOf((Field("eventSource", "=", source), AnyOf(tuple(Field("eventName", "=", n) for n in names))))


@dataclass(frozen=True)
class MetricFilter:
    cis_id: str
    """The recommendation it implements (4.1 ... 4.15)."""
    key: str
    """Stable key: the metric's and the construct ids' suffix."""
    title: str
    expression: Expression

    @property
    def pattern(self) -> str:
        """The CloudWatch Logs filter pattern."""
        return "{ " + self.expression.render() + " }"

    @property
    def metric_name(self) -> str:
        return "".join(part.capitalize() for part in self.key.split("_"))

    def matches(self, record: dict) -> bool:
        """Whether a CloudTrail record (as the trail writes it to the log group) matches."""
        return self.expression.matches(record)


CIS_METRIC_FILTERS: tuple[MetricFilter, ...] = (
    MetricFilter(
        "4.1",
        "unauthorized_api_calls",
        "Unauthorized API calls",
        AllOf(
            (
                AnyOf((Field("errorCode", "=", "*UnauthorizedOperation"), Field("errorCode", "=", "AccessDenied*"))),
                Field("sourceIPAddress", "!=", "delivery.logs.amazonaws.com"),
                Field("eventName", "!=", "HeadBucket"),
            )
        ),
    ),
    MetricFilter(
        "4.2",
        "console_signin_without_mfa",
        "Management console sign-in without MFA",
        AllOf(
            (
                Field("eventName", "=", "ConsoleLogin"),
                Field("additionalEventData.MFAUsed", "!=", "Yes"),
                Field("userIdentity.type", "=", "IAMUser"),
                Field("responseElements.ConsoleLogin", "=", "Success"),
            )
        ),
    ),
    MetricFilter(
        "4.3",
        "root_usage",
        "Usage of the root user",
        AllOf(
            (
                Field("userIdentity.type", "=", "Root"),
                Field("userIdentity.invokedBy", "NOT EXISTS"),
                Field("eventType", "!=", "AwsServiceEvent"),
            )
        ),
    ),
    MetricFilter(
        "4.4",
        "iam_policy_changes",
        "IAM policy changes",
        _source_and_names(
            "iam.amazonaws.com",
            "DeleteGroupPolicy",
            "DeleteRolePolicy",
            "DeleteUserPolicy",
            "PutGroupPolicy",
            "PutRolePolicy",
            "PutUserPolicy",
            "CreatePolicy",
            "DeletePolicy",
            "CreatePolicyVersion",
            "DeletePolicyVersion",
            "SetDefaultPolicyVersion",
            "AttachRolePolicy",
            "DetachRolePolicy",
            "AttachUserPolicy",
            "DetachUserPolicy",
            "AttachGroupPolicy",
            "DetachGroupPolicy",
        ),
    ),
    MetricFilter(
        "4.5",
        "cloudtrail_changes",
        "CloudTrail configuration changes",
        _source_and_names(
            "cloudtrail.amazonaws.com",
            "CreateTrail",
            "UpdateTrail",
            "DeleteTrail",
            "StartLogging",
            "StopLogging",
            "PutEventSelectors",
        ),
    ),
    MetricFilter(
        "4.6",
        "console_authentication_failures",
        "Management console authentication failures",
        AllOf((Field("eventName", "=", "ConsoleLogin"), Field("errorMessage", "=", "Failed authentication"))),
    ),
    MetricFilter(
        "4.7",
        "kms_key_disable_or_deletion",
        "Disabling or scheduled deletion of KMS keys",
        _source_and_names("kms.amazonaws.com", "DisableKey", "ScheduleKeyDeletion"),
    ),
    MetricFilter(
        "4.8",
        "s3_bucket_policy_changes",
        "S3 bucket policy changes",
        _source_and_names(
            "s3.amazonaws.com",
            "PutBucketAcl",
            "PutBucketPolicy",
            "PutBucketCors",
            "PutBucketLifecycle",
            "PutBucketReplication",
            "DeleteBucketPolicy",
            "DeleteBucketCors",
            "DeleteBucketLifecycle",
            "DeleteBucketReplication",
        ),
    ),
    MetricFilter(
        "4.9",
        "config_changes",
        "AWS Config configuration changes",
        _source_and_names(
            "config.amazonaws.com",
            "StopConfigurationRecorder",
            "DeleteDeliveryChannel",
            "PutDeliveryChannel",
            "PutConfigurationRecorder",
        ),
    ),
    MetricFilter(
        "4.10",
        "security_group_changes",
        "Security group changes",
        _source_and_names(
            "ec2.amazonaws.com",
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup",
        ),
    ),
    MetricFilter(
        "4.11",
        "nacl_changes",
        "Network ACL changes",
        _source_and_names(
            "ec2.amazonaws.com",
            "CreateNetworkAcl",
            "CreateNetworkAclEntry",
            "DeleteNetworkAcl",
            "DeleteNetworkAclEntry",
            "ReplaceNetworkAclEntry",
            "ReplaceNetworkAclAssociation",
        ),
    ),
    MetricFilter(
        "4.12",
        "network_gateway_changes",
        "Network gateway changes",
        _source_and_names(
            "ec2.amazonaws.com",
            "CreateCustomerGateway",
            "DeleteCustomerGateway",
            "AttachInternetGateway",
            "CreateInternetGateway",
            "DeleteInternetGateway",
            "DetachInternetGateway",
        ),
    ),
    MetricFilter(
        "4.13",
        "route_table_changes",
        "Route table changes",
        _source_and_names(
            "ec2.amazonaws.com",
            "CreateRoute",
            "CreateRouteTable",
            "ReplaceRoute",
            "ReplaceRouteTableAssociation",
            "DeleteRouteTable",
            "DeleteRoute",
            "DisassociateRouteTable",
        ),
    ),
    MetricFilter(
        "4.14",
        "vpc_changes",
        "VPC changes",
        _source_and_names(
            "ec2.amazonaws.com",
            "CreateVpc",
            "DeleteVpc",
            "ModifyVpcAttribute",
            "AcceptVpcPeeringConnection",
            "CreateVpcPeeringConnection",
            "DeleteVpcPeeringConnection",
            "RejectVpcPeeringConnection",
            "AttachClassicLinkVpc",
            "DetachClassicLinkVpc",
            "DisableVpcClassicLink",
            "EnableVpcClassicLink",
        ),
    ),
    MetricFilter(
        "4.15",
        "organizations_changes",
        "AWS Organizations changes",
        _source_and_names(
            "organizations.amazonaws.com",
            # The benchmark's 18 events plus CancelHandshake, CreateOrganization and EnableAllFeatures, which
            # change the organization as much; in the order Prowler's check (cloudwatch_log_metric_filter_aws_
            # organizations_changes) expects them, as its pattern is one regular expression over the filter.
            "AcceptHandshake",
            "AttachPolicy",
            "CancelHandshake",
            "CreateAccount",
            "CreateOrganization",
            "CreateOrganizationalUnit",
            "CreatePolicy",
            "DeclineHandshake",
            "DeleteOrganization",
            "DeleteOrganizationalUnit",
            "DeletePolicy",
            "EnableAllFeatures",
            "EnablePolicyType",
            "InviteAccountToOrganization",
            "LeaveOrganization",
            "DetachPolicy",
            "DisablePolicyType",
            "MoveAccount",
            "RemoveAccountFromOrganization",
            "UpdateOrganizationalUnit",
            "UpdatePolicy",
        ),
    ),
)


def cis_metric_filters() -> tuple[MetricFilter, ...]:
    return CIS_METRIC_FILTERS
