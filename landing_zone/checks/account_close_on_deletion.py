"""CKV_LZ_2: no account closes on deletion unless its environment file allows it.

The environment's permission (`close_on_deletion: true` on the account) is visible
in the synthesized JSON as the account tag `lz:close-on-deletion = "allowed"`,
which the Account construct sets only then. checkov drops `"//"` metadata, so a
tag is the one place a check can read it; it also shows on the account in AWS."""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute, is_reference, tags

ALLOW_TAG, ALLOW_VALUE = "lz:close-on-deletion", "allowed"


class AccountCloseOnDeletion(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Organization accounts do not close on deletion unless the config allows it",
            id="CKV_LZ_2",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_organizations_account"],
            guideline=f"Leave close_on_deletion false, or set close_on_deletion: true on the account in the "
            f"environment file (the Account construct then adds the tag {ALLOW_TAG}={ALLOW_VALUE}).",
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["close_on_deletion", f"tags/[0]/{ALLOW_TAG}"]
        value = attribute(conf, "close_on_deletion", default=False)
        if value is False or value is None:
            return CheckResult.PASSED
        if value is not True and not is_reference(value):
            self.details.append(f"close_on_deletion has an unexpected value {value!r}")
            return CheckResult.FAILED
        if tags(conf).get(ALLOW_TAG) == ALLOW_VALUE:
            return CheckResult.PASSED
        what = "is computed (it may be true)" if value is not True else "is true"
        self.details.append(f"close_on_deletion {what} but the account lacks the tag {ALLOW_TAG}={ALLOW_VALUE}")
        return CheckResult.FAILED


check = AccountCloseOnDeletion()
