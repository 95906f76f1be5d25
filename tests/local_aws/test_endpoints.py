"""Provider settings for the local AWS API: every service at one loopback URL, the checks it needs."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from landing_zone.local_aws.endpoints import DUMMY_CREDENTIALS, PROFILE, provider_settings, settings_from_env, target_url
from landing_zone.local_aws.server import client_env


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "landing_zone"


def test_every_service_reaches_the_url_through_a_profile_only_its_file_has(cache_folder):
    settings = provider_settings("http://127.0.0.1:4566/")
    assert "endpoints" not in settings  # 2 s of CPU in every provider process that validates it
    assert settings["profile"] == PROFILE
    (config,) = map(Path, settings["shared_config_files"])
    assert config.parent == cache_folder
    parsed = configparser.ConfigParser()
    parsed.read(config)
    assert parsed.sections() == [f"profile {PROFILE}"]
    assert parsed[f"profile {PROFILE}"]["endpoint_url"] == "http://127.0.0.1:4566"
    assert target_url({"region": "eu-west-1", **settings}) == "http://127.0.0.1:4566"


def test_each_url_has_its_own_file_written_once():
    first = provider_settings("http://127.0.0.1:4566")["shared_config_files"][0]
    other = provider_settings("http://127.0.0.1:5000")["shared_config_files"][0]
    assert first != other
    before = Path(first).stat().st_mtime_ns
    assert provider_settings("http://127.0.0.1:4566")["shared_config_files"][0] == first
    assert Path(first).stat().st_mtime_ns == before
    assert target_url({"profile": PROFILE, "shared_config_files": [other]}) == "http://127.0.0.1:5000"


def test_a_real_aws_block_or_a_lost_file_targets_no_local_api(tmp_path):
    assert target_url({"region": "eu-west-1"}) is None
    assert target_url({"profile": "prod", "shared_config_files": [str(tmp_path / "x")]}) is None
    assert target_url({"profile": PROFILE, "shared_config_files": [str(tmp_path / "gone")]}) is None


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
    assert target_url(settings_from_env({"LZ_AWS_ENDPOINT": "http://localhost:5000"})) == "http://localhost:5000"


def test_the_local_run_environment_keeps_the_profiles_endpoint_in_force():
    leaked = {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_PROFILE": "prod", "AWS_ENDPOINT_URL": "https://example.com"}
    env = client_env("http://127.0.0.1:4566", base={"PATH": "/usr/bin", **leaked})
    assert not set(leaked) & set(env)
    assert env["AWS_ACCESS_KEY_ID"] == DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"]
