"""The terraform runner on real terraform: built-in provider stacks (no download) and the AWS mirror."""

from __future__ import annotations

import json

import pytest

from landing_zone.local_aws.endpoints import provider_settings
from landing_zone.terraform.runner import Terraform, TerraformError


def test_apply_then_plan_finds_no_changes_and_a_change_is_detected(tmp_path, tf_env, builtin_stack):
    messages: list[str] = []
    tf = Terraform(builtin_stack(tmp_path / "demo"), env=tf_env, progress=messages.append)
    tf.init()
    applied = tf.apply()
    assert applied.summary == "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."
    assert "[demo]     1 created terraform_data.marker" in messages
    assert tf.plan().returncode == 0
    assert tf.output_json() == {"marker": "one"}
    assert [r["address"] for r in tf.show_json()["values"]["root_module"]["resources"]] == ["terraform_data.marker"]
    builtin_stack(tmp_path / "demo", value="two")
    assert tf.plan().returncode == 2
    [change] = tf.plan_json()["resource_changes"]  # what lz plan-review reads
    assert change["address"] == "terraform_data.marker" and change["change"]["actions"] != ["no-op"]
    assert not list((tmp_path / "demo").glob("*.tfplan"))
    # refresh=False (local throw-away runs) deletes from the state without reading every resource first
    assert tf.destroy(refresh=False).summary.startswith("Destroy complete! Resources: 1 destroyed.")
    assert "Refreshing state" not in (tmp_path / "demo" / ".terraform-destroy.log").read_text()
    assert tf.show_json().get("values") is None
    assert set(tf.timings) == {"init", "apply", "plan", "output", "show", "destroy"}
    assert (tmp_path / "demo" / ".terraform-apply.log").read_text().count("Apply complete!") == 1


def test_a_failing_command_raises_with_the_tail_of_terraforms_errors(tmp_path, tf_env, write_stack):
    folder = write_stack(tmp_path / "broken", {"resource": {"terraform_data": {"x": {"input": "${nope.missing}"}}}})
    tf = Terraform(folder, env=tf_env, progress=lambda m: None)
    tf.init()
    with pytest.raises(TerraformError) as caught:
        tf.validate()
    message = str(caught.value)
    assert message.startswith(f"terraform validate failed in {folder} (exit 1, ")
    assert "Reference to undeclared resource" in message


def test_missing_terraform_is_a_clear_error(tmp_path):
    with pytest.raises(TerraformError, match="terraform-not-here is not installed|terraform is not installed or not on PATH"):
        Terraform(tmp_path, binary="terraform-not-here")


def test_a_missing_stack_folder_says_to_synthesize(tmp_path, tf_env):
    with pytest.raises(TerraformError, match="no such stack folder \\(run `lz synth` first\\)"):
        Terraform(tmp_path / "absent", env=tf_env).init()


def test_local_endpoint_settings_validate_with_aws_provider_5_100_from_the_mirror(tmp_path, tf_env, write_stack):
    """Every endpoint name exists in provider 5.100.0 and no two aliases conflict."""
    settings = provider_settings("http://127.0.0.1:4566")
    folder = write_stack(
        tmp_path / "aws",
        {
            "terraform": {"required_providers": {"aws": {"source": "aws", "version": "5.100.0"}}},
            "provider": {"aws": [{"region": "eu-west-1", **settings}]},
        },
    )
    tf = Terraform(folder, env=tf_env, progress=lambda m: None)
    tf.init()
    tf.validate()
    lock = (folder / ".terraform.lock.hcl").read_text()
    assert 'version     = "5.100.0"' in lock
    schema = json.loads(tf._run("schema", ["providers", "schema", "-json"], quiet=True).output)
    provider = schema["provider_schemas"]["registry.terraform.io/hashicorp/aws"]["provider"]["block"]
    assert sorted(set(settings) - set(provider["attributes"])) == []
