"""Our moto addition for the organization trail: DeleteTrail by ARN (the provider's resource id)."""

from __future__ import annotations

import boto3
from moto import mock_aws

from landing_zone.local_aws.additions import cloudtrail


def test_delete_trail_by_arn_deletes_it():
    cloudtrail.install()
    cloudtrail.install()  # idempotent
    with mock_aws():
        boto3.client("s3", region_name="eu-west-1").create_bucket(
            Bucket="trail-logs", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        client = boto3.client("cloudtrail", region_name="eu-west-1")
        arn = client.create_trail(Name="org-trail", S3BucketName="trail-logs", IsMultiRegionTrail=True)["TrailARN"]
        client.create_trail(Name="other", S3BucketName="trail-logs")
        client.delete_trail(Name=arn)
        assert [t["Name"] for t in client.describe_trails()["trailList"]] == ["other"]
        client.delete_trail(Name="other")  # by name, as before
        assert client.describe_trails()["trailList"] == []
