"""The offline provider mirror: CLI config written and used only when LZ_TF_PROVIDER_MIRROR is set."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.terraform.cli_config import MIRROR_VAR, MirrorError, go_memory_limit, mirror_config_text, terraform_env


def fake_mirror(root: Path) -> Path:
    aws = root / "registry.terraform.io" / "hashicorp" / "aws" / "5.100.0" / "linux_amd64"
    aws.mkdir(parents=True)
    (aws / "terraform-provider-aws_v5.100.0_x5").write_text("")
    return root


def test_mirror_config_installs_hashicorp_only_from_the_mirror():
    text = mirror_config_text(Path("/opt/tf-plugins"))
    assert 'filesystem_mirror {\n    path    = "/opt/tf-plugins"\n    include = ["registry.terraform.io/hashicorp/*"]' in text
    assert 'direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]' in text


def test_mirror_variable_points_terraform_at_a_written_cli_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mirror = fake_mirror(tmp_path / "mirror")
    env = terraform_env({MIRROR_VAR: str(mirror), "TF_CLI_CONFIG_FILE": "/root/.terraformrc", "PATH": "/bin"})
    config = Path(env["TF_CLI_CONFIG_FILE"])
    assert config.parent == tmp_path / "cache" / "landing_zone"
    assert config.read_text() == mirror_config_text(mirror.resolve())
    assert "TF_PLUGIN_CACHE_DIR" not in env  # the mirror is linked, a cache would copy 700 MB
    # Same mirror, same file: parallel stacks share it.
    assert terraform_env({MIRROR_VAR: str(mirror)})["TF_CLI_CONFIG_FILE"] == str(config)


def test_without_the_variable_terraform_uses_the_registry_with_a_shared_plugin_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    env = terraform_env({"TF_CLI_CONFIG_FILE": "/home/me/.terraformrc", "PATH": "/bin"})
    assert env["TF_CLI_CONFIG_FILE"] == "/home/me/.terraformrc"  # the user's own config is kept
    assert env["TF_PLUGIN_CACHE_DIR"] == str(tmp_path / "cache" / "landing_zone" / "terraform-plugins")
    assert Path(env["TF_PLUGIN_CACHE_DIR"]).is_dir()
    assert terraform_env({"TF_PLUGIN_CACHE_DIR": "/srv/cache"})["TF_PLUGIN_CACHE_DIR"] == "/srv/cache"


def test_a_folder_that_is_not_a_mirror_is_refused_with_what_was_expected(tmp_path):
    with pytest.raises(MirrorError) as caught:
        terraform_env({MIRROR_VAR: str(tmp_path)})
    assert str(caught.value) == (
        f"LZ_TF_PROVIDER_MIRROR={str(tmp_path)!r} is not a provider mirror: expected the folder that holds "
        f"registry.terraform.io/hashicorp/ (e.g. /opt/tf-plugins), found no {tmp_path}/registry.terraform.io/hashicorp"
    )


def test_go_programs_trade_some_memory_for_less_garbage_collection(monkeypatch):
    monkeypatch.delenv("GOGC", raising=False)
    monkeypatch.delenv("GOMEMLIMIT", raising=False)
    env = terraform_env()
    assert env["GOGC"] == "400"
    assert env["GOMEMLIMIT"] == go_memory_limit()
    # the caller's own settings win
    assert terraform_env({"GOGC": "100", "GOMEMLIMIT": "512MiB"})["GOGC"] == "100"
    assert terraform_env({"GOGC": "100", "GOMEMLIMIT": "512MiB"})["GOMEMLIMIT"] == "512MiB"


@pytest.mark.parametrize(
    "total, limit",
    [(24 << 30, "3072MiB"), (4 << 30, "1024MiB"), (64 << 30, "4096MiB"), (12 << 30, "1536MiB")],
)
def test_the_go_memory_limit_is_an_eighth_of_the_machine_within_1_and_4_gib(total, limit):
    assert go_memory_limit(total) == limit


def test_terraform_starts_with_these_settings():
    """A GOMEMLIMIT Go cannot parse stops every terraform run before it starts."""
    import subprocess

    from landing_zone.terraform import find_terraform

    terraform = find_terraform()
    env = terraform_env({"PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    done = subprocess.run([terraform, "version"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Terraform v" in done.stdout
