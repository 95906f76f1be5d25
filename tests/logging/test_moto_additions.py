"""Our moto additions for logging: DeleteTrail by ARN (the provider's resource id); Athena's DeleteNamedQuery."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from landing_zone.local_aws.additions import athena, cloudtrail


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


def test_named_queries_can_be_deleted_and_a_deleted_one_is_not_found():
    athena.install()
    athena.install()  # idempotent
    with mock_aws():
        client = boto3.client("athena", region_name="eu-west-1")
        client.create_work_group(Name="logs", Configuration={})
        kept = client.create_named_query(Name="a", Database="d", QueryString="SELECT 1", WorkGroup="logs")["NamedQueryId"]
        gone = client.create_named_query(Name="b", Database="d", QueryString="SELECT 2", WorkGroup="logs")["NamedQueryId"]
        client.delete_named_query(NamedQueryId=gone)
        assert client.list_named_queries(WorkGroup="logs")["NamedQueryIds"] == [kept]
        for call in (client.get_named_query, client.delete_named_query):
            with pytest.raises(ClientError) as info:
                call(NamedQueryId=gone)
            assert info.value.response["Error"]["Code"] == "InvalidRequestException"
        assert client.get_named_query(NamedQueryId=kept)["NamedQuery"]["QueryString"] == "SELECT 1"
