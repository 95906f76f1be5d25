"""The shared `--endpoint` argument and AWS error handling of adopt, preflight and dashboard (refactor D7)."""

from __future__ import annotations

import argparse
from pathlib import Path

import botocore.exceptions
import pytest

from landing_zone.cli.main import build_parser, main
from landing_zone.live.endpoint import AwsReadError, add_endpoint_argument, aws_errors

EXAMPLE = str(Path(__file__).resolve().parents[2] / "environments" / "example.yaml")


def test_the_endpoint_defaults_to_lz_aws_endpoint(monkeypatch):
    monkeypatch.setenv("LZ_AWS_ENDPOINT", "http://127.0.0.1:4566")
    parser = argparse.ArgumentParser()
    add_endpoint_argument(parser, only_with="--read-organization")
    assert parser.parse_args([]).endpoint == "http://127.0.0.1:4566"
    assert "with --read-organization: local AWS API URL" in parser.format_help()
    monkeypatch.delenv("LZ_AWS_ENDPOINT")
    parser = argparse.ArgumentParser()
    add_endpoint_argument(parser)
    assert parser.parse_args([]).endpoint is None


@pytest.mark.parametrize("command", ["adopt", "preflight", "dashboard"])
def test_every_reading_command_has_the_same_argument(command):
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    (action,) = [a for a in sub.choices[command]._actions if a.dest == "endpoint"]
    assert action.option_strings == ["--endpoint"]


def test_bad_endpoints_exit_2_and_aws_errors_exit_1_naming_what_was_read():
    with pytest.raises(AwsReadError) as bad:
        with aws_errors("read the target"):
            raise ValueError("http://10.0.0.1:5000 is not a local endpoint")
    assert (bad.value.code, str(bad.value)) == (2, "http://10.0.0.1:5000 is not a local endpoint")
    with pytest.raises(AwsReadError) as denied:
        with aws_errors("read the target"):
            raise botocore.exceptions.NoCredentialsError()
    assert (denied.value.code, str(denied.value)) == (1, "cannot read the target: Unable to locate credentials")
    with pytest.raises(KeyError):  # anything else is not ours to explain
        with aws_errors("read the target"):
            raise KeyError("x")


@pytest.mark.parametrize("command", ["preflight", "adopt"])
def test_the_commands_print_one_line_and_exit_2_for_a_remote_endpoint(command, capsys, tmp_path):
    extra = ["--synth-dir", str(tmp_path)] if command == "adopt" else []
    code = main([command, EXAMPLE, "--endpoint", "http://10.0.0.1:5000", *extra])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"lz {command}: ") and len(err.strip().splitlines()) == 1, err
