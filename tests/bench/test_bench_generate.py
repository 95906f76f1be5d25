"""The benchmark's generated environments: valid, example-shaped, distinct names, emails and CIDRs."""

import ipaddress
import json

import pytest

from bench.generate import EXAMPLE_ACCOUNTS, example_data, scaled, write_environment
from bench.plans import plan_of_stack, write_plans
from landing_zone.environment import load_environment
from landing_zone.review.plans import parse_plan


@pytest.fixture(scope="module")
def loaded_100(tmp_path_factory):
    return load_environment(write_environment(100, tmp_path_factory.mktemp("bench")))


def test_the_example_has_the_base_number_of_member_accounts():
    assert len(load_environment("environments/example.yaml").env.accounts) == EXAMPLE_ACCOUNTS


def test_a_100_account_environment_validates_with_unique_names_emails_and_cidrs(loaded_100):
    env = loaded_100.env
    assert len(env.accounts) == 100
    names = [a.name for a in env.accounts]
    emails = [a.email for a in env.accounts] + [env.organization.management_account.email]
    assert len(set(names)) == 100 and len(set(emails)) == 101
    cidrs = [ipaddress.ip_network(v.cidr) for v in env.network.vpcs if v.cidr]
    assert all(not a.overlaps(b) for i, a in enumerate(cidrs) for b in cidrs[i + 1 :])
    vpc_names = [v.name for v in env.network.vpcs]
    assert len(set(vpc_names)) == len(vpc_names)


def test_a_1000_account_environment_validates_without_warnings(tmp_path):
    """Its clone spokes summarize per template, so no network ACL needs more rules than AWS allows."""
    loaded = load_environment(write_environment(1000, tmp_path))
    assert len(loaded.env.accounts) == 1000
    assert [w.message for w in loaded.warnings] == []


def test_clones_keep_their_templates_ou_and_spoke_segment(loaded_100):
    env = loaded_100.env
    ous = {a.name: a.ou for a in env.accounts}
    assert ous["payments-prod-0001"] == ous["payments-prod"] == "Workloads/Prod"
    assert ous["sandbox-dev1-0000"] == "Sandbox"
    vpcs = {v.name: v for v in env.network.vpcs}
    assert [a.segment for a in vpcs["payments-prod-0001"].attachments] == ["prod"]
    assert vpcs["payments-prod-0001"].account == "payments-prod-0001"
    assert "sandbox-dev1-0000" not in vpcs  # the template has no spoke
    # the example's request file comes along
    assert "policy-staging" in ous


def test_fewer_accounts_than_the_example_is_refused():
    with pytest.raises(ValueError):
        scaled(example_data(), EXAMPLE_ACCOUNTS - 1)


def test_plans_made_from_a_stack_parse_as_terraform_plans(tmp_path):
    tf = {
        "resource": {
            "aws_s3_bucket": {"logs": {"bucket": "b", "tags": {"a": "1"}, "lifecycle": {"prevent_destroy": True}}},
            "aws_s3_bucket_versioning": {"logs_v": {"bucket": "${aws_s3_bucket.logs.id}"}},
        }
    }
    plan = parse_plan(plan_of_stack(tf), "account-x", tmp_path / "account-x.json")
    actions = {c.address: c.action for c in plan.changes}
    assert actions == {"aws_s3_bucket.logs": "update", "aws_s3_bucket_versioning.logs_v": "no-op"}
    stacks = tmp_path / "out" / "stacks"
    for name in ("management", "account-a", "account-b"):
        (stacks / name).mkdir(parents=True)
        (stacks / name / "cdk.tf.json").write_text(json.dumps(tf))
    written = write_plans(tmp_path / "out", tmp_path / "plans", 2)
    assert [p.name for p in written] == ["management.json", "account-a.json"]
    with pytest.raises(ValueError):
        write_plans(tmp_path / "out", tmp_path / "plans", 4)
