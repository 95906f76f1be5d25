"""Extract Control Tower's published control artifacts into reference data.

Reads AWS's own documentation source (the markdown of the archived
`awsdocs/aws-control-tower-guide` repository, folder `doc_source`) and writes,
for every `AWS-GR_*` control, its SCP statements or its Config rule (source
identifier, input parameters with their defaults, resource types, frequency),
with the page URL it comes from. Nothing here is typed by hand except the
map from a control id to the page section that holds its artifact.

Refresh (a maintainer's step, not run by the package):
    git -C aws-control-tower-guide show COMMIT:doc_source/<page>.md > DIR/<page>.md   # for each page below
    python -m landing_zone.guardrails.reference.extract DIR COMMIT DATE > landing_zone/guardrails/reference/control_tower.yaml
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

BASE = "https://docs.aws.amazon.com/controltower/latest/userguide"
REPOSITORY = "awsdocs/aws-control-tower-guide"

# Control id -> (page, section anchor). From control-identifiers.md for the
# elective, data-residency and strongly recommended controls; the mandatory
# page has no such list, so its sections are named by their titles.
SECTIONS = {
    "AWS-GR_CT_AUDIT_BUCKET_ENCRYPTION_CHANGES_PROHIBITED": ("mandatory-controls", "disallow-changes-s3-buckets-created"),
    "AWS-GR_CT_AUDIT_BUCKET_LOGGING_CONFIGURATION_CHANGES_PROHIBITED": (
        "mandatory-controls",
        "disallow-logging-changes-s3-buckets-created",
    ),
    "AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED": ("mandatory-controls", "disallow-policy-changes-s3-buckets-created"),
    "AWS-GR_CT_AUDIT_BUCKET_LIFECYCLE_CONFIGURATION_CHANGES_PROHIBITED": (
        "mandatory-controls",
        "disallow-lifecycle-changes-s3-buckets-created",
    ),
    "AWS-GR_LOG_GROUP_POLICY": ("mandatory-controls", "log-group-deletion-policy"),
    "AWS-GR_CONFIG_AGGREGATION_AUTHORIZATION_POLICY": ("mandatory-controls", "config-aggregation-authorization-policy"),
    "AWS-GR_AUDIT_BUCKET_DELETION_PROHIBITED": ("mandatory-controls", "disallow-audit-bucket-deletion"),
    "AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED": ("mandatory-controls", "log-archive-public-read"),
    "AWS-GR_AUDIT_BUCKET_PUBLIC_WRITE_PROHIBITED": ("mandatory-controls", "log-archive-public-write"),
    "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED": ("mandatory-controls", "cloudtrail-configuration-changes"),
    "AWS-GR_CLOUDTRAIL_CLOUDWATCH_LOGS_ENABLED": ("mandatory-controls", "cloudtrail-integrate-events-logs"),
    "AWS-GR_CLOUDTRAIL_ENABLED": ("mandatory-controls", "cloudtrail-enable-region"),
    "AWS-GR_CLOUDTRAIL_VALIDATION_ENABLED": ("mandatory-controls", "cloudtrail-enable-validation"),
    "AWS-GR_CLOUDWATCH_EVENTS_CHANGE_PROHIBITED": ("mandatory-controls", "cloudwatch-disallow-changes"),
    "AWS-GR_CONFIG_AGGREGATION_CHANGE_PROHIBITED": ("mandatory-controls", "cloudwatch-disallow-config-changes"),
    "AWS-GR_CONFIG_CHANGE_PROHIBITED": ("mandatory-controls", "config-disallow-changes"),
    "AWS-GR_CONFIG_ENABLED": ("mandatory-controls", "config-enable-regions"),
    "AWS-GR_CONFIG_RULE_CHANGE_PROHIBITED": ("mandatory-controls", "config-rule-disallow-changes"),
    "AWS-GR_IAM_ROLE_CHANGE_PROHIBITED": ("mandatory-controls", "iam-disallow-changes"),
    "AWS-GR_LAMBDA_CHANGE_PROHIBITED": ("mandatory-controls", "lambda-disallow-changes"),
    "AWS-GR_SNS_CHANGE_PROHIBITED": ("mandatory-controls", "sns-disallow-changes"),
    "AWS-GR_SNS_SUBSCRIPTION_CHANGE_PROHIBITED": ("mandatory-controls", "sns-subscriptions-disallow-changes"),
    "AWS-GR_ENSURE_CLOUDTRAIL_ENABLED_ON_SHARED_ACCOUNTS": ("mandatory-controls", "ensure-cloudtrail-enabled-mandatory"),
    "AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS": ("strongly-recommended-controls", "disallow-root-access-keys"),
    "AWS-GR_RESTRICT_ROOT_USER": ("strongly-recommended-controls", "disallow-root-auser-actions"),
    "AWS-GR_ENCRYPTED_VOLUMES": ("strongly-recommended-controls", "ebs-enable-encryption"),
    "AWS-GR_RESTRICTED_COMMON_PORTS": ("strongly-recommended-controls", "rdp-disallow-internet"),
    "AWS-GR_RESTRICTED_SSH": ("strongly-recommended-controls", "ssh-disallow-internet"),
    "AWS-GR_ROOT_ACCOUNT_MFA_ENABLED": ("strongly-recommended-controls", "enable-root-mfa"),
    "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED": ("strongly-recommended-controls", "s3-disallow-public-read"),
    "AWS-GR_S3_BUCKET_PUBLIC_WRITE_PROHIBITED": ("strongly-recommended-controls", "s3-disallow-public-write"),
    "AWS-GR_EC2_VOLUME_INUSE_CHECK": ("strongly-recommended-controls", "disallow-unattached-ebs"),
    "AWS-GR_EBS_OPTIMIZED_INSTANCE": ("strongly-recommended-controls", "disallow-not-ebs-optimized"),
    "AWS-GR_RDS_INSTANCE_PUBLIC_ACCESS_CHECK": ("strongly-recommended-controls", "disallow-rds-public-access"),
    "AWS-GR_RDS_SNAPSHOTS_PUBLIC_PROHIBITED": ("strongly-recommended-controls", "disallow-rds-snapshot-public-access"),
    "AWS-GR_RDS_STORAGE_ENCRYPTED": ("strongly-recommended-controls", "disallow-rds-storage-unencrypted"),
    "AWS-GR_DETECT_CLOUDTRAIL_ENABLED_ON_MEMBER_ACCOUNTS": (
        "strongly-recommended-controls",
        "ensure-cloudtrail-enabled-recommended",
    ),
    "AWS-GR_AUDIT_BUCKET_ENCRYPTION_ENABLED": ("elective-controls", "log-archive-encryption-enabled"),
    "AWS-GR_AUDIT_BUCKET_LOGGING_ENABLED": ("elective-controls", "log-archive-access-enabled"),
    "AWS-GR_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED": ("elective-controls", "log-archive-policy-changes"),
    "AWS-GR_AUDIT_BUCKET_RETENTION_POLICY": ("elective-controls", "log-archive-retention-policy"),
    "AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION": ("elective-controls", "disallow-s3-ccr"),
    "AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA": ("elective-controls", "disallow-s3-delete-mfa"),
    "AWS-GR_IAM_USER_MFA_ENABLED": ("elective-controls", "disallow-access-mfa"),
    "AWS-GR_MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS": ("elective-controls", "disallow-console-access-mfa"),
    "AWS-GR_S3_VERSIONING_ENABLED": ("elective-controls", "disallow-s3-no-versioning"),
    "AWS-GR_REGION_DENY": ("data-residency-controls", "primary-region-deny-policy"),
    "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS": ("data-residency-controls", "disallow-vpc-internet-access"),
    "AWS-GR_DISALLOW_VPN_CONNECTIONS": ("data-residency-controls", "prevent-vpn-connection"),
    "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING": ("data-residency-controls", "prevent-cross-region-networking"),
    "AWS-GR_AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED": (
        "data-residency-controls",
        "autoscaling-launch-config-public-ip-disabled",
    ),
    "AWS-GR_DMS_REPLICATION_NOT_PUBLIC": ("data-residency-controls", "dms-replication-not-public"),
    "AWS-GR_EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK": ("data-residency-controls", "ebs-snapshot-public-restorable-check"),
    "AWS-GR_EC2_INSTANCE_NO_PUBLIC_IP": ("data-residency-controls", "ec2-instance-no-public-ip"),
    "AWS-GR_S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC": (
        "data-residency-controls",
        "s3-account-level-public-access-blocks-periodic",
    ),
    "AWS-GR_EKS_ENDPOINT_NO_PUBLIC_ACCESS": ("data-residency-controls", "eks-endpoint-no-public-access"),
    "AWS-GR_ELASTICSEARCH_IN_VPC_ONLY": ("data-residency-controls", "elasticsearch-in-vpc-only"),
    "AWS-GR_EMR_MASTER_NO_PUBLIC_IP": ("data-residency-controls", "emr-master-no-public-ip"),
    "AWS-GR_LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED": ("data-residency-controls", "lambda-function-public-access-prohibited"),
    "AWS-GR_NO_UNRESTRICTED_ROUTE_TO_IGW": ("data-residency-controls", "no-unrestricted-route-to-igw"),
    "AWS-GR_REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK": ("data-residency-controls", "redshift-cluster-public-access-check"),
    "AWS-GR_SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS": (
        "data-residency-controls",
        "sagemaker-notebook-no-direct-internet-access",
    ),
    "AWS-GR_SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED": ("data-residency-controls", "subnet-auto-assign-public-ip-disabled"),
    "AWS-GR_SSM_DOCUMENT_NOT_PUBLIC": ("data-residency-controls", "ssm-document-not-public"),
}
_HEADING = re.compile(r'^## (.*?)<a name="([^"]+)"></a>', re.M)
_CODE = re.compile(r"^\s*```[a-z]*\n(.*?)^\s*```", re.M | re.S)


def sections(text: str) -> dict[str, tuple[str, str]]:
    """Anchor -> (title, body) of every `##` section of a page."""
    heads = list(_HEADING.finditer(text))
    out = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out[head.group(2)] = (head.group(1).replace("\\", "").strip(), text[head.end() : end])
    return out


def _strip_comments(code: str) -> str:
    """JSON artifacts carry `#this line is new` notes outside strings: drop them."""
    return "\n".join(re.sub(r'(?<=[\]",\s])\s*#.*$', "", line) for line in code.splitlines())


class _Tag:
    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


def _cfn_loader():
    class Loader(yaml.SafeLoader):
        pass

    def tagged(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return _Tag(suffix, loader.construct_scalar(node))
        if isinstance(node, yaml.SequenceNode):
            return _Tag(suffix, loader.construct_sequence(node, deep=True))
        return _Tag(suffix, loader.construct_mapping(node, deep=True))

    Loader.add_multi_constructor("!", tagged)
    return Loader


_NO_VALUE = object()


def _condition(spec, params: dict, mappings: dict) -> bool:
    return bool(_resolve(spec, params, mappings))


def _resolve(value, params: dict, mappings: dict):
    if isinstance(value, _Tag):
        if value.tag == "Ref":
            if value.value == "AWS::NoValue":
                return _NO_VALUE
            return _resolve(params.get(value.value, {}).get("Default"), params, mappings)
        if value.tag == "FindInMap":
            top, key, leaf = (_resolve(v, params, mappings) for v in value.value)
            return mappings[top][key][leaf]
        if value.tag == "Sub":
            return value.value
    if isinstance(value, dict) and len(value) == 1:  # the long forms of the intrinsic functions
        ((key, arg),) = value.items()
        if key == "Ref":
            return _resolve(_Tag("Ref", arg), params, mappings)
        if key in ("Fn::FindInMap", "Fn::Sub"):
            return _resolve(_Tag(key[4:], arg), params, mappings)
        if key == "Fn::If":  # [condition, then, else], the condition evaluated on the defaults
            return _resolve(
                arg[1] if _condition(mappings["__conditions__"][arg[0]], params, mappings) else arg[2], params, mappings
            )
        if key == "Fn::Equals":
            left, right = (_resolve(v, params, mappings) for v in arg)
            return left == right
        if key == "Fn::Not":
            return not _condition(arg[0], params, mappings)
    if isinstance(value, dict):
        out = {k: _resolve(v, params, mappings) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not _NO_VALUE}
    if isinstance(value, list):
        return [_resolve(v, params, mappings) for v in value]
    return value


def config_rule(code: str) -> dict:
    """The Config rule of a CloudFormation artifact, parameters resolved to their defaults."""
    # Two pages indent every line but the first with a tab: dedent the first line alone.
    first, *rest = [l.rstrip() for l in code.replace("\t", "    ").splitlines() if l.strip()]
    indent = min(len(l) - len(l.lstrip()) for l in rest)
    text = "\n".join([first.lstrip()] + [l[indent:] for l in rest]) + "\n"
    template = yaml.load(text, Loader=_cfn_loader())
    params = template.get("Parameters") or {}
    mappings = {**(template.get("Mappings") or {}), "__conditions__": template.get("Conditions") or {}}
    rules = [r for r in template["Resources"].values() if r.get("Type") == "AWS::Config::ConfigRule"]
    props = _resolve(rules[0]["Properties"], params, mappings)
    out = {"source_identifier": props["Source"]["SourceIdentifier"]}
    scope = props.get("Scope") or {}
    if scope.get("ComplianceResourceTypes"):
        out["resource_types"] = list(scope["ComplianceResourceTypes"])
    extra = {k: v for k, v in scope.items() if k != "ComplianceResourceTypes"}  # parameters misplaced under Scope on one page
    inputs = {**extra, **(props.get("InputParameters") or {})}
    if inputs:
        out["input_parameters"] = {k: str(v) for k, v in inputs.items()}
    if props.get("MaximumExecutionFrequency"):
        out["maximum_execution_frequency"] = props["MaximumExecutionFrequency"]
    return out


def artifact(body: str) -> dict:
    """The first artifact of a section: SCP statements or a Config rule."""
    for match in _CODE.finditer(body):
        code = match.group(1)
        if code.strip().startswith("{"):
            return {"statements": json.loads(_strip_comments(code))["Statement"]}
        if "AWS::Config::ConfigRule" in code:
            return {"config_rule": config_rule(code)}
    raise ValueError("no artifact in section")


def extract(folder: Path, commit: str, date: str) -> dict:
    pages = {}
    controls = {}
    for cid, (page, anchor) in SECTIONS.items():
        if page not in pages:
            pages[page] = sections((folder / f"{page}.md").read_text(encoding="utf-8"))
        title, body = pages[page][anchor]
        controls[cid] = {"title": title, "url": f"{BASE}/{page}.html#{anchor}", **artifact(body)}
    return {
        "source": {
            "repository": REPOSITORY,
            "commit": commit,
            "committed": date,
            "pages": sorted({p for p, _ in SECTIONS.values()}),
        },
        "controls": controls,
    }


def main(argv: list[str]) -> int:
    folder, commit, date = argv
    data = extract(Path(folder), commit, date)
    header = (
        "# Control Tower's published artifacts for every AWS-GR_* control, extracted by\n"
        "# landing_zone/guardrails/reference/extract.py from AWS's documentation source.\n"
        "# Generated: do not edit by hand (see extract.py for the refresh steps).\n"
    )
    sys.stdout.write(header + yaml.safe_dump(data, sort_keys=False, width=120))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
