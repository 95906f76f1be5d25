"""`lz simulate`: the example's effective SCPs evaluated for requests, table-driven."""

from __future__ import annotations

import json

import pytest

from landing_zone.cli.main import main
from landing_zone.guardrails.conditions import condition_holds, conditions_hold
from landing_zone.guardrails.enabled import sid_for
from landing_zone.guardrails.simulator import AttachedPolicy, Request, account_id, evaluate, simulate
from landing_zone.guardrails.targets import ROOT, Target

from .conftest import EXAMPLE

TRAIL = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/acme-organization-trail"
LOG_BUCKET = "arn:aws:s3:::acme-log-archive-111122223333"
DEPLOY = "arn:aws:iam::111122223333:role/LandingZoneDeployment"
ACCESS = "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"  # what member-account stacks assume
TAGGED = {"aws:ResourceTag/lz:managed-by": ["landing-zone"]}
INSTANCE = "arn:aws:ec2:eu-west-1:111122223333:instance/*"

# account, action, resource, principal (None: a Developer role; "root"), region (None: home), context, verdict, deciding control
CASES = [
    ("web-prod", "cloudtrail:StopLogging", TRAIL, None, None, {}, "DENIED", "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED"),
    ("web-prod", "cloudtrail:StopLogging", TRAIL, ACCESS, None, {}, "ALLOWED", None),
    # A member account's role named like the deployment role is not exempt (issue 24.6): the deployment role
    # runs only in the management account, where SCPs never apply.
    ("web-prod", "cloudtrail:StopLogging", TRAIL, DEPLOY, None, {}, "DENIED", "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED"),
    (
        "web-prod",
        "cloudtrail:StopLogging",
        "arn:aws:cloudtrail:eu-west-1:111122223333:trail/team-trail",
        None,
        None,
        {},
        "ALLOWED",
        None,
    ),
    ("web-prod", "CloudTrail:stoplogging", TRAIL, None, None, {}, "DENIED", "AWS-GR_CLOUDTRAIL_ENABLED"),
    (
        "log-archive",
        "s3:PutBucketPolicy",
        LOG_BUCKET,
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED",
    ),
    ("log-archive", "s3:PutBucketPolicy", LOG_BUCKET, ACCESS, None, {}, "ALLOWED", None),
    ("log-archive", "s3:PutBucketPolicy", LOG_BUCKET, ACCESS, None, {}, "ALLOWED", None),
    ("web-prod", "config:StopConfigurationRecorder", "*", ACCESS, None, {}, "ALLOWED", None),
    ("web-prod", "config:StopConfigurationRecorder", "*", None, None, {}, "DENIED", "AWS-GR_CONFIG_CHANGE_PROHIBITED"),
    (
        "log-archive",
        "s3:PutBucketPolicy",
        "arn:aws:s3:::app-bucket",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED",
    ),
    ("audit", "s3:PutBucketPolicy", "arn:aws:s3:::app-bucket", None, None, {}, "ALLOWED", None),
    (
        "audit",
        "s3:PutLifecycleConfiguration",
        LOG_BUCKET,
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_CT_AUDIT_BUCKET_LIFECYCLE_CONFIGURATION_CHANGES_PROHIBITED",
    ),
    (
        "log-archive",
        "s3:DeleteBucket",
        LOG_BUCKET,
        None,
        None,
        {"aws:MultiFactorAuthPresent": ["true"]},
        "DENIED",
        "AWS-GR_AUDIT_BUCKET_DELETION_PROHIBITED",
    ),
    ("log-archive", "s3:DeleteObject", LOG_BUCKET + "/key", None, None, {}, "DENIED", "AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA"),
    (
        "log-archive",
        "s3:DeleteObject",
        LOG_BUCKET + "/key",
        None,
        None,
        {"aws:MultiFactorAuthPresent": ["true"]},
        "ALLOWED",
        None,
    ),
    ("web-prod", "ec2:RunInstances", "*", None, "us-east-2", {}, "DENIED", "AWS-GR_REGION_DENY"),
    ("policy-staging", "ec2:RunInstances", "*", ACCESS, "us-east-2", {}, "ALLOWED", None),
    ("web-prod", "iam:ListRoles", "*", None, "us-east-2", {}, "ALLOWED", None),
    ("web-prod", "sts:AssumeRole", "*", None, "ap-southeast-2", {}, "ALLOWED", None),
    ("web-prod", "ec2:DescribeRegions", "*", None, "us-east-2", {}, "ALLOWED", None),
    ("web-prod", "s3:GetObject", "*", None, "eu-central-1", {}, "ALLOWED", None),
    ("web-prod", "iam:CreateAccessKey", "*", "root", None, {}, "DENIED", "AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS"),
    ("web-prod", "s3:ListBucket", "*", "root", None, {}, "DENIED", "AWS-GR_RESTRICT_ROOT_USER"),
    ("management", "iam:CreateAccessKey", "*", "root", None, {}, "ALLOWED", None),
    ("web-prod", "ec2:RunInstances", INSTANCE, None, None, {}, "DENIED", "LZ-EC2-REQUIRE-IMDSV2"),
    ("web-prod", "ec2:RunInstances", INSTANCE, None, None, {"ec2:MetadataHttpTokens": ["required"]}, "ALLOWED", None),
    (
        "network",
        "ec2:RunInstances",
        INSTANCE,
        None,
        None,
        {"ec2:MetadataHttpTokens": ["optional"]},
        "DENIED",
        "LZ-EC2-REQUIRE-IMDSV2",
    ),
    ("sandbox-dev1", "ec2:RunInstances", INSTANCE, None, None, {}, "ALLOWED", None),
    ("web-prod", "ec2:CreateInternetGateway", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS"),
    ("network", "ec2:CreateInternetGateway", "*", None, None, {}, "ALLOWED", None),
    ("sandbox-dev1", "ec2:CreateVpnConnection", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPN_CONNECTIONS"),
    ("network", "ec2:CreateVpnConnection", "*", None, None, {}, "ALLOWED", None),
    (
        "web-nonprod",
        "ec2:CreateTransitGatewayPeeringAttachment",
        "*",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING",
    ),
    ("payments-prod", "organizations:LeaveOrganization", "*", None, None, {}, "DENIED", "LZ-ORG-DENY-LEAVE"),
    ("payments-prod", "organizations:LeaveOrganization", "*", DEPLOY, None, {}, "DENIED", "LZ-ORG-DENY-LEAVE"),
    ("audit", "guardduty:DeleteDetector", "*", None, None, {}, "DENIED", "LZ-GUARDDUTY-DISABLE-PROHIBITED"),
    ("audit", "guardduty:DeleteDetector", "*", ACCESS, None, {}, "ALLOWED", None),
    ("audit", "securityhub:DisableSecurityHub", "*", None, None, {}, "DENIED", "LZ-SECURITYHUB-DISABLE-PROHIBITED"),
    ("shared-services", "access-analyzer:DeleteAnalyzer", "*", None, None, {}, "DENIED", "LZ-ACCESS-ANALYZER-DELETE-PROHIBITED"),
    ("web-prod", "config:StopConfigurationRecorder", "*", None, None, {}, "DENIED", "AWS-GR_CONFIG_CHANGE_PROHIBITED"),
    ("web-prod", "config:PutConfigRule", "*", None, None, TAGGED, "DENIED", "AWS-GR_CONFIG_RULE_CHANGE_PROHIBITED"),
    ("web-prod", "config:PutConfigRule", "*", None, None, {}, "ALLOWED", None),
    (
        "web-prod",
        "config:TagResource",
        "*",
        None,
        None,
        {"aws:TagKeys": ["team", "lz:managed-by"]},
        "DENIED",
        "AWS-GR_CONFIG_AGGREGATION_CHANGE_PROHIBITED",
    ),
    ("web-prod", "config:TagResource", "*", None, None, {"aws:TagKeys": ["team"]}, "ALLOWED", None),
    (
        "web-prod",
        "config:DeleteAggregationAuthorization",
        "arn:aws:config:eu-west-1:111122223333:aggregation-authorization/222233334444/eu-west-1",
        None,
        None,
        TAGGED,
        "DENIED",
        "AWS-GR_CONFIG_AGGREGATION_AUTHORIZATION_POLICY",
    ),
    (
        "web-prod",
        "iam:DeleteRole",
        "arn:aws:iam::111122223333:role/acme-lz-config-recorder",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_IAM_ROLE_CHANGE_PROHIBITED",
    ),
    (
        "web-prod",
        "iam:UpdateAssumeRolePolicy",
        "arn:aws:iam::111122223333:role/LandingZoneDeployment",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_IAM_ROLE_CHANGE_PROHIBITED",
    ),
    ("web-prod", "iam:DeleteRole", "arn:aws:iam::111122223333:role/app-role", None, None, {}, "ALLOWED", None),
    (
        "web-prod",
        "lambda:UpdateFunctionCode",
        "arn:aws:lambda:eu-west-1:111122223333:function:acme-lz-remediate",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_LAMBDA_CHANGE_PROHIBITED",
    ),
    (
        "web-prod",
        "sns:Subscribe",
        "arn:aws:sns:eu-west-1:111122223333:acme-lz-security-notifications",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_SNS_SUBSCRIPTION_CHANGE_PROHIBITED",
    ),
    (
        "web-prod",
        "sns:DeleteTopic",
        "arn:aws:sns:eu-west-1:111122223333:acme-lz-security-notifications",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_SNS_CHANGE_PROHIBITED",
    ),
    (
        "web-prod",
        "logs:DeleteLogGroup",
        "arn:aws:logs:eu-west-1:111122223333:log-group:acme-lz-cloudtrail:*",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_LOG_GROUP_POLICY",
    ),
    (
        "web-prod",
        "events:DeleteRule",
        "arn:aws:events:eu-west-1:111122223333:rule/acme-lz-guardduty-findings",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_CLOUDWATCH_EVENTS_CHANGE_PROHIBITED",
    ),
    ("web-prod", "cloudformation:RegisterType", "*", None, None, {}, "DENIED", "LZ-CFN-REGISTRY-CHANGES-PROHIBITED"),
    # Issue 24.7: the account public access block is kept from the root, in every member account.
    (
        "sandbox-dev1",
        "s3:PutAccountPublicAccessBlock",
        "*",
        None,
        None,
        {},
        "DENIED",
        "LZ-S3-ACCOUNT-PUBLIC-ACCESS-BLOCK-CHANGES-PROHIBITED",
    ),
    (
        "web-prod",
        "s3:PutAccountPublicAccessBlock",
        "*",
        None,
        "us-east-2",
        {},
        "DENIED",
        "LZ-S3-ACCOUNT-PUBLIC-ACCESS-BLOCK-CHANGES-PROHIBITED",
    ),
    (
        "network",
        "s3:PutAccountPublicAccessBlock",
        "*",
        None,
        None,
        {},
        "DENIED",
        "LZ-S3-ACCOUNT-PUBLIC-ACCESS-BLOCK-CHANGES-PROHIBITED",
    ),
    (
        "log-archive",
        "s3:PutAccountPublicAccessBlock",
        "*",
        None,
        None,
        {},
        "DENIED",
        "LZ-S3-ACCOUNT-PUBLIC-ACCESS-BLOCK-CHANGES-PROHIBITED",
    ),
]

# Issue 22: the controls fixed to decide as Control Tower publishes them, in both directions.
FN = "arn:aws:lambda:eu-west-1:111122223333:function:"
ESM = "arn:aws:lambda:eu-west-1:111122223333:event-source-mapping:1f2e3d4c"
FIDELITY_CASES = [
    # AWS-GR_DISALLOW_VPC_INTERNET_ACCESS (Workloads): a default VPC brings an internet gateway and public subnets.
    ("payments-prod", "ec2:CreateDefaultVpc", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS"),
    ("payments-prod", "ec2:CreateDefaultSubnet", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS"),
    ("payments-prod", "ec2:CreateCarrierGateway", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS"),
    (
        "payments-prod",
        "ec2:CreateEgressOnlyInternetGateway",
        "*",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS",
    ),
    ("payments-prod", "ec2:CreateDefaultVpc", "*", ACCESS, None, {}, "ALLOWED", None),
    # Peering and accelerators are not internet access: the cross-region control (also on Workloads) decides them.
    ("payments-prod", "ec2:CreateVpcPeeringConnection", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING"),
    (
        "payments-prod",
        "globalaccelerator:CreateAccelerator",
        "*",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING",
    ),
    # AWS-GR_DISALLOW_VPN_CONNECTIONS (Sandbox has only this one of the three network controls).
    ("sandbox-dev1", "ec2:ModifyVpnConnection", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPN_CONNECTIONS"),
    ("sandbox-dev1", "ec2:CreateClientVpnEndpoint", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPN_CONNECTIONS"),
    ("sandbox-dev1", "ec2:ModifyClientVpnEndpoint", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPN_CONNECTIONS"),
    ("sandbox-dev1", "ec2:AssociateClientVpnTargetNetwork", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPN_CONNECTIONS"),
    ("sandbox-dev1", "ec2:AuthorizeClientVpnIngress", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPN_CONNECTIONS"),
    ("sandbox-dev1", "ec2:CreateVPNGateway", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_VPN_CONNECTIONS"),
    ("sandbox-dev1", "ec2:EnableVgwRoutePropagation", "*", None, None, {}, "ALLOWED", None),
    ("sandbox-dev1", "ec2:CreateVpnConnectionRoute", "*", None, None, {}, "ALLOWED", None),
    ("sandbox-dev1", "ec2:CreateVpcPeeringConnection", "*", None, None, {}, "ALLOWED", None),
    ("sandbox-dev1", "globalaccelerator:CreateAccelerator", "*", None, None, {}, "ALLOWED", None),
    # AWS-GR_DISALLOW_CROSS_REGION_NETWORKING: existing distributions and accelerators cannot be re-pointed either.
    ("payments-prod", "cloudfront:UpdateDistribution", "*", None, None, {}, "DENIED", "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING"),
    (
        "payments-prod",
        "globalaccelerator:UpdateListener",
        "*",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING",
    ),
    (
        "payments-prod",
        "globalaccelerator:CreateEndpointGroup",
        "*",
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING",
    ),
    ("payments-prod", "globalaccelerator:DescribeAccelerator", "*", None, None, {}, "ALLOWED", None),
    ("payments-prod", "cloudfront:GetDistribution", "*", None, None, {}, "ALLOWED", None),
    # AWS-GR_REGION_DENY: AWS's 86 exemptions stay usable outside the governed regions; the rest does not.
    ("payments-prod", "ecr-public:GetAuthorizationToken", "*", None, "us-east-1", {}, "ALLOWED", None),
    ("payments-prod", "s3:CreateMultiRegionAccessPoint", "*", None, "us-west-2", {}, "ALLOWED", None),
    ("payments-prod", "s3:GetStorageLensConfiguration", "*", None, "us-east-1", {}, "ALLOWED", None),
    ("payments-prod", "resource-explorer-2:Search", "*", None, "us-east-1", {}, "ALLOWED", None),
    ("payments-prod", "notifications:ListChannels", "*", None, "us-east-1", {}, "ALLOWED", None),
    ("payments-prod", "supportplans:GetSupportPlan", "*", None, "us-east-1", {}, "ALLOWED", None),
    ("payments-prod", "sustainability:GetCarbonFootprintSummary", "*", None, "us-east-1", {}, "ALLOWED", None),
    ("payments-prod", "lightsail:GetRegions", "*", None, "us-east-1", {}, "ALLOWED", None),
    ("payments-prod", "lightsail:CreateInstances", "*", None, "us-east-1", {}, "DENIED", "AWS-GR_REGION_DENY"),
    ("payments-prod", "ecr:GetAuthorizationToken", "*", None, "us-east-1", {}, "DENIED", "AWS-GR_REGION_DENY"),
    # AWS-GR_LAMBDA_CHANGE_PROHIBITED: event source mappings of the landing zone's functions.
    (
        "payments-prod",
        "lambda:CreateEventSourceMapping",
        "*",
        None,
        None,
        {"lambda:FunctionArn": [FN + "acme-lz-remediate"]},
        "DENIED",
        "AWS-GR_LAMBDA_CHANGE_PROHIBITED",
    ),
    (
        "payments-prod",
        "lambda:DeleteEventSourceMapping",
        ESM,
        None,
        None,
        {"lambda:FunctionArn": [FN + "acme-lz-remediate"]},
        "DENIED",
        "AWS-GR_LAMBDA_CHANGE_PROHIBITED",
    ),
    (
        "payments-prod",
        "lambda:UpdateEventSourceMapping",
        ESM,
        None,
        None,
        {"lambda:FunctionArn": [FN + "acme-lz-remediate"]},
        "DENIED",
        "AWS-GR_LAMBDA_CHANGE_PROHIBITED",
    ),
    (
        "payments-prod",
        "lambda:CreateEventSourceMapping",
        "*",
        None,
        None,
        {"lambda:FunctionArn": [FN + "team-function"]},
        "ALLOWED",
        None,
    ),
    (
        "payments-prod",
        "lambda:CreateEventSourceMapping",
        "*",
        ACCESS,
        None,
        {"lambda:FunctionArn": [FN + "acme-lz-remediate"]},
        "ALLOWED",
        None,
    ),
    # AWS-GR_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED (elective, log archive): the policy is put, not deleted, by it.
    ("log-archive", "s3:DeleteBucketPolicy", "arn:aws:s3:::app-bucket", None, None, {}, "ALLOWED", None),
    (
        "log-archive",
        "s3:DeleteBucketPolicy",
        LOG_BUCKET,
        None,
        None,
        {},
        "DENIED",
        "AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED",
    ),
]
CASES += FIDELITY_CASES


@pytest.mark.parametrize(
    "account,action,resource,principal,region,context,verdict,control",
    CASES,
    ids=[f"{c[0]}:{c[1]}:{c[6]}:{i}" for i, c in enumerate(CASES)],
)
def test_effective_scps_decide_requests(example_plan, account, action, resource, principal, region, context, verdict, control):
    acct = account_id(example_plan, account)
    if principal is None:
        principal = f"arn:aws:iam::{acct}:role/Developer"
    elif principal == "root":
        principal = f"arn:aws:iam::{acct}:root"
    decision = simulate(example_plan, account, Request(action, resource, principal, region or "eu-west-1", context))
    assert decision.verdict == verdict, decision
    if control:
        assert control in decision.control_ids and decision.sid and decision.policy.startswith("acme-lz-guardrails-")
        # The deciding statement's Sid names a control that denies the request (statements never merge across controls).
        assert decision.sid in {sid_for(cid, i, n) for cid in decision.control_ids for n in (1, 2, 3) for i in range(n)}
    else:
        assert not decision.sid


def test_there_are_at_least_30_cases():
    assert len(CASES) >= 30


def test_every_preventive_control_of_the_example_decides_at_least_one_case(example_plan):
    deciding = {c[7] for c in CASES if c[7]}
    preventive = {c.id for c in example_plan.preventive if c.covered}
    # The four CloudTrail controls and the two Config ones share one statement; one case each decides for all.
    shared = {
        "AWS-GR_CLOUDTRAIL_CLOUDWATCH_LOGS_ENABLED",
        "AWS-GR_CLOUDTRAIL_VALIDATION_ENABLED",
        "AWS-GR_CONFIG_ENABLED",
        "AWS-GR_CT_AUDIT_BUCKET_ENCRYPTION_CHANGES_PROHIBITED",
        "AWS-GR_CT_AUDIT_BUCKET_LOGGING_CONFIGURATION_CHANGES_PROHIBITED",
        "AWS-GR_AUDIT_BUCKET_ENCRYPTION_ENABLED",
        "AWS-GR_AUDIT_BUCKET_LOGGING_ENABLED",
        "AWS-GR_AUDIT_BUCKET_RETENTION_POLICY",
        "AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION",
    }
    assert preventive - deciding - shared == set()


def test_an_account_in_an_ou_sees_root_ou_and_account_policies_in_order(example_plan):
    from landing_zone.guardrails.simulator import effective_policies

    levels = effective_policies(example_plan, "web-prod")
    assert [level[0].target.label for level in levels] == ["root", "OU Workloads", "OU Workloads/Prod", "account web-prod"]
    assert all(level[0].name == "FullAWSAccess" for level in levels)
    assert [p.name for p in levels[1][1:]] == ["acme-lz-guardrails-ou-workloads-1"]


def test_a_level_without_an_allow_denies_implicitly():
    allow = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    levels = [
        [AttachedPolicy(ROOT, "FullAWSAccess", {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})],
        [AttachedPolicy(Target("ou", "X"), "s3-only", allow)],
    ]
    assert evaluate(levels, Request("s3:GetObject", "*", "arn:aws:iam::1:role/r", "eu-west-1")).allowed
    decision = evaluate(levels, Request("ec2:RunInstances", "*", "arn:aws:iam::1:role/r", "eu-west-1"))
    assert not decision.allowed and decision.reason == "no SCP attached to OU X allows it (implicit deny)"


@pytest.mark.parametrize(
    "operator,key,expected,context,holds",
    [
        ("StringNotEquals", "aws:RequestedRegion", ["eu-west-1"], {}, True),  # negated, key missing: true
        ("StringEquals", "aws:RequestedRegion", ["eu-west-1"], {}, False),  # key missing: false
        ("StringEqualsIfExists", "aws:RequestedRegion", ["eu-west-1"], {}, True),
        ("StringEqualsIfExists", "aws:RequestedRegion", ["eu-west-1"], {"aws:requestedregion": ["us-east-1"]}, False),
        ("ForAnyValue:StringEquals", "aws:TagKeys", ["a"], {}, False),
        ("ForAllValues:StringEquals", "aws:TagKeys", ["a"], {}, True),
        ("ForAllValues:StringEquals", "aws:TagKeys", ["a"], {"aws:tagkeys": ["a", "b"]}, False),
        ("ForAnyValue:StringLike", "aws:TagKeys", ["b*"], {"aws:tagkeys": ["a", "bee"]}, True),
        ("Null", "aws:TagKeys", "true", {}, True),
        ("Null", "aws:TagKeys", "false", {}, False),
        ("Bool", "aws:SecureTransport", "false", {"aws:securetransport": ["false"]}, True),
        ("BoolIfExists", "aws:MultiFactorAuthPresent", "false", {"aws:multifactorauthpresent": ["TRUE"]}, False),
        ("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::*:role/a?c"], {"aws:principalarn": ["arn:aws:iam::1:role/abc"]}, True),
        ("ArnNotLike", "aws:PrincipalArn", ["arn:aws:iam::*:role/abc"], {"aws:principalarn": ["arn:aws:iam::1:role/ABC"]}, True),
        ("StringEqualsIgnoreCase", "aws:RequestedRegion", ["EU-WEST-1"], {"aws:requestedregion": ["eu-west-1"]}, True),
        ("NumericGreaterThan", "ec2:MetadataHttpPutResponseHopLimit", "1", {"ec2:metadatahttpputresponsehoplimit": ["2"]}, True),
    ],
)
def test_condition_operators(operator, key, expected, context, holds):
    assert condition_holds(operator, key, expected, context) is holds


def test_condition_blocks_and_their_keys_must_all_hold():
    block = {
        "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]},
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/D"},
    }
    ctx = {"aws:requestedregion": ["us-east-1"], "aws:principalarn": ["arn:aws:iam::1:role/D"]}
    assert not conditions_hold(block, ctx)
    assert conditions_hold(block, {**ctx, "aws:principalarn": ["arn:aws:iam::1:role/E"]})


def test_lz_simulate_prints_the_deciding_statement_and_exits_1_when_denied(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # lines whole: text output wraps at the width
    code = main(["simulate", str(EXAMPLE), "--account", "web-prod", "--action", "cloudtrail:StopLogging", "--resource", TRAIL])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("DENIED: cloudtrail:StopLogging on " + TRAIL)
    assert "denied by statement AWSGRCLOUDTRAILCHANGEPROHIBITED (control AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED" in out
    assert "in SCP acme-lz-guardrails-root-1 attached to root" in out


def test_lz_simulate_json_and_allowed_exit_0(capsys):
    code = main(
        [
            "simulate",
            str(EXAMPLE),
            "--account",
            "web-prod",
            "--action",
            "iam:ListRoles",
            "--region",
            "us-east-2",
            "--context",
            "aws:MultiFactorAuthPresent=true",
            "--format",
            "json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["decision"] == "ALLOWED" and data["region"] == "us-east-2"


def test_lz_simulate_root_shorthand_and_bad_arguments(capsys):
    assert (
        main(["simulate", str(EXAMPLE), "--account", "web-prod", "--action", "iam:CreateAccessKey", "--principal", "root"]) == 1
    )
    assert ":root in eu-west-1" in capsys.readouterr().out
    assert main(["simulate", str(EXAMPLE), "--account", "nobody", "--action", "s3:GetObject"]) == 2
    assert "no account 'nobody' (accounts: log-archive, audit," in capsys.readouterr().err
    assert main(["simulate", str(EXAMPLE), "--account", "web-prod", "--action", "s3:GetObject", "--context", "novalue"]) == 2
    assert "is not KEY=VALUE" in capsys.readouterr().err
