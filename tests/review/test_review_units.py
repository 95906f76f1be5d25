"""Small pieces of the plan review: references, Sids, masking, CLI input errors (fast)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import run_lz

from landing_zone.review.danger import RULE_NAMES
from landing_zone.review.facts import ReviewFacts
from landing_zone.review.masking import SENSITIVE, UNKNOWN, diff_rows, mark_unknown, mask
from landing_zone.review.refs import Ref, refs_from_plan_expression, refs_in_text


def test_references_in_cdktf_strings():
    text = "${element(tolist(data.aws_ssoadmin_instances.main.arns), 0)}/${aws_organizations_account.account_web-prod.id}"
    assert refs_in_text(text) == [
        Ref("data.aws_ssoadmin_instances.main", "arns"),
        Ref("aws_organizations_account.account_web-prod", "id"),
    ]
    assert refs_in_text("${aws_organizations_organization.organization.roots[0].id}") == [
        Ref("aws_organizations_organization.organization", "roots[0].id")
    ]
    assert refs_in_text("${var.x} ${local.y} plain") == []


def test_references_in_a_plan_keep_the_most_specific_attribute():
    expression = {"references": ["aws_organizations_policy.scp_root-1.id", "aws_organizations_policy.scp_root-1"]}
    assert refs_from_plan_expression(expression) == [Ref("aws_organizations_policy.scp_root-1", "id")]


def test_sids_map_back_to_control_ids():
    facts = ReviewFacts()
    assert facts.controls_of_sid("AWSGRREGIONDENY") == ["AWS-GR_REGION_DENY"]
    # a control with several statements numbers them; the id itself may end in a digit
    assert facts.controls_of_sid("LZEC2REQUIREIMDSV22") == ["LZ-EC2-REQUIRE-IMDSV2"]
    assert facts.controls_of_sid("SOMETHINGELSE") == []
    exact = ReviewFacts(
        policy_sids={
            "p": {"AWSGRCLOUDTRAILCHANGEPROHIBITED": ["AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED", "AWS-GR_CLOUDTRAIL_ENABLED"]}
        }
    )
    assert exact.controls_of_sid("AWSGRCLOUDTRAILCHANGEPROHIBITED", "p") == [
        "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED",
        "AWS-GR_CLOUDTRAIL_ENABLED",
    ]
    assert facts.is_mandatory("AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED") and not facts.is_mandatory("AWS-GR_REGION_DENY")


def test_masking_follows_the_sensitive_structure():
    value = {"name": "x", "secret": "s", "nested": [{"token": "t", "ok": 1}], "whole": {"a": 1}}
    sensitive = {"secret": True, "nested": [{"token": True}], "whole": True}
    assert mask(value, sensitive) == {
        "name": "x",
        "secret": SENSITIVE,
        "nested": [{"token": SENSITIVE, "ok": 1}],
        "whole": SENSITIVE,
    }
    assert mark_unknown({"id": None, "name": "n"}, {"id": True}) == {"id": UNKNOWN, "name": "n"}


def test_policy_documents_diff_as_documents():
    before = {"content": json.dumps({"Statement": [{"Sid": "A", "Action": "s3:Get"}]}), "tags_all": {"a": "1"}}
    same = {"content": json.dumps({"Statement": [{"Action": "s3:Get", "Sid": "A"}]}), "tags_all": {"a": "1"}}
    assert diff_rows(before, same) == []  # only key order differs
    after = {"content": json.dumps({"Statement": [{"Sid": "A", "Action": "s3:Put"}]}), "tags_all": {"a": "1"}}
    (row,) = diff_rows(before, after, [["content"]])
    assert row.forces_replacement and '-      "Action": "s3:Get",' in row.diff and '+      "Action": "s3:Put",' in row.diff


def test_rules_are_listed():
    code, out, _ = run_lz("plan-review", "--rules")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[2:]] == list(RULE_NAMES)


def test_bad_inputs_exit_2_with_a_message(tmp_path):
    missing = tmp_path / "nope.json"
    code, _, err = run_lz("plan-review", str(missing))
    assert code == 2 and f"{missing}: no such file or folder" in err
    not_plan = tmp_path / "x.json"
    not_plan.write_text('{"format_version": "1.0"}', encoding="utf-8")
    code, _, err = run_lz("plan-review", str(not_plan))
    assert code == 2 and "not a plan" in err
    broken = tmp_path / "y.json"
    broken.write_text("{", encoding="utf-8")
    code, _, err = run_lz("plan-review", str(broken))
    assert code == 2 and "not JSON" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run_lz("plan-review", str(empty))
    assert code == 2 and "no plan JSON files found" in err
    code, _, err = run_lz("plan-review", str(not_plan), "--allow", "nothing")
    assert code == 2 and "unknown rule(s) for --allow: nothing" in err
    code, _, err = run_lz("plan-review", str(not_plan), "--manifest", str(missing))
    assert code == 2 and "no such manifest" in err


def test_review_commands_do_not_import_cdktf():
    probe = (
        "import sys; from landing_zone.cli.main import main; import landing_zone.review.review, "
        "landing_zone.review.env_diff, landing_zone.review.workflow, landing_zone.review.render; "
        "print(any(m == 'cdktf' or m.startswith(('cdktf.', 'cdktf_cdktf_provider_aws')) for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_config_rule_exclusions_are_named_from_the_ids_the_management_stack_publishes(tmp_path):
    """The detective-guardrails stack reads account ids from the management stack's outputs
    (terraform_remote_state): a changed rule names the accounts it now excludes."""
    from landing_zone.review.review import review_plans

    outputs = {"account_ids": {"web-prod": "111111111111", "review-new": "222222222222"}, "management_account_id": "999999999999"}
    state = {
        "address": "data.terraform_remote_state.management",
        "mode": "data",
        "type": "terraform_remote_state",
        "name": "management",
        "values": {"backend": "local", "outputs": outputs},
        "sensitive_values": {},
    }
    rule = "aws_config_organization_managed_rule.config_rule_AWS-GR_RESTRICTED_SSH-eu-west-1"
    before = {
        "name": "acme-lz-aws-gr-restricted-ssh",
        "description": "AWS-GR_RESTRICTED_SSH: x",
        "excluded_accounts": ["111111111111", "999999999999"],
        "rule_identifier": "INCOMING_SSH_DISABLED",
        "arn": "arn:aws:config:eu-west-1:999999999999:organization-config-rule/x",
    }
    after = {**before, "excluded_accounts": ["111111111111", "222222222222", "999999999999"]}
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "prior_state": {
            "values": {
                "root_module": {
                    "resources": [
                        state,
                        {
                            "address": rule,
                            "mode": "managed",
                            "type": rule.split(".")[0],
                            "name": rule.split(".")[1],
                            "values": before,
                            "sensitive_values": {},
                        },
                    ]
                }
            }
        },
        "resource_changes": [
            {
                "address": rule,
                "mode": "managed",
                "type": rule.split(".")[0],
                "name": rule.split(".")[1],
                "change": {
                    "actions": ["update"],
                    "before": before,
                    "after": after,
                    "after_unknown": {},
                    "before_sensitive": {},
                    "after_sensitive": {},
                },
            }
        ],
    }
    path = tmp_path / "detective.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    review = review_plans([f"detective-guardrails={path}"])
    (row,) = review.guardrails
    assert (row.control_id, row.change, row.behaviour, row.stack) == (
        "AWS-GR_RESTRICTED_SSH",
        "changed",
        "Config rule",
        "detective-guardrails",
    )
    assert row.detail == "now excludes review-new"
    assert not review.dangers

    # the same stack deleting a mandatory control's rule is blocked, as it was in the management stack
    mandatory = {
        **before,
        "name": "acme-lz-aws-gr-audit-bucket-public-read-prohibited",
        "description": "AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED: x",
    }
    change = plan["resource_changes"][0]
    change["change"] = {**change["change"], "actions": ["delete"], "before": mandatory, "after": None}
    plan["prior_state"]["values"]["root_module"]["resources"][1]["values"] = mandatory
    path.write_text(json.dumps(plan), encoding="utf-8")
    (danger,) = review_plans([f"detective-guardrails={path}"]).dangers
    assert danger.rule == "mandatory-guardrail-detach" and danger.stack == "detective-guardrails"
    assert "AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED" in danger.message


def test_the_quarantine_scp_is_named_and_not_mandatory():
    """Lifting a quarantine is routine: the review names it and no danger rule treats it as mandatory."""
    from landing_zone.guardrails.quarantine import QUARANTINE_ID
    from landing_zone.review.facts import ReviewFacts

    facts = ReviewFacts(management_account="management", accounts={})
    assert facts.control(QUARANTINE_ID).tier == "account factory"
    assert not facts.is_mandatory(QUARANTINE_ID)


def test_deleting_the_waf_log_bucket_is_the_log_archive_bucket_danger(tmp_path):
    """The web ACLs' log bucket in the log archive holds audit logs too: deleting it blocks as the log bucket does;
    a workload's bucket that merely starts with `aws-waf-logs-` and the access-log bucket do not."""
    from landing_zone.naming import is_log_bucket_name
    from landing_zone.review.review import review_plans

    assert is_log_bucket_name("aws-waf-logs-acme-123456789012") and is_log_bucket_name("acme-log-archive-123456789012")
    assert not is_log_bucket_name("aws-waf-logs-team-web") and not is_log_bucket_name("acme-log-archive-access-123456789012")
    address = "aws_s3_bucket.waf_log_bucket"
    before = {"bucket": "aws-waf-logs-acme-123456789012", "arn": "arn:aws:s3:::aws-waf-logs-acme-123456789012"}
    resource = {"address": address, "mode": "managed", "type": "aws_s3_bucket", "name": "waf_log_bucket"}
    change = {
        "actions": ["delete"],
        "before": before,
        "after": None,
        "after_unknown": {},
        "before_sensitive": {},
        "after_sensitive": {},
    }
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "prior_state": {"values": {"root_module": {"resources": [{**resource, "values": before, "sensitive_values": {}}]}}},
        "resource_changes": [{**resource, "change": change}],
    }
    path = tmp_path / "log-archive.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    (danger,) = review_plans([f"log-archive={path}"]).dangers
    assert danger.rule == "log-archive-bucket-delete" and "aws-waf-logs-acme-123456789012" in danger.message
