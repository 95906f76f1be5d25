"""The moto server lifecycle: free loopback port, answers, reset, stopped by its own pid."""

from __future__ import annotations

import os

import boto3
import pytest

from landing_zone.local_aws.server import LOCAL_PARALLELISM, LocalAws, client_env, is_up, reset


def organizations(url: str):
    env = client_env(url, base={})
    return boto3.client(
        "organizations",
        endpoint_url=url,
        region_name=env["AWS_DEFAULT_REGION"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


def test_start_reset_and_stop(tmp_path):
    server = LocalAws(log_file=tmp_path / "moto.log").start()
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert is_up(server.url)
        org = organizations(server.url)
        org.create_organization(FeatureSet="ALL")
        assert org.describe_organization()["Organization"]["FeatureSet"] == "ALL"
        reset(server.url)
        with pytest.raises(org.exceptions.AWSOrganizationsNotInUseException):
            org.describe_organization()
    finally:
        server.stop()
    assert server.process.returncode is not None
    assert not is_up(server.url)
    with pytest.raises(ProcessLookupError):
        os.kill(server.pid, 0)


def test_client_env_drops_real_credentials_and_routes_s3_control_through_the_server():
    env = client_env("http://127.0.0.1:4566", base={"AWS_PROFILE": "prod", "AWS_SESSION_TOKEN": "t", "PATH": "/bin"})
    assert "AWS_PROFILE" not in env and "AWS_SESSION_TOKEN" not in env
    assert env["AWS_ACCESS_KEY_ID"] == "testing" and env["PATH"] == "/bin"
    assert env["HTTP_PROXY"] == "http://127.0.0.1:4566" and "127.0.0.1" in env["NO_PROXY"]
    assert env["LZ_AWS_ENDPOINT"] == "http://127.0.0.1:4566"


def test_client_env_lets_terraform_overlap_the_providers_fixed_waits():
    env = client_env("http://127.0.0.1:4566", base={})
    assert {env[f"TF_CLI_ARGS_{c}"] for c in ("apply", "plan", "destroy")} == {f"-parallelism={LOCAL_PARALLELISM}"}
    assert LOCAL_PARALLELISM > 10  # terraform's default
    assert (
        client_env("http://127.0.0.1:4566", base={"TF_CLI_ARGS_apply": "-parallelism=2"})["TF_CLI_ARGS_apply"] == "-parallelism=2"
    )
