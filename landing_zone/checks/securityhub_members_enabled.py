"""CKV_LZ_9: Security Hub's organization configuration enables it in member accounts.

With LOCAL configuration that means `auto_enable = true` (new accounts get
Security Hub); CENTRAL configuration enables it through configuration policies."""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute


class SecurityHubMembersEnabled(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Security Hub's organization configuration enables member accounts",
            id="CKV_LZ_9",
            categories=[CheckCategories.LOGGING],
            supported_resources=["aws_securityhub_organization_configuration"],
            guideline="Set auto_enable = true (or use CENTRAL configuration with a configuration policy).",
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["auto_enable", "organization_configuration/[0]/configuration_type"]
        if attribute(conf, "auto_enable") is True:
            return CheckResult.PASSED
        if attribute(conf, "organization_configuration", "configuration_type") == "CENTRAL":
            return CheckResult.PASSED
        self.details.append("auto_enable is not true and the configuration is not CENTRAL")
        return CheckResult.FAILED


check = SecurityHubMembersEnabled()
