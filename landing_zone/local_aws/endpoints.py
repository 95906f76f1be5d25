"""AWS provider settings that point every service at one local AWS API.

Pure Python (no cdktf): the stacks apply these settings to every AwsProvider
when `LZ_AWS_ENDPOINT` is set at synth time, so the same stacks deploy to a
moto server on 127.0.0.1 instead of AWS. The keys are the provider's own
(terraform JSON) argument names. Every service reaches the API through the
`endpoint_url` of an AWS config file profile (`provider_settings` says why
not through the provider's `endpoints` block).
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path
from urllib.parse import urlsplit

from ..cache_files import write_cache_file

ENV_VAR = "LZ_AWS_ENDPOINT"
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
"""What the local API is given as credentials (it accepts any)."""


def check_local_url(url: str) -> str:
    """The URL without a trailing slash; ValueError unless it is http://127.0.0.1:PORT or localhost."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in ("127.0.0.1", "localhost") or not parts.port:
        raise ValueError(f"{ENV_VAR} must look like http://127.0.0.1:PORT (a local AWS API), got {url!r}")
    return url.rstrip("/")


PROFILE = "landing-zone-local-api"
"""The profile of the AWS config file `provider_settings` writes: only that file has it."""
SECTION = f"profile {PROFILE}"


def _aws_config_text(url: str) -> str:
    """An AWS config file whose one profile sends every service to `url` (already checked) through
    `endpoint_url`, which the provider's AWS SDK honours for every service, STS included, with the
    local API's dummy keys."""
    return (
        "# Written by landing_zone for the local AWS API; do not edit.\n"
        f"[{SECTION}]\n"
        f"endpoint_url = {url}\n"
        f"aws_access_key_id = {DUMMY_CREDENTIALS['AWS_ACCESS_KEY_ID']}\n"
        f"aws_secret_access_key = {DUMMY_CREDENTIALS['AWS_SECRET_ACCESS_KEY']}\n"
    )


def aws_config_file(url: str) -> Path:
    """The AWS config file of `url` (written once per URL; same name, same content)."""
    url = check_local_url(url)
    parts = urlsplit(url)
    return write_cache_file(f"aws-config-local-{parts.scheme}-{parts.hostname}-{parts.port}", _aws_config_text(url))


def provider_settings(url: str) -> dict:
    """Arguments to merge into an `aws` provider block so it talks only to `url`.

    - every service goes to the URL through the `endpoint_url` of a profile in
      an AWS config file written for it (`aws_config_file`), not through the
      provider's `endpoints` block: with that block present, each provider
      process spends about 2 s of CPU validating it, in every walk of every
      terraform command (a stack's apply starts 2-4 of them three times), half
      of a local deploy's CPU. The profile exists only in that file, so the
      stack cannot reach AWS with the user's own configuration;
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
        "profile": PROFILE,
        "shared_config_files": [str(aws_config_file(url))],
        "skip_credentials_validation": True,
        "skip_metadata_api_check": "true",
        "skip_region_validation": True,
        "s3_use_path_style": True,
        "max_retries": 5,
        "http_proxy": url,
        "https_proxy": url,  # unset, the provider warns on every run that it reuses http_proxy
    }


def target_url(provider: dict) -> str | None:
    """The local API an `aws` provider block (terraform JSON) of `provider_settings` talks to; None when
    it has no such profile (real AWS) or its config file is gone."""
    if provider.get("profile") != PROFILE:
        return None
    config = configparser.ConfigParser()
    try:
        config.read(provider.get("shared_config_files") or [], encoding="utf-8")  # unreadable files are skipped
    except configparser.Error:  # not an AWS config file: no local API named in it
        return None
    return config.get(SECTION, "endpoint_url", fallback=None)


def settings_from_env(environ=None) -> dict | None:
    """`provider_settings` for `LZ_AWS_ENDPOINT` when it is set, else None (real AWS)."""
    url = (environ if environ is not None else os.environ).get(ENV_VAR, "").strip()
    return provider_settings(url) if url else None
