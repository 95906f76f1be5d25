"""CKV_LZ_11: the account's EC2 instance metadata defaults require IMDSv2.

checkov's CKV_AWS_79 covers instances and launch templates only; this is the
account/Region default (`aws_ec2_instance_metadata_defaults`, CIS 5.7)."""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute


class InstanceMetadataDefaultsImdsV2(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name='EC2 instance metadata defaults require IMDSv2 (http_tokens = "required")',
            id="CKV_LZ_11",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_ec2_instance_metadata_defaults"],
            guideline='Set http_tokens = "required" (the account baseline does).',
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["http_tokens"]
        tokens = attribute(conf, "http_tokens")
        if tokens == "required":
            return CheckResult.PASSED
        self.details.append(f"http_tokens is {tokens!r}, not 'required'")
        return CheckResult.FAILED


check = InstanceMetadataDefaultsImdsV2()
