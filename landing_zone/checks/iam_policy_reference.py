"""CKV_LZ_27: every IAM policy document names actions, condition keys and
resources that AWS has (landing_zone/policy_reference, offline).

Runs the project's policy validator on SCPs, role trust and inline policies,
managed policies, bucket, key and topic policies and permission-set inline
policies: an unknown action or service, a wildcard that matches nothing, an
unsupported condition key, a Deny whose Resource no resource type of its
action can match, a malformed ARN or principal fails the check; warnings (an
Allow that never applies) are listed in the details of a passing result.
A policy computed by terraform as a whole (`${jsonencode(...)}`, a data
source's `.json`) cannot be read here and is left to CKV_LZ_3 (SCPs)."""

import json

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.policy_reference.synthesized import POLICY_ATTRIBUTES
from landing_zone.policy_reference.validator import validate_policy
from landing_zone.scan.check_support import attribute


class IamPolicyReference(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="IAM policies name actions, condition keys and resources that AWS has",
            id="CKV_LZ_27",
            categories=[CheckCategories.IAM],
            supported_resources=sorted(POLICY_ATTRIBUTES),
            guideline="Fix the action, condition key or resource named in the details; `lz --version` shows the date "
            "of the Service Authorization Reference used (LZ_IAM_DATA points at a newer copy).",
        )

    def scan_resource_conf(self, conf):
        rtype = self.entity_type
        checked = False
        failed = False
        for name, kind in POLICY_ATTRIBUTES.get(rtype, ()):
            text = attribute(conf, name)
            if not isinstance(text, str) or not text.lstrip().startswith("{"):
                continue
            if (
                rtype == "aws_organizations_policy"
                and attribute(conf, "type", default="SERVICE_CONTROL_POLICY") != "SERVICE_CONTROL_POLICY"
            ):
                continue
            try:
                document = json.loads(text)
            except ValueError:
                continue  # not JSON: CKV_LZ_3 and terraform validate report it
            checked = True
            self.evaluated_keys = [name]
            for finding in validate_policy(document, kind, name):
                self.details.append(str(finding))
                failed = failed or finding.severity == "error"
        if not checked:
            return CheckResult.UNKNOWN
        return CheckResult.FAILED if failed else CheckResult.PASSED


check = IamPolicyReference()
