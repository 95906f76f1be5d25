"""Write a `terraform test` file (mock providers, offline) that proves the example's
permission sets, groups and assignments as terraform evaluates them.

moto cannot read permission sets back (no sso-admin ListTagsForResource), so
they are proven here: every account, group and permission set gets a distinct
mocked id, then one `command = apply` run checks each permission set's
attributes and policies and that every assignment joins the right group,
permission set and account.
"""

from __future__ import annotations

import json

from landing_zone.constructs.ids import logical_id
from landing_zone.identity.plan import IdentityPlan
from landing_zone.identity.policy import managed_policy_arn, minify_policy

INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-1111111111111111"
IDENTITY_STORE_ID = "d-1111111111"
MANAGEMENT_ID = "111111111111"


def hcl_string(text: str) -> str:
    """A terraform string literal holding exactly `text` (no interpolation)."""
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def _assert(condition: str, message: str) -> str:
    return f"  assert {{\n    condition     = {condition}\n    error_message = {hcl_string(message)}\n  }}\n"


def without_prevent_destroy(stack: dict) -> dict:
    """The stack without `prevent_destroy`, so `terraform test` can tear its mocked resources down."""
    for resources in stack.get("resource", {}).values():
        for conf in resources.values():
            conf.get("lifecycle", {}).pop("prevent_destroy", None)
    return stack


def account_addresses(stack: dict) -> dict[str, str]:
    """Account name -> terraform address of its aws_organizations_account."""
    return {
        conf["name"]: f"aws_organizations_account.{key}" for key, conf in stack["resource"]["aws_organizations_account"].items()
    }


def build(plan: IdentityPlan, stack: dict, management: str) -> tuple[str, dict[str, str]]:
    """The .tftest.hcl text and the mocked account id by account name."""
    accounts = account_addresses(stack)
    ids = {name: f"2{i:011d}" for i, name in enumerate(sorted(accounts), start=1)}
    ids[management] = MANAGEMENT_ID
    ps_addr = {p.name: f"aws_ssoadmin_permission_set.{logical_id('permission_set', p.name)}" for p in plan.permission_sets}
    group_addr = {g.name: f"aws_identitystore_group.{logical_id('sso_group', g.name)}" for g in plan.groups}
    out = [
        f'''mock_provider "aws" {{
  mock_data "aws_ssoadmin_instances" {{
    defaults = {{
      arns               = ["{INSTANCE_ARN}"]
      identity_store_ids = ["{IDENTITY_STORE_ID}"]
    }}
  }}
  # Computed values that other resources index or validate.
  mock_resource "aws_organizations_organization" {{
    defaults = {{
      master_account_id = "{MANAGEMENT_ID}"
      roots             = [{{ id = "r-abcd", arn = "arn:aws:organizations::{MANAGEMENT_ID}:root/o-abcdefghij/r-abcd", name = "Root", policy_types = [] }}]
    }}
  }}
  mock_resource "aws_organizations_organizational_unit" {{
    defaults = {{ id = "ou-abcd-11111111", arn = "arn:aws:organizations::{MANAGEMENT_ID}:ou/o-abcdefghij/ou-abcd-11111111" }}
  }}
  # The self-service catalog's OU shares and templates validate these as ARNs.
  mock_resource "aws_kms_key" {{
    defaults = {{ arn = "arn:aws:kms:eu-west-1:{MANAGEMENT_ID}:key/11111111-1111-4111-8111-111111111111" }}
  }}
}}

mock_provider "aws" {{
  alias = "eu-central-1"
}}
'''
    ]
    for name, address in sorted(accounts.items()):
        out.append(f'override_resource {{\n  target = {address}\n  values = {{ id = "{ids[name]}" }}\n}}\n')
    for i, (_name, address) in enumerate(sorted(ps_addr.items()), start=1):
        out.append(
            f'override_resource {{\n  target = {address}\n  values = {{ arn = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-{i:016d}" }}\n}}\n'
        )
    for i, (_name, address) in enumerate(sorted(group_addr.items()), start=1):
        out.append(
            f'override_resource {{\n  target = {address}\n  values = {{ group_id = "{i:08x}-1111-4111-8111-111111111111" }}\n}}\n'
        )

    run = ['run "identity_center" {\n  command = apply\n\n']
    for p in plan.permission_sets:
        a = ps_addr[p.name]
        checks = [
            f"{a}.name == {hcl_string(p.name)}",
            f"{a}.session_duration == {hcl_string(p.session_duration)}",
            f"{a}.instance_arn == {hcl_string(INSTANCE_ARN)}",
        ]
        if p.description:
            checks.append(f"{a}.description == {hcl_string(p.description)}")
        checks.append(f"{a}.relay_state == {hcl_string(p.relay_state) if p.relay_state else 'null'}")
        checks.append(f"length({a}.tags == null ? {{}} : {a}.tags) == {len(p.tags)}")
        checks += [f"{a}.tags[{hcl_string(k)}] == {hcl_string(v)}" for k, v in sorted(p.tags.items())]
        run.append(
            _assert(" && ".join(checks), f"permission set {p.name}: name, session, instance, description, relay state, tags")
        )
        for policy in p.managed_policies:
            arn = managed_policy_arn(policy)
            att = f"aws_ssoadmin_managed_policy_attachment.{logical_id('permission_set_policy', f'{p.name}|' + arn.rsplit(':', 1)[-1])}"
            run.append(
                _assert(
                    f"{att}.managed_policy_arn == {hcl_string(arn)} && {att}.permission_set_arn == {a}.arn",
                    f"{p.name}: managed policy {arn}",
                )
            )
        if p.inline_policy is not None:
            inline = f"aws_ssoadmin_permission_set_inline_policy.{logical_id('permission_set_inline_policy', p.name)}"
            run.append(
                _assert(
                    f"{inline}.inline_policy == {hcl_string(minify_policy(p.inline_policy))} && {inline}.permission_set_arn == {a}.arn",
                    f"{p.name}: inline policy, IAM policy variables kept literally",
                )
            )
        if p.permissions_boundary and p.permissions_boundary.managed_policy:
            boundary = f"aws_ssoadmin_permissions_boundary_attachment.{logical_id('permission_set_boundary', p.name)}"
            arn = managed_policy_arn(p.permissions_boundary.managed_policy)
            run.append(
                _assert(
                    f"{boundary}.permissions_boundary[0].managed_policy_arn == {hcl_string(arn)} && {boundary}.permission_set_arn == {a}.arn",
                    f"{p.name}: permissions boundary {arn}",
                )
            )
    for g in plan.groups:
        a = group_addr[g.name]
        run.append(
            _assert(
                f"{a}.display_name == {hcl_string(g.name)} && {a}.identity_store_id == {hcl_string(IDENTITY_STORE_ID)}",
                f"group {g.name}",
            )
        )
    for grant in plan.grants:
        a = f"aws_ssoadmin_account_assignment.{logical_id('sso_assignment', '|'.join(grant.key))}"
        run.append(
            _assert(
                f'{a}.principal_id == {group_addr[grant.group]}.group_id && {a}.principal_type == "GROUP" && '
                f'{a}.permission_set_arn == {ps_addr[grant.permission_set]}.arn && {a}.target_id == "{ids[grant.account]}" && '
                f'{a}.target_type == "AWS_ACCOUNT" && {a}.instance_arn == {hcl_string(INSTANCE_ARN)}',
                f"{grant.group} holds {grant.permission_set} in {grant.account}",
            )
        )
    run.append("}\n")
    return "\n".join(out) + "\n" + "".join(run), ids
