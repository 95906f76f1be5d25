"""`lz scan` on hand-written stacks: exit codes, summary, JSON and SARIF output, config skips."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.cli.main import main
from landing_zone.scan import checkov_config
from landing_zone.scan.stacks import read_stack, stack_name

from .conftest import FIXTURES

REPO = Path(__file__).resolve().parents[2]


def test_missing_directory_is_bad_input(tmp_path, capsys):
    assert main(["scan", str(tmp_path / "nowhere")]) == 2
    assert "no such directory" in capsys.readouterr().err


def test_directory_without_stacks_is_bad_input(tmp_path, capsys):
    (tmp_path / "manifest.json").write_text("{}")
    assert main(["scan", str(tmp_path)]) == 2
    assert "no *.tf.json files" in capsys.readouterr().err


def test_required_version_is_refused_before_checkov(tmp_path, capsys):
    stack = tmp_path / "stacks" / "management"
    stack.mkdir(parents=True)
    (stack / "cdk.tf.json").write_text(json.dumps({"terraform": {"required_version": ">= 1.5"}}))
    assert main(["scan", str(tmp_path), "--format", "json"]) == 2
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert len(errors) == 1 and "checkov issue 7454" in errors[0] and "stacks/management/cdk.tf.json" in errors[0]


def test_invalid_json_is_bad_input(tmp_path, capsys):
    (tmp_path / "broken.tf.json").write_text("{")
    assert main(["scan", str(tmp_path)]) == 2
    assert "broken.tf.json: not valid JSON" in capsys.readouterr().err


def test_bad_quota_override_is_bad_input(tmp_path, capsys, monkeypatch):
    shutil.copytree(FIXTURES / "account_prevent_destroy" / "pass", tmp_path / "stacks" / "a")
    monkeypatch.setenv("LZ_SCP_SIZE_LIMIT", "ten thousand")
    assert main(["scan", str(tmp_path)]) == 2
    assert "LZ_SCP_SIZE_LIMIT='ten thousand': must be a positive integer" in capsys.readouterr().err


def test_skip_without_reason_is_refused(tmp_path, capsys):
    shutil.copytree(FIXTURES / "account_prevent_destroy" / "pass", tmp_path / "stacks" / "a")
    config = tmp_path / "checkov.yaml"
    config.write_text("framework: [terraform_json]\nskip-check:\n  - CKV_AWS_18  # log targets\n  - CKV_AWS_21\n")
    assert main(["scan", str(tmp_path), "--config", str(config)]) == 2
    assert "missing for CKV_AWS_21" in capsys.readouterr().err


def test_clean_stack_passes_with_the_package_default_config(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # whole lines: text output wraps at the width (tests/render/test_width.py)
    shutil.copytree(FIXTURES / "account_prevent_destroy" / "pass", tmp_path / "cdktf.out" / "stacks" / "management")
    monkeypatch.chdir(tmp_path)  # no .checkov.yaml here, and DIR defaults to cdktf.out
    assert main(["scan"]) == 0
    out = capsys.readouterr().out
    assert f"(config {checkov_config.default_config_path()})" in out
    row = next(line.split() for line in out.splitlines() if line.startswith("management "))
    assert row[:4] == ["management", "2", "0", "0"]  # CKV_LZ_1 and CKV_LZ_2 on the one account
    assert out.rstrip().endswith("PASS: 2 passed, 0 failed, 0 skipped")


@pytest.fixture(scope="module")
def failing_scan(tmp_path_factory):
    """`lz scan` over every fixture, as JSON with SARIF (one checkov run for the tests below).

    It runs from a folder whose own .checkov.yaml skips CKV_LZ_1: `--config` must
    replace that file, not merge with it."""
    work = tmp_path_factory.mktemp("scan")
    (work / ".checkov.yaml").write_text("skip-check:\n  - CKV_LZ_1  # must not apply when --config names another file\n")
    sarif = work / "reports" / "checkov.sarif"
    buffer = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(buffer):
        patch.chdir(work)
        code = main(
            [
                "scan",
                str(FIXTURES),
                "--format",
                "json",
                "--sarif",
                "reports/checkov.sarif",
                "--config",
                str(checkov_config.default_config_path()),
            ]
        )
    return code, json.loads(buffer.getvalue()), sarif


def test_failed_checks_exit_1_and_are_listed(failing_scan):
    code, result, _ = failing_scan
    assert code == 1 and result["result"] == "fail"
    assert len(result["stacks"]) == 2 * len(list(FIXTURES.iterdir()))
    failed = {(f["check_id"], f["resource"], f["stack"]) for f in result["failures"]}
    assert ("CKV_LZ_1", "aws_organizations_account.no_lifecycle", "account_prevent_destroy/fail") in failed
    assert "CKV_LZ_1" not in {s["check_id"] for s in result["skips"]}  # the cwd's .checkov.yaml was ignored
    assert ("CKV_LZ_6", "aws_s3_bucket.jsonencoded", "trail_bucket_access_logging/fail") in failed
    assert not any(f["stack"].endswith("/pass") and f["check_id"].startswith("CKV_LZ_") for f in result["failures"])
    finding = next(f for f in result["failures"] if f["resource"] == "aws_organizations_policy.over_limit")
    assert finding["file"].endswith("scp_content/fail/cdk.tf.json") and len(finding["lines"]) == 2
    assert finding["details"] == ["content has 10748 characters, over the SCP limit of 10240"]
    assert finding["guideline"].startswith("Write the SCP as literal minified JSON")
    per_stack = {s["stack"]: s for s in result["stacks"]}
    assert per_stack["account_prevent_destroy/fail"]["failed"] == 3
    assert result["totals"]["failed"] == len(result["failures"])


def test_sarif_is_written(failing_scan):
    _, result, sarif = failing_scan
    document = json.loads(sarif.read_text())
    assert document["version"] == "2.1.0"
    rule_ids = {r["ruleId"] for r in document["runs"][0]["results"]}
    assert {"CKV_LZ_1", "CKV_LZ_3", "CKV_LZ_6"} <= rule_ids
    assert result["sarif"].endswith("checkov.sarif")


def test_python_check_addresses_are_resolved(tmp_path):
    # checkov reports Python-check results as `resource.<name>`; the gate restores the type,
    # by line when two types declare the same name.
    path = tmp_path / "stacks" / "s" / "cdk.tf.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"resource": {"aws_s3_bucket": {"x": {}, "only": {}}, "aws_kms_key": {"x": {}}}}, indent=2))
    stack = read_stack(path, tmp_path)
    assert stack.name == "s" and stack_name(path, tmp_path) == "s"
    lines = path.read_text().splitlines()
    kms_line = next(i for i, line in enumerate(lines, 1) if '"aws_kms_key"' in line) + 1
    assert stack.address("resource.only", 4) == "aws_s3_bucket.only"
    assert stack.address("resource.x", kms_line) == "aws_kms_key.x"
    assert stack.address("resource.x", 4) == "aws_s3_bucket.x"
    assert stack.address("aws_s3_bucket.only") == "aws_s3_bucket.only"


def test_skip_reasons_are_read_from_comments(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(
        "skip-check:\n  - CKV_AWS_18   # the access-log bucket cannot log to itself\n"
        "  - 'CKV2_AWS_62'  # no consumer for event notifications\ncompact: true\n"
    )
    parsed = checkov_config.read(config)
    assert [(s.check_id, s.reason) for s in parsed.skips] == [
        ("CKV_AWS_18", "the access-log bucket cannot log to itself"),
        ("CKV2_AWS_62", "no consumer for event notifications"),
    ]
    assert parsed.unexplained_skips == []


def test_project_and_package_configs_skip_the_same_checks_with_reasons():
    project = checkov_config.read(REPO / ".checkov.yaml")
    package = checkov_config.read(checkov_config.default_config_path())
    assert project.unexplained_skips == [] and package.unexplained_skips == []
    assert project.skips == package.skips
    assert project.external_checks_dirs == ("landing_zone/checks",)


def test_checks_folder_is_printable_for_plain_checkov():
    out = subprocess.run([sys.executable, "-m", "landing_zone.checks"], capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()) == Path(checkov_config.CHECKS_DIR)


def test_env_option_takes_the_quotas_from_the_environment(tmp_path):
    env_file = tmp_path / "env.yaml"
    env_file.write_text(f"extends: {REPO / 'environments' / 'example.yaml'}\nlimits:\n  scp_size: 6000\n")
    from landing_zone.cli.commands.scan import _limits

    assert _limits(str(env_file)) == {"scp_size": 6000, "scps_per_target": 10}
    assert _limits(None) is None


def test_env_option_with_an_invalid_environment_exits_2(tmp_path, capsys):
    env_file = tmp_path / "env.yaml"
    env_file.write_text(f"extends: {REPO / 'environments' / 'example.yaml'}\nlimits:\n  scp_size: 0\n")
    assert main(["scan", str(FIXTURES), "--env", str(env_file)]) == 2
    assert "scp_size" in capsys.readouterr().err


def test_a_stack_checkov_cannot_parse_fails_the_gate(tmp_path, capsys, monkeypatch):
    """checkov's terraform_json parser cannot read a `removed` block (why the stacks write removed.tf as HCL):
    the gate must fail such a file as unreadable, never pass it with 0 checks run."""
    monkeypatch.setenv("COLUMNS", "1000")
    for name in ("a", "b"):
        shutil.copytree(FIXTURES / "account_prevent_destroy" / "pass", tmp_path / "stacks" / name)
    stack = tmp_path / "stacks" / "b" / "cdk.tf.json"
    document = json.loads(stack.read_text(encoding="utf-8"))
    document["removed"] = [{"from": "aws_s3_bucket.moved", "lifecycle": [{"destroy": False}]}]
    stack.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert main(["scan", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "PARSE ERROR" in out and "stacks/b/cdk.tf.json" in out
    assert "FAIL: 2 passed, 0 failed, 0 skipped, 1 unreadable file(s)" in out
