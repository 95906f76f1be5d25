"""Provider settings for the local AWS API: every service at one loopback URL, the checks it needs."""

from __future__ import annotations

import pytest

from landing_zone.local_aws.endpoints import SERVICES, provider_settings, settings_from_env

NEEDED = {
    "organizations",
    "sts",
    "iam",
    "s3",
    "s3control",
    "kms",
    "cloudtrail",
    "configservice",
    "guardduty",
    "securityhub",
    "accessanalyzer",
    "sns",
    "events",
    "cloudwatch",
    "logs",
    "ec2",
    "ram",
    "ssoadmin",
    "identitystore",
    "lambda",
    "servicecatalog",
    "directconnect",
    "budgets",
    "account",
    "wafv2",  # the baseline web ACL (incident_response.waf)
}


def test_every_landing_zone_service_points_at_the_url():
    settings = provider_settings("http://127.0.0.1:4566/")
    (endpoints,) = settings["endpoints"]
    assert NEEDED <= set(endpoints)
    assert set(endpoints.values()) == {"http://127.0.0.1:4566"}
    assert len(SERVICES) == len(set(SERVICES))


def test_checks_are_skipped_but_the_account_id_is_requested():
    settings = provider_settings("http://127.0.0.1:4566")
    assert settings["skip_credentials_validation"] is True
    assert settings["skip_metadata_api_check"] == "true"
    assert settings["skip_region_validation"] is True
    assert settings["s3_use_path_style"] is True
    assert settings["max_retries"] == 5
    assert settings["http_proxy"] == settings["https_proxy"] == "http://127.0.0.1:4566"
    assert "skip_requesting_account_id" not in settings


@pytest.mark.parametrize(
    "url", ["https://organizations.us-east-1.amazonaws.com", "http://10.0.0.5:4566", "127.0.0.1:4566", "http://127.0.0.1"]
)
def test_only_a_loopback_url_with_a_port_is_accepted(url):
    with pytest.raises(ValueError, match="LZ_AWS_ENDPOINT must look like http://127.0.0.1:PORT"):
        provider_settings(url)


def test_the_environment_variable_turns_it_on():
    assert settings_from_env({}) is None
    assert settings_from_env({"LZ_AWS_ENDPOINT": ""}) is None
    assert settings_from_env({"LZ_AWS_ENDPOINT": "http://localhost:5000"})["endpoints"][0]["sts"] == "http://localhost:5000"
