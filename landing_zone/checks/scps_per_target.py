"""CKV_LZ_4: no root, OU or account has more SCPs attached than AWS allows.

The quota (LZ_SCPS_PER_TARGET, else the package default of 10 since 2026-05-15)
includes the FullAWSAccess policy AWS attaches to every target, so at most
quota - 1 of ours fit (an explicit `p-FullAWSAccess` attachment takes that slot).

checkov gives a Python check one resource at a time, so this check keeps a count
per stack file: it records the type of every aws_organizations_policy and counts
SCP attachments per `target_id` as written (a reference or a literal id). A
policy is known before its attachments (an attachment refers to it, so cdktf
writes the policy type first); an attachment whose policy is not in the same file
counts as an SCP. The attachment that goes over the quota fails, naming the count."""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute, limit

POLICY, ATTACHMENT = "aws_organizations_policy", "aws_organizations_policy_attachment"
SCP, FULL_AWS_ACCESS = "SERVICE_CONTROL_POLICY", "p-FullAWSAccess"


class _FileCount:
    def __init__(self) -> None:
        self.seen: set[str] = set()  # entities of this file already scanned
        self.policy_types: dict[str, str] = {}  # "aws_organizations_policy.<name>" -> type
        self.scps: dict[str, set[str]] = {}  # target as written -> policy ids attached


class ScpsPerTarget(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="SCPs attached to one target stay within the quota (FullAWSAccess included)",
            id="CKV_LZ_4",
            categories=[CheckCategories.IAM],
            supported_resources=[POLICY, ATTACHMENT],
            guideline="Merge statements into fewer SCPs, or attach some of them one OU higher "
            "(LZ_SCPS_PER_TARGET overrides the package default).",
        )
        self._files: dict[str, _FileCount] = {}

    def _file_count(self) -> tuple[_FileCount, str, str]:
        scanned_file, entity_type, name = self.entity_path.rsplit(":", 2)
        entity = f"{entity_type}.{name}"
        count = self._files.get(scanned_file)
        if count is None or entity in count.seen:  # a new scan of the same file starts over
            count = self._files[scanned_file] = _FileCount()
        count.seen.add(entity)
        return count, entity_type, entity

    def scan_resource_conf(self, conf):
        count, entity_type, entity = self._file_count()
        if entity_type == POLICY:
            policy_type = attribute(conf, "type", default=SCP)
            count.policy_types[entity] = policy_type if isinstance(policy_type, str) else SCP
            return CheckResult.UNKNOWN  # policies are only recorded; attachments are judged
        self.evaluated_keys = ["policy_id", "target_id"]
        policy_id, target = attribute(conf, "policy_id"), attribute(conf, "target_id")
        if self._policy_type(count, policy_id) != SCP:
            return CheckResult.PASSED  # tag, backup and other policies have their own quotas
        attached = count.scps.setdefault(str(target), set())
        attached.add(str(policy_id))
        quota = limit("scps_per_target")
        used = len(attached) + (0 if FULL_AWS_ACCESS in attached else 1)
        if used > quota:
            self.details.append(f"{used} SCPs on target {target} (FullAWSAccess included), over the quota of {quota}")
            return CheckResult.FAILED
        return CheckResult.PASSED

    @staticmethod
    def _policy_type(count: _FileCount, policy_id) -> str:
        if policy_id == FULL_AWS_ACCESS:
            return SCP
        if isinstance(policy_id, str) and policy_id.startswith("${") and policy_id.endswith(".id}"):
            return count.policy_types.get(policy_id[2:-4], SCP)
        return SCP


check = ScpsPerTarget()
