"""The quarantine SCP: a new account can do nothing until its baseline is applied.

`account_factory.defaults.quarantine` / a request's `quarantine` put a vended
account under one extra SCP, attached directly to the account: deny every
action unless the principal is one of the landing zone's own roles (the
deployment role and the access role the account stack assumes, the same
exemption the mandatory guardrails use). So the account's stack can still
apply the baseline through the access role while people and workloads in the
account (SSO users, CI deploy roles, instance roles) are denied everything.

Procedure: vend with `quarantine: true`, apply the management stack and the
account's stack, then set `quarantine: false` and apply the management stack
again (which detaches and deletes the policy). `lz validate` warns while an
account is quarantined.

The policy takes one of the account's SCP slots: the guardrail packing
reserves it (plan.budget_for) and the scp_budget rule reports a target that
no longer fits. It is part of GuardrailPlan.scps, so the management stack,
`lz simulate`, `lz guardrails` and the plan review see it like any other SCP.
Pure Python (no cdktf).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config.vending import quarantined_names
from ..naming import LandingZoneNames, bounded, slug
from .packing import minify
from .targets import Target

if TYPE_CHECKING:
    from ..config.models import Environment
    from .plan import Scp

QUARANTINE_ID = "LZ-QUARANTINE"
QUARANTINE_TITLE = "Quarantine of a new account until its baseline is applied"
QUARANTINE_TIER = "account factory"  # not a catalog tier: never mandatory, lifting it is routine
SID = "LZQUARANTINE"
# Index 0: the packed guardrail policies of a target are numbered from 1, so the
# quarantine policy's resource address never collides with theirs.
INDEX = 0


def quarantine_targets(env: "Environment") -> list[Target]:
    """The account targets that carry the quarantine SCP, in request order."""
    return [Target("account", name) for name in quarantined_names(env)]


def quarantine_document(env: "Environment") -> dict:
    """Deny every action to every principal but the landing zone's own roles (the mandatory guardrails'
    exemption, which covers the account factory's access role too)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": SID,
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": LandingZoneNames.of(env).exempt_principal_arns}},
            }
        ],
    }


def quarantine_scps(env: "Environment") -> list["Scp"]:
    """One quarantine policy per quarantined account."""
    from .plan import Scp

    names = LandingZoneNames.of(env)
    limit = env.limits.policy_description_length
    content = minify(quarantine_document(env))  # the same policy for every quarantined account
    out = []
    for target in quarantine_targets(env):
        # The "(1/1): <id>" tail is how the plan review reads which control a policy holds.
        description = f"Landing zone quarantine of {target.label} until its baseline is applied (1/1): {QUARANTINE_ID}"
        out.append(
            Scp(
                target,
                INDEX,
                bounded(f"{names.prefix}quarantine-{slug(target.name)}", 128),
                description[:limit],
                content,
                (QUARANTINE_ID,),
                {SID: (QUARANTINE_ID,)},
            )
        )
    return out


def reserved_slots(env: "Environment", target: Target) -> int:
    """SCP slots of `target` the quarantine policy takes (1 for a quarantined account, else 0)."""
    return 1 if target.kind == "account" and target.name in quarantined_names(env) else 0
