"""CKV_LZ_7: the account-level S3 public access block sets all four flags.

Each flag defaults to false in the AWS provider, so an omitted flag fails."""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute

FLAGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")


class S3AccountPublicAccessBlock(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="The account's S3 public access block sets all four flags to true",
            id="CKV_LZ_7",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_s3_account_public_access_block"],
            guideline="Set " + ", ".join(FLAGS) + " to true (the account baseline does).",
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = list(FLAGS)
        off = [flag for flag in FLAGS if attribute(conf, flag) is not True]
        if not off:
            return CheckResult.PASSED
        self.details.append("not true: " + ", ".join(off))
        return CheckResult.FAILED


check = S3AccountPublicAccessBlock()
