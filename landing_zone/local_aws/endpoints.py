"""AWS provider settings that point every service at one local AWS API.

Pure Python (no cdktf): the stacks apply these settings to every AwsProvider
when `LZ_AWS_ENDPOINT` is set at synth time, so the same stacks deploy to a
moto server on 127.0.0.1 instead of AWS. The keys are the provider's own
(terraform JSON) argument names, as in `provider "aws" { endpoints { ... } }`.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

ENV_VAR = "LZ_AWS_ENDPOINT"

# Canonical endpoint names of hashicorp/aws 5.100.0 (`terraform providers
# schema -json`) for every service the landing zone uses now or on its
# roadmap. Only one name per service: aliases such as eventbridge /
# cloudwatchevents or cloudwatchlogs would conflict with events / logs.
SERVICES: tuple[str, ...] = (
    "accessanalyzer",
    "account",
    "acm",
    "athena",
    "backup",
    "budgets",
    "ce",
    "cloudcontrol",
    "cloudformation",
    "cloudtrail",
    "cloudwatch",
    "configservice",
    "controltower",
    "detective",
    "directconnect",
    "dynamodb",
    "ec2",
    "events",
    "fms",
    "glue",
    "guardduty",
    "iam",
    "identitystore",
    "inspector2",
    "kms",
    "lambda",
    "logs",
    "macie2",
    "networkfirewall",
    "networkmanager",
    "organizations",
    "ram",
    "resourcegroupstaggingapi",
    "route53",
    "route53resolver",
    "s3",
    "s3control",
    "scheduler",
    "secretsmanager",
    "securityhub",
    "securitylake",
    "servicecatalog",
    "servicequotas",
    "sns",
    "sqs",
    "ssm",
    "ssoadmin",
    "sts",
    "wafv2",
)


def check_local_url(url: str) -> str:
    """The URL without a trailing slash; ValueError unless it is http://127.0.0.1:PORT or localhost."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in ("127.0.0.1", "localhost") or not parts.port:
        raise ValueError(f"{ENV_VAR} must look like http://127.0.0.1:PORT (a local AWS API), got {url!r}")
    return url.rstrip("/")


def provider_settings(url: str) -> dict:
    """Arguments to merge into an `aws` provider block so it talks only to `url`.

    - every service endpoint points at the URL;
    - credential, metadata-API and region checks are skipped (the local API
      accepts any credentials), but the account id IS requested: moto answers
      it and Security Hub and the account public access block need it;
    - S3 uses path-style addressing (no bucket.host names on 127.0.0.1);
    - `max_retries = 5`: a call the local API lacks fails within a minute
      instead of retrying for 5-10 minutes, while a connection the busy local
      server drops (seen with many requests in flight) is still retried;
    - `http_proxy` (and `https_proxy`): S3 Control puts the account id in front of the host
      (123456789012.127.0.0.1); the proxy, which the provider bypasses for
      loopback hosts, sends those requests to the server too.
    """
    url = check_local_url(url)
    return {
        "endpoints": [{service: url for service in SERVICES}],
        "skip_credentials_validation": True,
        "skip_metadata_api_check": "true",
        "skip_region_validation": True,
        "s3_use_path_style": True,
        "max_retries": 5,
        "http_proxy": url,
        "https_proxy": url,  # unset, the provider warns on every run that it reuses http_proxy
    }


def settings_from_env(environ=None) -> dict | None:
    """`provider_settings` for `LZ_AWS_ENDPOINT` when it is set, else None (real AWS)."""
    url = (environ if environ is not None else os.environ).get(ENV_VAR, "").strip()
    return provider_settings(url) if url else None
