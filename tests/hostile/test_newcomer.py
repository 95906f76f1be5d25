"""The newcomer's path (issue 23 B.1): environments/minimal.yaml is the smallest valid landing zone and is what
`lz init` writes; `lz init` never overwrites and refuses bad values; the examples name their schema; `lz --version`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landing_zone.cli.main import main
from landing_zone.environment import load_environment

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "environments" / "minimal.yaml"


def test_minimal_is_valid_under_strict_and_is_what_lz_init_writes(tmp_path, capsys, monkeypatch):
    loaded = load_environment(MINIMAL, strict=True)
    assert [a.name for a in loaded.env.accounts] == ["log-archive", "audit"]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "environments").mkdir()
    assert main(["init"]) == 0
    assert "wrote environments/minimal.yaml" in capsys.readouterr().out
    assert (tmp_path / "environments" / "minimal.yaml").read_text() == MINIMAL.read_text()


def test_lz_init_takes_a_name_domain_and_region_and_points_at_the_schema(tmp_path, capsys):
    path = tmp_path / "envs" / "prod.yaml"
    schema = tmp_path / "schema.json"
    assert (
        main(["init", str(path), "--name", "zeta", "--email-domain", "zeta.io", "--region", "us-east-2", "--schema", str(schema)])
        == 0
    )
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema.json\n")
    env = load_environment(path, strict=True).env
    assert (env.organization.name, env.organization.home_region) == ("zeta", "us-east-2")
    assert env.organization.management_account.email == "aws+management@zeta.io"


def test_lz_init_never_overwrites(tmp_path, capsys):
    path = tmp_path / "env.yaml"
    path.write_text("mine\n")
    assert main(["init", str(path)]) == 2
    assert "already exists; lz init never overwrites a file" in capsys.readouterr().err
    assert path.read_text() == "mine\n"


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--name", "Acme Corp", "--name 'Acme Corp': expected 1-31 lower-case letters"),
        ("--name", "a" * 32, "expected 1-31 lower-case letters"),
        ("--email-domain", "not a domain", "--email-domain 'not a domain': expected a mail domain"),
        ("--region", "mars-1", "--region 'mars-1': expected an AWS region"),
    ],
)
def test_lz_init_refuses_bad_values_and_writes_nothing(tmp_path, capsys, option, value, message):
    path = tmp_path / "env.yaml"
    assert main(["init", str(path), option, value]) == 2
    assert message in capsys.readouterr().err and not path.exists()


def test_lz_init_refuses_a_directory(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["example.yaml", "minimal.yaml"])
def test_the_examples_name_their_schema(name):
    first = (ROOT / "environments" / name).read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema.json"
    assert json.loads((ROOT / "environments" / "schema.json").read_text())["title"]


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith("lz 0.1.0; policies checked against")


def test_the_yaml_and_the_construct_agree_on_billing_access():
    """Issue 23 B.6: one default for iam_user_access_to_billing, in the YAML model and in AccountProps."""
    import dataclasses

    from landing_zone.config.models.organization import Account
    from landing_zone.constructs.account import AccountProps

    (props,) = [f for f in dataclasses.fields(AccountProps) if f.name == "iam_user_access_to_billing"]
    assert props.default == Account.model_fields["iam_user_access_to_billing"].default is True


@pytest.mark.parametrize("provider", ["github", "gitlab"])
def test_ci_workflow_given_an_absolute_path_writes_no_machine_path(tmp_path, capsys, provider):
    """Issue 23 B.6: the workflow names the environment as the repository does, never this machine's folders."""
    target = tmp_path / "wf.yml"
    example = ROOT / "environments" / "example.yaml"
    assert main(["ci-workflow", str(example), "--provider", provider, "--output", str(target)]) == 0
    text = target.read_text()
    assert "environments/example.yaml" in text and str(ROOT) not in text
