"""CKV_LZ_3: every service control policy is valid JSON within the SCP size limit.

The limit is data: LZ_SCP_SIZE_LIMIT when set (`lz scan --env` sets it from the
environment's `limits.scp_size`), else the package default in
landing_zone/data/aws_limits.yaml (10,240 characters since 2026-05-15).
The content must be written literally in the synthesized JSON: checkov does not
render `${...}` for Python checks, so a policy computed as a whole (a data
source's `.json`, `${jsonencode(...)}`) cannot be verified and fails. References
inside JSON string values are allowed and counted as written."""

import json

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute, limit

SCP = "SERVICE_CONTROL_POLICY"


class ScpContent(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Service control policies are valid JSON within the SCP size limit",
            id="CKV_LZ_3",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_organizations_policy"],
            guideline="Write the SCP as literal minified JSON; split statements over more policies when it "
            "exceeds the limit (LZ_SCP_SIZE_LIMIT overrides the package default).",
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["type", "content"]
        policy_type = attribute(conf, "type", default=SCP)
        if policy_type != SCP:
            return CheckResult.UNKNOWN  # other policy types have their own grammar and limits
        content = attribute(conf, "content")
        if not isinstance(content, str):
            self.details.append("content is missing or not a JSON string")
            return CheckResult.FAILED
        stripped = content.strip()
        if stripped.startswith("${") and stripped.endswith("}"):
            self.details.append(
                "content is computed by terraform, so its JSON and size cannot be checked; synthesize it as literal JSON"
            )
            return CheckResult.FAILED
        try:
            document = json.loads(content)
        except ValueError as exc:
            self.details.append(f"content is not valid JSON: {exc}")
            return CheckResult.FAILED
        if not isinstance(document, dict) or not document.get("Statement"):
            self.details.append("content is JSON but not a policy document (an object with a Statement)")
            return CheckResult.FAILED
        size_limit = limit("scp_size")
        if len(content) > size_limit:
            self.details.append(f"content has {len(content)} characters, over the SCP limit of {size_limit}")
            return CheckResult.FAILED
        return CheckResult.PASSED


check = ScpContent()
