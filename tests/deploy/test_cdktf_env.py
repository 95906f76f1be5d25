"""Issue 23 B.5: `lz cdktf-env` prints what the cdktf CLI's terraform runs need (the end-to-end proof
is tests/deploy/test_cdktf_deploy.py, in `make live`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.cli.main import main

LZ = Path(sys.executable).parent / "lz"


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    folder = tmp_path / "my mirror"  # a space: the exports must be quoted for the shell
    (folder / "registry.terraform.io" / "hashicorp").mkdir(parents=True)
    monkeypatch.setenv("LZ_TF_PROVIDER_MIRROR", str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in ("TF_CLI_CONFIG_FILE", "LZ_AWS_ENDPOINT", "HTTP_PROXY", "http_proxy", "CHECKPOINT_DISABLE", "GOGC", "GOMEMLIMIT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("LZ_PYTHON", raising=False)
    return folder


def evaluated(args: list[str], extra_env: dict | None = None) -> dict[str, str]:
    """The environment a shell has after `eval "$(lz cdktf-env ARGS)"`."""
    script = f'eval "$("{LZ}" cdktf-env {" ".join(args)})" && env -0'
    env = dict(os.environ, **(extra_env or {}))
    proc = subprocess.run(["bash", "-c", script], env=env, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return dict(item.split("=", 1) for item in proc.stdout.decode().split("\0") if "=" in item)


def test_the_mirror_becomes_a_terraform_cli_config(mirror):
    env = evaluated([])
    config = Path(env["TF_CLI_CONFIG_FILE"])
    text = config.read_text(encoding="utf-8")
    assert f'path    = "{mirror.resolve()}"' in text and "filesystem_mirror" in text
    assert env["CHECKPOINT_DISABLE"] == "1"
    assert Path(env["LZ_PYTHON"]).name.startswith("python")  # the default-VPC step's local-exec runs landing_zone with it
    assert "LZ_AWS_ENDPOINT" not in env  # no --endpoint: real AWS, credentials untouched
    assert env["GOGC"] == "400" and env["GOMEMLIMIT"].endswith("MiB")  # cdktf's terraform runs as lz deploy's do


def test_an_endpoint_adds_the_local_api_and_drops_real_credentials(mirror):
    env = evaluated(["--endpoint", "http://127.0.0.1:4566"], {"AWS_PROFILE": "prod", "AWS_SESSION_TOKEN": "real"})
    assert env["LZ_AWS_ENDPOINT"] == "http://127.0.0.1:4566"
    assert env["HTTP_PROXY"] == "http://127.0.0.1:4566"
    assert env["AWS_ACCESS_KEY_ID"] == "testing" and env["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
    assert "AWS_PROFILE" not in env and "AWS_SESSION_TOKEN" not in env
    assert env["TF_CLI_ARGS_apply"].startswith("-parallelism=")
    assert Path(env["TF_CLI_CONFIG_FILE"]).is_file()


def test_no_mirror_exports_nothing_for_the_mirror_and_says_so(monkeypatch, tmp_path, capsys):
    import landing_zone.terraform.find_mirror as find

    monkeypatch.delenv("LZ_TF_PROVIDER_MIRROR", raising=False)
    monkeypatch.delenv("TF_CLI_CONFIG_FILE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(find, "find_mirror", lambda: None)
    assert main(["cdktf-env"]) == 0
    out, err = capsys.readouterr()
    assert "TF_CLI_CONFIG_FILE" not in out
    assert "no provider mirror" in err and "registry" in err


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--endpoint", "http://10.0.0.5:4566"], {}, "must look like http://127.0.0.1:PORT"),
        ([], {"LZ_TF_PROVIDER_MIRROR": "/nonexistent/mirror"}, "is not a provider mirror"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(monkeypatch, capsys, args, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["cdktf-env", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("lz cdktf-env: ") and message in err and "Traceback" not in err
