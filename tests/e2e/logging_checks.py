"""End-to-end checks of centralized logging and security services on the local AWS API.

Imported into test_deploy_local.py (one deployment per module): they run
against its `deployment`, after the apply and before the destroy. What the
local API does not serve (LOCAL_API_GAPS) was left out of that deployment and
is proven by tests/security/test_terraform_test.py instead.
"""

from __future__ import annotations

import json

import boto3
from botocore.config import Config

from landing_zone.config.vending import access_role
from landing_zone.derived.stack_layout import stack_plans
from landing_zone.local_aws.server import DUMMY_CREDENTIALS
from landing_zone.naming import LandingZoneNames

FOUR_FLAGS = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


def _account_ids(org) -> dict[str, str]:
    return {a["Name"]: a["Id"] for node in [org.root, *org.ous_by_path().values()] for a in node.accounts}


def _session(deployment, config, account_id: str | None, role_name: str | None = None):
    """boto3 session as the management account (None) or, through the access role, a member account."""
    base = dict(
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"], aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
    )
    if account_id is not None:
        sts = boto3.client("sts", endpoint_url=deployment.server.url, region_name=config.organization.home_region, **base)
        role = f"arn:aws:iam::{account_id}:role/{role_name or config.organization.access_role_name}"
        creds = sts.assume_role(RoleArn=role, RoleSessionName="e2e-logging")["Credentials"]
        base = dict(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )

    def client(service: str, region: str | None = None, **kwargs):
        return boto3.client(
            service, endpoint_url=deployment.server.url, region_name=region or config.organization.home_region, **base, **kwargs
        )

    return client


def _baseline_sessions(deployment, org, config):
    """(account name, session) of every account with a stack: core, network and vended accounts alike
    apply the account baseline; member accounts are reached through the role their stack assumes."""
    ids = _account_ids(org)
    yield "management", _session(deployment, config, None)
    for name in sorted({p.account for p in stack_plans(config) if p.assumes_role}):
        yield name, _session(deployment, config, ids[name], access_role(config, name))


def test_log_archive_buckets_and_key(deployment, org, config):
    account = _account_ids(org)[config.core.log_archive_account]
    aws = _session(deployment, config, account)
    names = LandingZoneNames.of(config)
    s3 = aws("s3")
    bucket, access = names.log_bucket(account), names.access_log_bucket(account)
    for name in (bucket, access):
        assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
        assert s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"] == FOUR_FLAGS
        assert s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"] == [
            {"ObjectOwnership": "BucketOwnerEnforced"}
        ]
        sids = {s["Sid"] for s in json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])["Statement"]}
        assert "DenyInsecureTransport" in sids
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms" and rule["BucketKeyEnabled"] is True
    assert s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"]["TargetBucket"] == access
    expiry = [r["Expiration"]["Days"] for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]]
    assert expiry == [config.logging.log_bucket.retention_days]
    lock = config.logging.log_bucket.object_lock
    retention = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    assert (retention["Mode"], retention["Days"]) == (lock.mode, config.logging.log_bucket.lock_days)
    kms = aws("kms")
    key_id = kms.describe_key(KeyId=names.kms_alias)["KeyMetadata"]["KeyId"]
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True


def test_organization_trail_writes_to_the_log_archive(deployment, org, config):
    aws = _session(deployment, config, None)
    names = LandingZoneNames.of(config)
    log_archive = _account_ids(org)[config.core.log_archive_account]
    cloudtrail = aws("cloudtrail")
    [trail] = [t for t in cloudtrail.describe_trails()["trailList"] if t["Name"] == names.trail]
    assert trail["IsOrganizationTrail"] and trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"]
    assert trail["IncludeGlobalServiceEvents"] and trail["S3BucketName"] == names.log_bucket(log_archive)
    assert f":{log_archive}:key/" in trail["KmsKeyId"]
    assert trail["CloudWatchLogsLogGroupArn"].startswith(f"arn:aws:logs:{config.organization.home_region}:")
    assert cloudtrail.get_trail_status(Name=trail["TrailARN"])["IsLogging"] is True
    [group] = aws("logs").describe_log_groups(logGroupNamePrefix=names.trail_log_group)["logGroups"]
    assert group["retentionInDays"] == config.logging.organization_trail.cloudwatch_logs_retention_days and group["kmsKeyId"]


def test_config_records_every_governed_region_of_every_account(deployment, org, config):
    names = LandingZoneNames.of(config)
    home = config.organization.home_region
    for account_name, aws in _baseline_sessions(deployment, org, config):
        for region in config.organization.governed_regions:
            service = aws("config", region)
            [recorder] = service.describe_configuration_recorders()["ConfigurationRecorders"]
            assert recorder["name"] == names.config_recorder
            # Config's service-linked role (issue 28), not a role of the landing zone's own
            assert "/aws-service-role/config.amazonaws.com/" in recorder["roleARN"], (account_name, region)
            assert recorder["recordingGroup"]["allSupported"] is True
            assert recorder["recordingGroup"]["includeGlobalResourceTypes"] is (region == home), (account_name, region)
            [channel] = service.describe_delivery_channels()["DeliveryChannels"]
            assert channel["s3BucketName"].startswith(names.log_bucket_prefix)
            [status] = service.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
            assert status["recording"] is True, (account_name, region)


def test_account_baseline_in_every_account(deployment, org, config):
    for account_name, aws in _baseline_sessions(deployment, org, config):
        policy = aws("iam").get_account_password_policy()["PasswordPolicy"]
        assert policy["MinimumPasswordLength"] >= 14 and policy["PasswordReusePrevention"] == 24, account_name
        for region in config.organization.governed_regions:
            assert aws("ec2", region).get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True, (account_name, region)
        own_id = aws("sts").get_caller_identity()["Account"]
        # S3 Control puts the account id in front of the host: only the proxy reaches the server.
        s3control = aws("s3control", config=Config(proxies={"http": deployment.server.url}))
        assert s3control.get_public_access_block(AccountId=own_id)["PublicAccessBlockConfiguration"] == FOUR_FLAGS, account_name


def test_audit_account_aggregates_config_and_announces_findings(deployment, org, config):
    audit = _account_ids(org)[config.core.audit_account]
    aws = _session(deployment, config, audit)
    names = LandingZoneNames.of(config)
    home = config.organization.home_region
    [aggregator] = aws("config").describe_configuration_aggregators()["ConfigurationAggregators"]
    assert aggregator["ConfigurationAggregatorName"] == names.config_aggregator
    assert aggregator["OrganizationAggregationSource"]["AllAwsRegions"] is True
    sns = aws("sns")
    topic = f"arn:aws:sns:{home}:{audit}:{names.security_topic}"
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["KmsMasterKeyId"]
    emails = sorted(s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"])
    assert emails == sorted(config.security_services.notifications.emails)
    events = aws("events")
    for rule in ("guardduty-findings", "securityhub-findings"):
        targets = events.list_targets_by_rule(Rule=f"{names.prefix}{rule}")["Targets"]
        assert [t["Arn"] for t in targets] == [topic]
    for region in config.organization.governed_regions:
        assert aws("guardduty", region).list_detectors()["DetectorIds"], region
        if region != home:
            targets = aws("events", region).list_targets_by_rule(Rule=f"{names.prefix}guardduty-findings-forward")["Targets"]
            assert [t["Arn"] for t in targets] == [f"arn:aws:events:{home}:{audit}:event-bus/default"]
