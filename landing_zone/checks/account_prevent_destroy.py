"""CKV_LZ_1: every member account is protected by `lifecycle.prevent_destroy = true`.

Removing an account from the config must never delete it by accident; the
deliberate route is a reviewed change that lifts the lifecycle rule."""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute


class AccountPreventDestroy(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Organization accounts have lifecycle.prevent_destroy = true",
            id="CKV_LZ_1",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_organizations_account"],
            guideline="Set lifecycle { prevent_destroy = true } on aws_organizations_account (the Account construct does).",
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["lifecycle/[0]/prevent_destroy"]
        if attribute(conf, "lifecycle", "prevent_destroy") is True:
            return CheckResult.PASSED
        self.details.append("lifecycle.prevent_destroy is not true")
        return CheckResult.FAILED


check = AccountPreventDestroy()
