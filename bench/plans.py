"""`terraform show -json` plan files made from synthesized stacks, for timing `lz plan-review`.

The repository holds no recorded plan (the review tests make theirs against
a local AWS API), so each plan is built from a stack's cdk.tf.json the way
terraform would show a routine change on a deployed stack: every resource
is in the prior state with its configured values; resources with tags get a
tag update, the others are unchanged. `${...}` references are unknown after
the plan and listed as references in the configuration, as terraform does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

META_KEYS = {"//", "lifecycle", "depends_on", "provider", "provisioner", "connection", "count", "for_each"}
REF = re.compile(r"\$\{([^}]*)\}")
TERRAFORM_VERSION = "1.11.0"


def _known(body: dict) -> tuple[dict, dict, dict]:
    """(known values, after_unknown, configuration expressions) of one resource body."""
    values, unknown, expressions = {}, {}, {}
    for key, value in body.items():
        if key in META_KEYS:
            continue
        text = json.dumps(value)
        refs = REF.findall(text)
        if refs:
            unknown[key] = True
            names = [r.strip() for r in refs if re.fullmatch(r"[\w.\-\[\]\"]+", r.strip())]
            expressions[key] = {"references": names} if names else {}
        else:
            values[key] = value
            expressions[key] = {"constant_value": value}
    return values, unknown, expressions


def plan_of_stack(tf_json: dict) -> dict:
    """A plan of one synthesized stack: tag updates on tagged resources, no-op elsewhere."""
    changes, prior, config = [], [], []
    for rtype, resources in (tf_json.get("resource") or {}).items():
        for name, body in resources.items():
            address = f"{rtype}.{name}"
            before, unknown, expressions = _known(body)
            after = dict(before)
            tagged = isinstance(before.get("tags"), dict)
            if tagged:
                after["tags"] = {**before["tags"], "benchmark": "changed"}
            changes.append(
                {
                    "address": address,
                    "mode": "managed",
                    "type": rtype,
                    "name": name,
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "change": {
                        "actions": ["update"] if tagged else ["no-op"],
                        "before": before,
                        "after": after,
                        "after_unknown": {},
                        "before_sensitive": {},
                        "after_sensitive": {},
                    },
                }
            )
            prior.append(
                {
                    "address": address,
                    "mode": "managed",
                    "type": rtype,
                    "name": name,
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "schema_version": 0,
                    "values": before,
                    "sensitive_values": {},
                }
            )
            config.append(
                {
                    "address": address,
                    "mode": "managed",
                    "type": rtype,
                    "name": name,
                    "provider_config_key": "aws",
                    "expressions": expressions,
                    "schema_version": 0,
                }
            )
    return {
        "format_version": "1.2",
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {
            "root_module": {"resources": [{k: v for k, v in p.items() if k != "sensitive_values"} for p in prior]}
        },
        "resource_changes": changes,
        "prior_state": {
            "format_version": "1.0",
            "terraform_version": TERRAFORM_VERSION,
            "values": {"root_module": {"resources": prior}},
        },
        "configuration": {"root_module": {"resources": config}},
        "timestamp": "2026-01-01T00:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def write_plans(synth_out: Path, folder: Path, count: int) -> list[Path]:
    """Plans of the first `count` stacks of a synth output (management and core first), `<stack>.json` each."""
    folder.mkdir(parents=True, exist_ok=True)
    stacks = sorted(
        (synth_out / "stacks").glob("*/cdk.tf.json"), key=lambda p: (p.parent.name.startswith("account-"), p.parent.name)
    )
    written = []
    for tf in stacks[:count]:
        path = folder / f"{tf.parent.name}.json"
        path.write_text(json.dumps(plan_of_stack(json.loads(tf.read_text(encoding="utf-8")))), encoding="utf-8")
        written.append(path)
    if len(written) < count:
        raise ValueError(f"{synth_out} has {len(written)} stacks; {count} plans were asked for")
    return written
