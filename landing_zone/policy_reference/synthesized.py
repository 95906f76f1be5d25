"""Every IAM policy document of synthesized stacks (cdk.tf.json), with its kind
and owner, for the validator: SCPs, trust and identity policies of roles,
resource policies of buckets, keys and topics, permission-set inline policies.

Values known only at apply time (`${aws_s3_bucket.x.arn}`) stay in the JSON
text as Terraform interpolations; the validator treats them as unknown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from .validator import Finding, validate_policy

# resource type -> ((attribute, kind), ...)
POLICY_ATTRIBUTES = {
    "aws_organizations_policy": (("content", "scp"),),
    "aws_iam_role": (("assume_role_policy", "trust"),),
    "aws_iam_role_policy": (("policy", "identity"),),
    "aws_iam_policy": (("policy", "identity"),),
    "aws_iam_user_policy": (("policy", "identity"),),
    "aws_iam_group_policy": (("policy", "identity"),),
    "aws_s3_bucket_policy": (("policy", "resource"),),
    "aws_kms_key": (("policy", "resource"),),
    "aws_kms_key_policy": (("policy", "resource"),),
    "aws_sns_topic_policy": (("policy", "resource"),),
    "aws_sns_topic": (("policy", "resource"),),
    "aws_sqs_queue_policy": (("policy", "resource"),),
    "aws_ssoadmin_permission_set_inline_policy": (("inline_policy", "permission_set"),),
}
_SID_CONTROL = re.compile(r"^[A-Za-z0-9]+$")


@dataclass(frozen=True)
class PolicyDocument:
    stack: str
    address: str  # resource type and name, e.g. aws_kms_key.log-archive_key_ABC
    kind: str
    text: str
    scp_type: str = ""  # aws_organizations_policy: SERVICE_CONTROL_POLICY, TAG_POLICY, ...


def documents(stacks: Mapping[str, dict]) -> Iterator[PolicyDocument]:
    for stack_name, stack in sorted(stacks.items()):
        for rtype, attributes in POLICY_ATTRIBUTES.items():
            for name, body in sorted((stack.get("resource", {}).get(rtype) or {}).items()):
                for attribute, kind in attributes:
                    text = body.get(attribute)
                    if not isinstance(text, str) or not text.lstrip().startswith("{"):
                        continue  # absent, or a Terraform expression (jsonencode, a data source)
                    if (
                        rtype == "aws_organizations_policy"
                        and body.get("type", "SERVICE_CONTROL_POLICY") != "SERVICE_CONTROL_POLICY"
                    ):
                        continue
                    yield PolicyDocument(stack_name, f"{rtype}.{name}", kind, text)


def read_stacks(out_dir: Path) -> dict[str, dict]:
    """Stack name -> cdk.tf.json of a synth output folder (cdktf.out)."""
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    return {
        name: json.loads((out_dir / entry["synthesizedStackPath"]).read_text(encoding="utf-8"))
        for name, entry in manifest["stacks"].items()
    }


def validate_stacks(
    stacks: Mapping[str, dict], scp_size: int | None = None, control_ids: tuple[str, ...] = ()
) -> list[tuple[PolicyDocument, Finding]]:
    """Every finding of every policy of the stacks; an SCP statement is owned by the control its Sid names."""
    by_sid = {re.sub(r"[^A-Za-z0-9]", "", cid): cid for cid in control_ids}
    out = []
    for doc in documents(stacks):
        try:
            document = json.loads(doc.text)
        except json.JSONDecodeError as exc:
            out.append((doc, Finding("error", "MALFORMED_POLICY", f"not JSON: {exc.msg}", doc.address)))
            continue
        owners = {}
        if doc.kind == "scp":
            for st in document.get("Statement", []) if isinstance(document, dict) else []:
                sid = str(st.get("Sid", "")) if isinstance(st, dict) else ""
                base = re.sub(r"\d+$", "", sid)
                owner = by_sid.get(sid) or by_sid.get(base)
                if owner:
                    owners[sid] = f"{owner} in {doc.address}"
        for finding in validate_policy(
            document, doc.kind, doc.address, max_size=scp_size if doc.kind == "scp" else None, owners_by_sid=owners
        ):
            out.append((doc, finding))
    return out
