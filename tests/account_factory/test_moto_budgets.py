"""The moto addition for budgets (landing_zone/local_aws/additions/budgets.py), through a local server."""

from __future__ import annotations

import boto3
import pytest

from landing_zone.local_aws.server import LocalAws

ACCOUNT = "123456789012"
NOTIFICATION = {
    "NotificationType": "ACTUAL",
    "ComparisonOperator": "GREATER_THAN",
    "Threshold": 80.0,
    "ThresholdType": "PERCENTAGE",
}


@pytest.fixture(scope="module")
def budgets(tmp_path_factory):
    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as server:
        yield boto3.client(
            "budgets",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


def test_subscribers_of_a_notification_are_read_back(budgets):
    budgets.create_budget(
        AccountId=ACCOUNT,
        Budget={
            "BudgetName": "monthly",
            "BudgetLimit": {"Amount": "100", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        NotificationsWithSubscribers=[
            {"Notification": NOTIFICATION, "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "owner@corp.io"}]}
        ],
        ResourceTags=[{"Key": "owner", "Value": "team-a"}],
    )
    found = budgets.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName="monthly", Notification=NOTIFICATION)
    assert found["Subscribers"] == [{"SubscriptionType": "EMAIL", "Address": "owner@corp.io"}]
    other = {**NOTIFICATION, "Threshold": 50.0}
    with pytest.raises(budgets.exceptions.NotFoundException):
        budgets.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName="monthly", Notification=other)


def test_budget_tags_from_create_and_tag_resource(budgets):
    arn = f"arn:aws:budgets::{ACCOUNT}:budget/monthly"
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "owner", "Value": "team-a"}]
    budgets.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "cost-center", "Value": "platform"}])
    budgets.untag_resource(ResourceARN=arn, ResourceTagKeys=["owner"])
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "cost-center", "Value": "platform"}]
