"""Small variants of the example: S3 and HCP Terraform state, an adopted account,
the local-AWS endpoint override, and a throw-away run without prevent_destroy.

Two extra synths (in-process, about a second each once cdktf is loaded).
"""

from __future__ import annotations

import pytest

from landing_zone.constructs.ids import logical_id
from landing_zone.derived.stack_layout import AUDIT, LOG_ARCHIVE, MANAGEMENT
from landing_zone.environment import load_environment
from landing_zone.local_aws.endpoints import target_url

from . import EXAMPLE

pytestmark = pytest.mark.synth

ADOPTED_ID = "111122223333"
PLAIN = "legacy-app"  # neither core nor vended, no VPC: gets a baseline-only stack
ENDPOINT = "http://127.0.0.1:45999"

_example = load_environment(EXAMPLE).env
LOG_ARCHIVE_ACCOUNT = _example.core.log_archive_account
# Any other configured account: it gets close_on_deletion and alternate contacts.
OTHER = next(a.name for a in _example.accounts if a.name not in (LOG_ARCHIVE_ACCOUNT, _example.core.audit_account))

S3_VARIANT = f"""
extends: {EXAMPLE}
organization:
  policy_types: [TAG_POLICY, BACKUP_POLICY]
state:
  backend: s3
  bucket: acme-terraform-state
  key_prefix: lz
  region: eu-west-1
  kms_key_id: alias/terraform-state
accounts:
  - name: {LOG_ARCHIVE_ACCOUNT}
    id: "{ADOPTED_ID}"
  - name: {PLAIN}
    email: aws+{PLAIN}@acme-corp.io
    ou: Workloads/Prod
  - name: {OTHER}
    close_on_deletion: true
    alternate_contacts:
      security: {{name: Sec Team, title: CISO, email: security@acme-corp.io, phone: "+1-555-0100"}}
      billing: {{name: Finance, title: Controller, email: billing@acme-corp.io, phone: "+1-555-0101"}}
"""

REMOTE_VARIANT = f"""
extends: {EXAMPLE}
state:
  backend: remote
  organization: acme-platform
  workspace_prefix: "lz-"
"""


@pytest.fixture(scope="module")
def s3(tmp_path_factory, synth_env):
    folder = tmp_path_factory.mktemp("variant_s3")
    env_file = folder / "s3.yaml"
    env_file.write_text(S3_VARIANT, encoding="utf-8")
    return synth_env(env_file, folder / "out")


@pytest.fixture(scope="module")
def remote(tmp_path_factory, synth_env):
    folder = tmp_path_factory.mktemp("variant_remote")
    env_file = folder / "remote.yaml"
    env_file.write_text(REMOTE_VARIANT, encoding="utf-8")
    return synth_env(env_file, folder / "out", local_endpoint=ENDPOINT, allow_destroy=True)


def test_s3_backend_with_native_locking_per_stack(s3):
    for name, stack in s3.stacks.items():
        backend = stack["terraform"]["backend"]
        assert list(backend) == ["s3"], name
        assert backend["s3"] == {
            "bucket": "acme-terraform-state",
            "key": f"lz/s3/{name}.tfstate",
            "region": "eu-west-1",
            "encrypt": True,
            "kms_key_id": "alias/terraform-state",
            "use_lockfile": True,
        }


def test_cross_stack_reads_go_through_the_s3_state(s3):
    states = s3.stacks[AUDIT]["data"]["terraform_remote_state"]
    state = states[f"cross-stack-reference-input-{MANAGEMENT}"]
    assert state["backend"] == "s3"
    assert state["config"]["bucket"] == "acme-terraform-state"
    assert state["config"]["key"] == f"lz/s3/{MANAGEMENT}.tfstate"
    assert all(s["backend"] == "s3" for s in states.values())


def test_adopted_account_is_imported_and_its_stack_uses_the_configured_id(s3):
    mgmt = s3.stacks[MANAGEMENT]
    address = "aws_organizations_account." + logical_id("account", LOG_ARCHIVE_ACCOUNT)
    assert {"to": address, "id": ADOPTED_ID} in mgmt["import"]
    assert len(mgmt["import"]) == 1
    assert mgmt["output"]["account_ids"]["value"][LOG_ARCHIVE_ACCOUNT] == ADOPTED_ID
    log_archive = s3.stacks[LOG_ARCHIVE]
    for provider in log_archive["provider"]["aws"]:
        assert provider["assume_role"][0]["role_arn"] == f"arn:aws:iam::{ADOPTED_ID}:role/OrganizationAccountAccessRole"
        assert provider["allowed_account_ids"] == [ADOPTED_ID]
    # The provider needs no cross-stack read, but the stack still deploys after management.
    assert MANAGEMENT in s3.manifest["stacks"][LOG_ARCHIVE]["dependencies"]


def test_close_on_deletion_only_where_the_config_asks(s3):
    accounts = s3.stacks[MANAGEMENT]["resource"]["aws_organizations_account"]
    closing = {a["name"] for a in accounts.values() if a["close_on_deletion"]}
    assert closing == {OTHER}
    # The gate's CKV_LZ_2 sees the config's permission as this tag, and only there.
    tagged = {a["name"] for a in accounts.values() if (a.get("tags") or {}).get("lz:close-on-deletion") == "allowed"}
    assert tagged == {OTHER}


def test_alternate_contacts_are_set_from_the_management_account(s3):
    contacts = s3.stacks[MANAGEMENT]["resource"]["aws_account_alternate_contact"]
    account = "${aws_organizations_account." + logical_id("account", OTHER) + ".id}"
    by_type = {
        c["alternate_contact_type"]: c for c in contacts.values() if c.get("account_id") == account
    }  # vended accounts have theirs; the management account's own have no account_id
    # its own security and billing contacts, the example's organization-wide operations contact (issue 28)
    assert set(by_type) == {"SECURITY", "BILLING", "OPERATIONS"}
    assert by_type["OPERATIONS"]["email_address"] == "platform-oncall@acme-corp.io"
    assert by_type["SECURITY"] == {
        **by_type["SECURITY"],
        "account_id": account,
        "name": "Sec Team",
        "title": "CISO",
        "email_address": "security@acme-corp.io",
        "phone_number": "+1-555-0100",
    }
    assert by_type["BILLING"]["account_id"] == account


def test_s3_backend_without_local_endpoint_has_no_endpoint_settings(s3):
    backend = s3.stacks[MANAGEMENT]["terraform"]["backend"]["s3"]
    assert not any(key.startswith(("skip_", "endpoints", "use_path_style")) for key in backend)


def test_remote_backend_gets_one_workspace_per_environment_and_stack(remote):
    for name, stack in remote.stacks.items():
        assert stack["terraform"]["backend"] == {
            "remote": {
                "hostname": "app.terraform.io",
                "organization": "acme-platform",
                "workspaces": {"name": f"lz-remote-{name}"},
            }
        }
    state = remote.stacks[AUDIT]["data"]["terraform_remote_state"][f"cross-stack-reference-input-{MANAGEMENT}"]
    assert state["backend"] == "remote"
    assert state["config"]["organization"] == "acme-platform"
    assert state["config"]["workspaces"] == {"name": f"lz-remote-{MANAGEMENT}"}


def test_local_endpoint_points_every_provider_at_the_local_api(remote):
    for name, stack in remote.stacks.items():
        for provider in stack["provider"]["aws"]:
            assert target_url(provider) == ENDPOINT, name
            assert "endpoints" not in provider, name  # 2 s of CPU per provider process (endpoints.py)
            assert provider["skip_credentials_validation"] is True
            assert provider["skip_region_validation"] is True
            assert provider["skip_metadata_api_check"] == "true"
            assert provider["s3_use_path_style"] is True
            assert provider["max_retries"] == 5
            # moto answers the account id; Security Hub and S3 Control need it.
            assert provider.get("skip_requesting_account_id", False) is False
            assert provider["default_tags"]  # still tagged


def test_allow_destroy_lifts_prevent_destroy_everywhere(remote):
    mgmt = remote.stacks[MANAGEMENT]["resource"]
    for kind in ("aws_organizations_organization", "aws_organizations_organizational_unit", "aws_organizations_account"):
        for name, res in mgmt[kind].items():
            assert res["lifecycle"]["prevent_destroy"] is False, name


def test_configured_policy_types_are_enabled_beside_scps(s3, synth_out):
    enabled = s3.stacks[MANAGEMENT]["resource"]["aws_organizations_organization"]["organization"]["enabled_policy_types"]
    # the configured types, plus what the management policies need (issue 28: AI services opt-out, tags)
    assert enabled == ["AISERVICES_OPT_OUT_POLICY", "BACKUP_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY"]
    example = synth_out.stacks[MANAGEMENT]["resource"]["aws_organizations_organization"]["organization"]
    assert example["enabled_policy_types"] == ["AISERVICES_OPT_OUT_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY"]


def test_an_account_that_is_neither_core_nor_vended_gets_a_baseline_stack(s3):
    """Every member account needs its Config recorder (organization Config rules fail without one)."""
    stack = s3.stacks[f"account-{PLAIN}"]
    resources = stack["resource"]
    assert len(resources["aws_config_configuration_recorder"]) == len(_example.organization.governed_regions)
    assert set(resources) >= {
        "aws_iam_account_password_policy",
        "aws_s3_account_public_access_block",
        "aws_ebs_encryption_by_default",
        "aws_ec2_instance_metadata_defaults",
    }
    assert "aws_budgets_budget" not in resources  # the factory's extras are for vended accounts only
    for provider in stack["provider"]["aws"]:
        assert provider["assume_role"][0]["role_arn"].endswith(f":role/{_example.organization.access_role_name}")
    assert f"account-{PLAIN}" in s3.stacks and "account-network" not in s3.stacks
