"""What an outside audit asks of the organization (issue 28): centralized root access, alternate
contacts of every account, the AI services opt-out and tag policies. On the example as synthesized,
and on small variants for the switches (derived code, no synthesis)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from landing_zone.derived.contacts import account_contacts, management_contacts
from landing_zone.derived.management_policies import management_policies, policy_types, required_tag_keys, root_access_features
from landing_zone.environment import load_environment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"


def resources(stack: dict, kind: str) -> dict:
    return stack.get("resource", {}).get(kind, {})


def variant(tmp_path: Path, old: str, new: str):
    """The example with one line replaced."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "variant.yaml"
    path.write_text(text, encoding="utf-8")
    # the example's account request files, found next to the environment file by its name
    shutil.copytree(ROOT / "environments" / "example", tmp_path / "variant")
    return load_environment(path).env


# -- centralized root access ---------------------------------------------------------
@pytest.mark.synth
def test_root_access_features_follow_iam_trusted_access(synth_out):
    mgmt = synth_out.stacks["management"]
    (org,) = resources(mgmt, "aws_organizations_organization").values()
    assert "iam.amazonaws.com" in org["aws_service_access_principals"]
    features = resources(mgmt, "aws_iam_organizations_features")
    assert list(features) == ["organization_root_access"]
    (feature,) = features.values()
    assert feature["enabled_features"] == ["RootCredentialsManagement", "RootSessions"]
    assert feature["depends_on"] == ["aws_organizations_organization.organization"]


def test_root_access_is_configurable(tmp_path):
    env = variant(tmp_path, "root_access: {credentials_management: true, sessions: true}", "root_access: {sessions: false}")
    assert root_access_features(env) == ("RootCredentialsManagement",)
    assert root_access_features(load_environment(EXAMPLE).env) == ("RootCredentialsManagement", "RootSessions")


@pytest.mark.synth
def test_without_root_access_no_feature_and_no_iam_trusted_access():
    from cdktf import App, TerraformStack

    from landing_zone.constructs.organization import Organization, OrganizationProps

    stack = TerraformStack(App(), "s")
    org = Organization(stack, "org", OrganizationProps(root_access_features=()))
    assert org.root_access is None
    doc = stack.to_terraform()
    (conf,) = doc["resource"]["aws_organizations_organization"].values()
    assert "iam.amazonaws.com" not in conf["aws_service_access_principals"]
    assert "aws_iam_organizations_features" not in doc["resource"]


# -- alternate contacts ---------------------------------------------------------------
@pytest.mark.synth
def test_every_account_and_the_management_account_have_three_contacts(synth_out):
    env = synth_out.loaded.env
    mgmt = synth_out.stacks["management"]
    contacts = resources(mgmt, "aws_account_alternate_contact")
    member = {k: c for k, c in contacts.items() if "account_id" in c}
    own = {k: c for k, c in contacts.items() if "account_id" not in c}
    assert len(member) == 3 * len(env.accounts)
    assert {c["alternate_contact_type"] for c in own.values()} == {"SECURITY", "BILLING", "OPERATIONS"}
    assert own["own_contact_security"]["email_address"] == "security@acme-corp.io"
    for account in env.accounts:
        types = {
            c["alternate_contact_type"]
            for c in member.values()
            if c["account_id"] == "${aws_organizations_account.account_" + account.name + ".id}"
        }
        assert types == {"SECURITY", "BILLING", "OPERATIONS"}, account.name


def test_an_accounts_own_contacts_replace_the_default_per_type():
    env = load_environment(EXAMPLE).env
    default = env.organization.alternate_contacts
    # a vended account: the factory's security and operations contacts, the organization's billing contact
    vended = account_contacts(env, "sandbox-dev1")
    assert vended["security"].phone == "+1-555-0100"
    assert vended["operations"].email == "platform@acme-corp.io"
    assert vended["billing"] == default.billing
    # a core account: the organization's three
    assert account_contacts(env, "log-archive") == {
        "billing": default.billing,
        "operations": default.operations,
        "security": default.security,
    }
    assert management_contacts(env)["security"].email == "security@acme-corp.io"


# -- management policies ----------------------------------------------------------------
@pytest.mark.synth
def test_ai_opt_out_and_tag_policy_attached_at_the_root_with_their_types_enabled(synth_out):
    mgmt = synth_out.stacks["management"]
    (org,) = resources(mgmt, "aws_organizations_organization").values()
    assert {"AISERVICES_OPT_OUT_POLICY", "TAG_POLICY", "SERVICE_CONTROL_POLICY"} <= set(org["enabled_policy_types"])
    policies = resources(mgmt, "aws_organizations_policy")
    ai = policies["management_policy_ai_services_opt_out"]
    assert ai["type"] == "AISERVICES_OPT_OUT_POLICY"
    assert json.loads(ai["content"]) == {"services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}}}
    tag = policies["management_policy_tag_policy"]
    assert tag["type"] == "TAG_POLICY"
    assert json.loads(tag["content"]) == {
        "tags": {
            "cost-center": {"tag_key": {"@@assign": "cost-center"}},
            "managed-by": {"tag_key": {"@@assign": "managed-by"}},
            "owner": {"tag_key": {"@@assign": "owner"}},
        }
    }
    attachments = resources(mgmt, "aws_organizations_policy_attachment")
    for key in ("ai_services_opt_out", "tag_policy"):
        attached = attachments[f"management_policy_root_{key}"]
        assert attached["policy_id"] == "${aws_organizations_policy.management_policy_" + key + ".id}"
        assert attached["target_id"] == "${aws_organizations_organization.organization.roots[0].id}"


def test_management_policies_are_configurable(tmp_path):
    env = variant(tmp_path, "{ai_services_opt_out: true, tag_policy: true}", "{ai_services_opt_out: false}")
    assert [p.type for p in management_policies(env)] == ["TAG_POLICY"]
    assert policy_types(env) == ("TAG_POLICY",)
    assert required_tag_keys(env) == ("cost-center", "managed-by", "owner")


# -- CloudTrail Insights: an option, off by default (billed per event analyzed) -------------
@pytest.mark.synth
def test_the_example_trail_has_no_insights(synth_out):
    (trail,) = resources(synth_out.stacks["management-baseline"], "aws_cloudtrail").values()
    assert "insight_selector" not in trail


def test_insights_are_validated_and_their_cost_is_stated(tmp_path):
    from landing_zone.config.models.logging import OrganizationTrail

    field = OrganizationTrail.model_fields["insights"]
    assert field.default_factory() == [] and "USD 0.35 per 100,000" in (field.description or "")
    env = variant(tmp_path, "s3_data_events: write", "insights: [ApiCallRateInsight]\n    s3_data_events: write")
    assert env.logging.organization_trail.insights == ["ApiCallRateInsight"]
