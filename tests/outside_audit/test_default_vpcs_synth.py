"""organization.default_vpcs in the synthesized example: the delete step in every account's stack but the
sandboxes', which lock theirs (no rules, flow logs to the log archive), and nothing for `keep`."""

from __future__ import annotations

import shlex

import pytest

from landing_zone.derived.default_vpcs import default_vpc_mode, default_vpc_modes
from landing_zone.live.default_vpcs import ROLE_ARN_VAR
from tests.stack_json import resources

REGIONS = ["eu-central-1", "eu-west-1"]


def steps(synth_out) -> dict[str, tuple[str, dict]]:
    """Account name -> (stack, terraform_data) of every delete step."""
    found = {}
    for stack_name, stack in synth_out.stacks.items():
        for body in resources(stack, "terraform_data").values():
            words = shlex.split(body["provisioner"][0]["local-exec"]["command"])
            account = words[words.index("--account") + 1]
            assert account not in found, f"{account}: a second delete step in {stack_name}"
            found[account] = (stack_name, body)
    return found


def test_the_modes_of_the_example():
    from landing_zone.environment import load_environment
    from tests.conftest import EXAMPLE

    env = load_environment(EXAMPLE).env
    modes = default_vpc_modes(env)
    assert modes["sandbox-dev1"] == "lock"  # ous: {Sandbox: lock}
    assert {name for name, mode in modes.items() if mode != "delete"} == {"sandbox-dev1"}
    assert list(modes)[0] == "management"


def test_the_most_specific_entry_wins():
    from landing_zone.config.models import DefaultVpcs
    from landing_zone.environment import load_environment
    from tests.conftest import EXAMPLE

    env = load_environment(EXAMPLE).env
    setting = DefaultVpcs(mode="keep", ous={"Workloads": "lock", "Workloads/Prod": "delete"}, accounts={"web-prod": "keep"})
    env = env.model_copy(update={"organization": env.organization.model_copy(update={"default_vpcs": setting})})
    assert default_vpc_mode(env, "payments-prod") == "delete"  # Workloads/Prod: the deepest OU
    assert default_vpc_mode(env, "payments-nonprod") == "lock"  # Workloads/NonProd inherits Workloads
    assert default_vpc_mode(env, "web-prod") == "keep"  # its own entry
    assert default_vpc_mode(env, "network") == "keep"  # no entry: the mode
    assert default_vpc_mode(env, "management") == "keep"


def test_every_deleting_account_runs_the_step_once_for_every_governed_region(synth_out):
    env = synth_out.loaded.env
    found = steps(synth_out)
    assert set(found) == {name for name, mode in default_vpc_modes(env).items() if mode == "delete"}
    for account, (stack_name, body) in found.items():
        exec_ = body["provisioner"][0]["local-exec"]
        words = shlex.split(exec_["command"])
        assert words[:3] == ["$${LZ_PYTHON:-python3}", "-m", "landing_zone.live.default_vpcs"], exec_["command"]
        assert [words[i + 1] for i, w in enumerate(words) if w == "--region"] == REGIONS
        assert "--endpoint" not in words  # AWS: the step uses AWS's endpoints
        assert body["triggers_replace"]["regions"] == REGIONS and body["triggers_replace"]["mode"] == "delete"
        if account == env.organization.management_account.name:
            assert "environment" not in exec_  # the management stack's own credentials
            assert body["triggers_replace"]["role_arn"] == ""
        else:
            role = exec_["environment"][ROLE_ARN_VAR]
            assert role.startswith("arn:aws:iam::") and role.endswith(":role/OrganizationAccountAccessRole"), role
            assert body["triggers_replace"]["role_arn"] == role
        stack = synth_out.stacks[stack_name]
        assert not [n for n in resources(stack, "aws_default_security_group") if n.startswith("default_vpc_")]
        assert "aws_vpcs" not in stack.get("data", {})


def test_a_locked_account_closes_the_default_vpc_of_every_region(synth_out):
    locked = [name for name, stack in synth_out.stacks.items() if "sandbox-dev1" in name and resources(stack, "aws_flow_log")]
    assert len(locked) == 1, locked
    stack = synth_out.stacks[locked[0]]
    assert resources(stack, "terraform_data") == {}
    for region in REGIONS:
        vpcs = stack["data"]["aws_vpcs"][f"default_vpc_{region}"]
        assert vpcs["filter"] == [{"name": "is-default", "values": ["true"]}]
        count = f"${{length(data.aws_vpcs.default_vpc_{region}.ids)}}"
        sg = resources(stack, "aws_default_security_group")[f"default_vpc_security_group_{region}"]
        assert sg["count"] == count and "ingress" not in sg and "egress" not in sg  # every rule removed
        acl = resources(stack, "aws_default_network_acl")[f"default_vpc_network_acl_{region}"]
        assert acl["count"] == count and "ingress" not in acl and "egress" not in acl
        assert acl["lifecycle"] == {"ignore_changes": ["subnet_ids"]}
        flow = resources(stack, "aws_flow_log")[f"default_vpc_flow_log_{region}"]
        assert flow["count"] == count and flow["traffic_type"] == "ALL" and flow["log_destination_type"] == "s3"
        assert flow["log_destination"].startswith("arn:aws:s3:::") and "/" not in flow["log_destination"].removeprefix(
            "arn:aws:s3:::"
        )
    assert not resources(stack, "aws_default_vpc")  # it would create a default VPC where there is none


def test_a_local_synth_points_the_step_at_the_local_api(synth_env, tmp_path):
    from tests.conftest import EXAMPLE

    out = synth_env(EXAMPLE, tmp_path, local_endpoint="http://127.0.0.1:4599")
    words = shlex.split(steps(out)["network"][1]["provisioner"][0]["local-exec"]["command"])
    assert words[words.index("--endpoint") + 1] == "http://127.0.0.1:4599"


def test_keep_adds_nothing_and_lock_needs_a_destination():
    from cdktf import TerraformStack, Testing

    from landing_zone.constructs.aws_provider import AwsProviderProps, aws_provider
    from landing_zone.constructs.default_vpcs import DefaultVpcs, DefaultVpcsProps

    stack = TerraformStack(Testing.app(), "s")
    providers = {"eu-west-1": aws_provider(stack, "aws", AwsProviderProps(region="eu-west-1"))}
    kept = DefaultVpcs(stack, "kept", DefaultVpcsProps(mode="keep", account_name="a", providers=providers))
    assert (kept.step, kept.security_groups, kept.network_acls, kept.flow_logs) == (None, {}, {}, {})
    with pytest.raises(ValueError, match="needs flow_log_destination_arn"):
        DefaultVpcs(stack, "lock", DefaultVpcsProps(mode="lock", account_name="a", providers=providers))
    with pytest.raises(ValueError, match="'open' is not one of delete, lock, keep"):
        DefaultVpcs(stack, "open", DefaultVpcsProps(mode="open", account_name="a", providers=providers))
