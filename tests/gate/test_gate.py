"""The gate on the example environment's synthesized stacks: checkov and terraform validate.

Uses the session's one synthesis (`synth_out`, tests/conftest.py). Stacks are
copied before terraform runs so `.terraform/` never lands in the shared output.
"""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from landing_zone.environment import load_environment
from landing_zone.policy_reference.synthesized import POLICY_ATTRIBUTES
from landing_zone.scan.checkov_config import CHECKS_DIR
from landing_zone.scan.gate import scan
from landing_zone.terraform import Terraform, TerraformError
from landing_zone.terraform.find_mirror import find_mirror

pytestmark = pytest.mark.gate

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "environments" / "example.yaml"


@pytest.fixture(scope="module")
def gate_result(synth_out):
    limits = load_environment(str(EXAMPLE)).env.limits
    return scan(
        synth_out.dir,
        config=str(REPO / ".checkov.yaml"),
        limits={"scp_size": limits.scp_size, "scps_per_target": limits.scps_per_target},
    )


def test_example_has_zero_failed_checks(gate_result):
    failures = [f"{f.check_id} {f.resource} (stack {f.stack}): {f.check_name} {f.details}" for f in gate_result.failures]
    assert failures == [], "\n".join(failures)
    assert gate_result.parsing_errors == []
    assert gate_result.passed


def test_every_stack_was_scanned(gate_result, synth_out):
    assert sorted(s.stack for s in gate_result.stacks) == sorted(synth_out.stacks)
    assert all(s.passed > 0 for s in gate_result.stacks)


def _is_scp(conf: dict) -> bool:
    return conf.get("type", "SERVICE_CONTROL_POLICY") == "SERVICE_CONTROL_POLICY"


def _literal_policy(resource_type: str):
    """A resource with at least one IAM policy written as literal JSON (what CKV_LZ_27 can read)."""

    def where(conf: dict) -> bool:
        if resource_type == "aws_organizations_policy" and not _is_scp(conf):
            return False
        return any(isinstance(conf.get(a), str) and conf[a].lstrip().startswith("{") for a, _ in POLICY_ATTRIBUTES[resource_type])

    return where


def _web_identity_trust(conf: dict) -> bool:
    """A role whose literal trust policy allows sts:AssumeRoleWithWebIdentity (what CKV_LZ_40 judges)."""
    text = conf.get("assume_role_policy")
    return isinstance(text, str) and text.lstrip().startswith("{") and "sts:AssumeRoleWithWebIdentity" in text


def _literal_trust(conf: dict) -> bool:
    """A role whose trust policy is literal JSON (what CKV_LZ_41 judges)."""
    text = conf.get("assume_role_policy")
    return isinstance(text, str) and text.lstrip().startswith("{")


def _deploy_role_attachment(stacks: dict):
    """An attachment whose role is an OIDC-trusted role of the same stack (what CKV_LZ_42 judges, with such roles)."""

    def where(conf: dict) -> bool:
        role = str(conf.get("role", ""))
        return any(
            _web_identity_trust(r)
            for doc in stacks.values()
            for name, r in (doc.get("resource", {}).get("aws_iam_role") or {}).items()
            if role in (f"${{aws_iam_role.{name}.name}}", f"${{aws_iam_role.{name}.id}}")
        )

    return where


def _log_bucket_policy(conf: dict) -> bool:
    """A bucket policy that lets CloudTrail, Config or flow-log delivery write (what CKV_LZ_43 judges)."""
    text = str(conf.get("policy", ""))
    return any(s in text for s in ("cloudtrail.amazonaws.com", "config.amazonaws.com", "delivery.logs.amazonaws.com"))


def _response_role(conf: dict) -> bool:
    """Incident response's remediation and responder roles and their policies (what CKV_LZ_28 judges, by logical id)."""
    unique = conf.get("//", {}).get("metadata", {}).get("uniqueId", "")
    return unique in ("remediation_role", "responder_role", "remediation_role_policy", "responder_role_policy")


# check id -> the resources it judges (type, filter); each must have been judged, and passed.
COVERAGE = {
    "CKV_LZ_1": [("aws_organizations_account", None)],
    "CKV_LZ_2": [("aws_organizations_account", None)],
    "CKV_LZ_3": [("aws_organizations_policy", _is_scp)],
    "CKV_LZ_4": [("aws_organizations_policy_attachment", None)],
    "CKV_LZ_5": [("aws_cloudtrail", None)],
    "CKV_LZ_6": [("aws_s3_bucket", None)],
    "CKV_LZ_7": [("aws_s3_account_public_access_block", None)],
    "CKV_LZ_8": [
        (t, None)
        for t in (
            "aws_securityhub_standards_subscription",
            "aws_securityhub_standards_control",
            "aws_securityhub_organization_configuration",
            "aws_securityhub_finding_aggregator",
            "aws_securityhub_product_subscription",
            "aws_securityhub_action_target",
            "aws_securityhub_insight",
            "aws_securityhub_automation_rule",
            "aws_securityhub_configuration_policy",
            "aws_securityhub_configuration_policy_association",
            "aws_securityhub_member",
        )
    ],
    "CKV_LZ_9": [("aws_securityhub_organization_configuration", None)],
    "CKV_LZ_10": [("aws_accessanalyzer_analyzer", None)],
    "CKV_LZ_11": [("aws_ec2_instance_metadata_defaults", None)],
    "CKV_LZ_27": [(t, _literal_policy(t)) for t in POLICY_ATTRIBUTES],
    "CKV_LZ_40": [("aws_iam_role", _web_identity_trust)],
    "CKV_LZ_28": [("aws_iam_role", _response_role), ("aws_iam_role_policy", _response_role)],
    "CKV_LZ_41": [("aws_iam_role", _literal_trust)],
    "CKV_LZ_42": [("aws_iam_role", _web_identity_trust)],  # plus the attachments to them: see below
    "CKV_LZ_43": [("aws_s3_bucket_policy", _log_bucket_policy)],
}


def _count(stacks: dict, resource_type: str, where=None) -> int:
    return sum(
        1
        for doc in stacks.values()
        for conf in (doc.get("resource", {}).get(resource_type) or {}).values()
        if where is None or where(conf)
    )


def test_landing_zone_checks_judged_every_resource_they_cover(gate_result, synth_out):
    # A gate whose custom checks silently failed to load would pass vacuously.
    assert _count(synth_out.stacks, "aws_organizations_account") > 0
    declared = set(
        re.findall(
            r'\bid(?:="|: )(CKV_LZ_\d+)',
            "".join(p.read_text() for p in CHECKS_DIR.iterdir() if p.suffix in (".py", ".yaml") and not p.name.startswith("__")),
        )
    )
    assert set(COVERAGE) == declared, "every custom check needs a COVERAGE entry"
    for check_id, covered in COVERAGE.items():
        expected = sum(_count(synth_out.stacks, kind, where) for kind, where in covered)
        if check_id == "CKV_LZ_42":
            expected += _count(synth_out.stacks, "aws_iam_role_policy_attachment", _deploy_role_attachment(synth_out.stacks))
        judged = gate_result.checks.get(check_id, {"passed": 0, "failed": 0, "skipped": 0})
        assert judged == {"passed": expected, "failed": 0, "skipped": 0}, check_id


@pytest.fixture(scope="module")
def stack_copies(synth_out, tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("validate")
    copies = []
    for name in sorted(synth_out.stacks):
        source = synth_out.stack_dir(name)
        copies.append(Path(shutil.copytree(source, root / name, ignore=shutil.ignore_patterns(".terraform*"))))
    return copies


def test_every_stack_passes_terraform_init_and_validate(stack_copies):
    env = dict(os.environ)
    if not env.get("LZ_TF_PROVIDER_MIRROR") and (mirror := find_mirror()):
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)  # offline machines: as make and CI set it

    def init_and_validate(folder: Path) -> str | None:
        terraform = Terraform(folder, env=env, progress=lambda _msg: None)
        try:
            terraform.init()
            terraform.validate()
        except TerraformError as exc:
            return f"{folder.name}: {exc}"
        return None

    with ThreadPoolExecutor(max_workers=2) as pool:  # provider start-up dominates; two cores here
        problems = [p for p in pool.map(init_and_validate, stack_copies) if p]
    assert problems == [], "\n\n".join(problems)
