"""CKV_LZ_5: every CloudTrail trail the landing zone creates is an organization trail.

A trail's presence can only be judged per stack, and checkov checks one resource
at a time, so this check is on the trail itself: the landing zone logs through
one organization trail in the management stack, never per-account trails (which
would duplicate its events and cost). Stacks without trails pass."""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute


class CloudTrailOrganizationTrail(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="CloudTrail trails are organization trails (is_organization_trail = true)",
            id="CKV_LZ_5",
            categories=[CheckCategories.LOGGING],
            supported_resources=["aws_cloudtrail"],
            guideline="Set is_organization_trail = true and create the trail in the management account.",
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["is_organization_trail"]
        if attribute(conf, "is_organization_trail") is True:
            return CheckResult.PASSED
        self.details.append("is_organization_trail is not true")
        return CheckResult.FAILED


check = CloudTrailOrganizationTrail()
