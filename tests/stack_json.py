"""Reading synthesized stacks (cdk.tf.json as dicts) in the tests of every tier."""

from __future__ import annotations

import json
import re

REMOTE = re.compile(
    r"\$\{data\.terraform_remote_state\.cross-stack-reference-input-(?P<stack>[^.]+)\.outputs\.(?P<output>[^}]+)\}"
)


def resources(stack: dict, resource_type: str) -> dict:
    return stack.get("resource", {}).get(resource_type, {})


def one(stack: dict, resource_type: str, name: str) -> dict:
    found = resources(stack, resource_type)
    assert name in found, f"no {resource_type}.{name} (have {sorted(found)})"
    return found[name]


def policy(resource: dict, key: str = "policy") -> dict:
    """A policy attribute: JSON text (with terraform interpolations inside strings)."""
    return json.loads(resource[key])


def statements(resource: dict, key: str = "policy") -> dict:
    return {s.get("Sid", str(i)): s for i, s in enumerate(policy(resource, key)["Statement"])}


def reads_from(value: str, stack: str) -> bool:
    """Whether `value` reads another stack's output (a cdktf cross-stack reference)."""
    return any(m["stack"] == stack for m in REMOTE.finditer(value))


def policy_findings(stacks: dict, env) -> list:
    """The policy validator's (document, finding) pairs over `stacks`, with the environment's SCP size limit and
    the control catalog (an SCP statement belongs to the control its Sid names)."""
    from landing_zone.guardrails.catalog import catalog
    from landing_zone.policy_reference.synthesized import validate_stacks

    return validate_stacks(stacks, env.limits.scp_size, tuple(catalog()))
