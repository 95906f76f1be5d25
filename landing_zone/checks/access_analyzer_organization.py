"""CKV_LZ_10: IAM Access Analyzers are organization-wide.

The landing zone runs Access Analyzer in the audit account (its delegated
administrator) with the organization as the zone of trust; an account-type
analyzer (the provider's default) would only see one account. Checked on the
analyzer resource, so stacks without analyzers pass."""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute

ORGANIZATION_TYPES = ("ORGANIZATION", "ORGANIZATION_UNUSED_ACCESS")


class AccessAnalyzerOrganization(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="IAM Access Analyzers have the organization as zone of trust",
            id="CKV_LZ_10",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_accessanalyzer_analyzer"],
            guideline='Set type = "ORGANIZATION" and create the analyzer in the delegated administrator account.',
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["type"]
        analyzer_type = attribute(conf, "type", default="ACCOUNT")
        if analyzer_type in ORGANIZATION_TYPES:
            return CheckResult.PASSED
        self.details.append(f"type is {analyzer_type!r}, not one of {', '.join(ORGANIZATION_TYPES)}")
        return CheckResult.FAILED


check = AccessAnalyzerOrganization()
