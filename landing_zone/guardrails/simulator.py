"""Evaluate an account's effective SCPs for one request, offline.

SCP semantics: every level above the account (the root, each OU from the
top, the account itself) must allow the action through at least one of its
policies (FullAWSAccess at each level here), and an explicit Deny in any
policy at any level wins. SCPs never restrict the management account.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..render import Document
from .conditions import action_matches, as_list, conditions_hold, resource_matches
from .plan import GuardrailPlan
from .targets import Target, chain

FULL_AWS_ACCESS = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}],
}


@dataclass(frozen=True)
class Request:
    action: str
    resource: str = "*"
    principal: str = ""
    region: str = ""
    context: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def context_values(self) -> dict[str, list[str]]:
        """Request context keys (lower-case) -> values, with the keys derived from the request."""
        out = {"aws:principalarn": [self.principal], "aws:requestedregion": [self.region]}
        parts = self.principal.split(":")
        if len(parts) > 4 and parts[4]:
            out["aws:principalaccount"] = [parts[4]]
        if self.principal.endswith(":root"):
            out["aws:principaltype"] = ["Account"]
        out.update({k.lower(): list(v) for k, v in self.context.items()})
        return out


@dataclass(frozen=True)
class NearMiss:
    """A Deny statement that names the action but not this request: its resources or conditions differ."""

    sid: str
    control_ids: tuple[str, ...]
    policy: str
    target: Target
    why: str  # what the request would need for the statement to deny it

    def as_dict(self) -> dict:
        return {
            "sid": self.sid,
            "controls": list(self.control_ids),
            "policy": self.policy,
            "attached_to": self.target.label,
            "denies_only": self.why,
        }


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    sid: str = ""
    control_ids: tuple[str, ...] = ()
    policy: str = ""
    target: Target | None = None
    evaluated: int = 0  # statements looked at
    near_misses: tuple[NearMiss, ...] = ()  # when allowed: the Deny statements for this action that did not apply

    @property
    def verdict(self) -> str:
        return "ALLOWED" if self.allowed else "DENIED"

    def as_dict(self) -> dict:
        return {
            "decision": self.verdict,
            "reason": self.reason,
            "sid": self.sid,
            "controls": list(self.control_ids),
            "policy": self.policy,
            "attached_to": self.target.label if self.target else "",
            "statements_evaluated": self.evaluated,
            "near_misses": [m.as_dict() for m in self.near_misses],
        }


def statement_applies(statement: Mapping, request: Request, context: Mapping[str, Sequence[str]]) -> bool:
    if "Action" in statement and not action_matches(statement["Action"], request.action):
        return False
    if "NotAction" in statement and action_matches(statement["NotAction"], request.action):
        return False
    if "Resource" in statement and not resource_matches(statement["Resource"], request.resource):
        return False
    if "NotResource" in statement and resource_matches(statement["NotResource"], request.resource):
        return False
    return conditions_hold(statement.get("Condition"), context)


@dataclass(frozen=True)
class AttachedPolicy:
    target: Target
    name: str
    document: Mapping
    sid_controls: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sid_sources: Mapping[str, tuple] = field(default_factory=dict)

    def deciding_controls(self, sid: str, request: "Request", context) -> tuple[str, ...]:
        """The controls whose own statement (before merging) matches the request."""
        hits = [src.control_id for src in self.sid_sources.get(sid, ()) if statement_applies(src.statement, request, context)]
        return tuple(dict.fromkeys(hits)) or tuple(self.sid_controls.get(sid, ()))


def effective_policies(plan: GuardrailPlan, account: str) -> list[list[AttachedPolicy]]:
    """The policies of each level that reaches the account, root first; FullAWSAccess at each."""
    levels = []
    by_target: dict[Target, list] = {}
    for scp in plan.scps:
        by_target.setdefault(scp.target, []).append(scp)
    for target in chain(plan.tree, account):
        level = [AttachedPolicy(target, "FullAWSAccess", FULL_AWS_ACCESS)]
        level += [
            AttachedPolicy(target, s.name, json.loads(s.content), s.sid_controls, s.sid_sources)
            for s in by_target.get(target, [])
        ]
        levels.append(level)
    return levels


def evaluate(levels: list[list[AttachedPolicy]], request: Request) -> Decision:
    context = request.context_values()
    count = 0
    allowed_at: list[bool] = []
    for level in levels:
        allowed = False
        for policy in level:
            for statement in policy.document.get("Statement", []):
                count += 1
                if not statement_applies(statement, request, context):
                    continue
                if statement["Effect"] == "Deny":
                    sid = statement.get("Sid", "")
                    return Decision(
                        False,
                        "explicit deny",
                        sid,
                        policy.deciding_controls(sid, request, context),
                        policy.name,
                        policy.target,
                        count,
                    )
                allowed = True
        allowed_at.append(allowed)
    for level, allowed in zip(levels, allowed_at):
        if not allowed:
            return Decision(False, f"no SCP attached to {level[0].target.label} allows it (implicit deny)", evaluated=count)
    return Decision(
        True, "no statement denies it and every level allows it", evaluated=count, near_misses=near_misses(levels, request)
    )


def _names_action(statement: Mapping, action: str) -> bool:
    if "Action" in statement:
        return action_matches(statement["Action"], action)
    return "NotAction" in statement and not action_matches(statement["NotAction"], action)


def near_misses(levels: list[list[AttachedPolicy]], request: Request) -> tuple[NearMiss, ...]:
    """Deny statements that name the request's action but miss it on its resource or its conditions."""
    context = request.context_values()
    out = []
    for level in levels:
        for policy in level:
            for statement in policy.document.get("Statement", []):
                if statement.get("Effect") != "Deny" or not _names_action(statement, request.action):
                    continue
                why = []
                if "Resource" in statement and not resource_matches(statement["Resource"], request.resource):
                    why.append(f"on {', '.join(as_list(statement['Resource']))}")
                if "NotResource" in statement and resource_matches(statement["NotResource"], request.resource):
                    why.append(f"on resources other than {', '.join(as_list(statement['NotResource']))}")
                if not conditions_hold(statement.get("Condition"), context):
                    why.append(f"when {json.dumps(statement['Condition'], separators=(',', ':'))}")
                if not why:
                    continue
                sid = statement.get("Sid", "")
                owners = [
                    src.control_id for src in policy.sid_sources.get(sid, ()) if _names_action(src.statement, request.action)
                ]
                controls = tuple(dict.fromkeys(owners)) or tuple(policy.sid_controls.get(sid, ()))
                out.append(NearMiss(sid, controls, policy.name, policy.target, " and ".join(why)))
    return tuple(out)


def placeholder_account_id(name: str) -> str:
    """A stable stand-in id for an account the landing zone has not created yet."""
    return str(int(hashlib.sha256(name.encode()).hexdigest(), 16))[-12:].rjust(12, "0")


def account_id(plan: GuardrailPlan, name: str) -> str:
    account = plan.tree.accounts_by_name.get(name)
    if account is not None and account.id:
        return account.id
    mgmt = plan.env.organization.management_account
    if name == mgmt.name and mgmt.id:
        return mgmt.id
    return placeholder_account_id(name)


def simulate(plan: GuardrailPlan, account: str, request: Request) -> Decision:
    """The decision for `request` made in `account` (a member or the management account)."""
    if account == plan.env.organization.management_account.name:
        return Decision(True, "SCPs do not restrict the management account")
    return evaluate(effective_policies(plan, account), request)


def decision_document(decision: "Decision", request: Request, account: str) -> Document:
    """One simulated request as a report: the verdict, then the statement that denies it or why it is allowed."""
    why = decision.reason
    if decision.sid:
        assert decision.target is not None  # a denying statement is always found in a policy attached to a target
        controls = ", ".join(decision.control_ids) or "custom"
        why = (
            f"denied by statement {decision.sid} (control {controls}) in SCP {decision.policy} "
            f"attached to {decision.target.label}"
        )
    doc = Document().paragraph(
        f"{decision.verdict}: {request.action} on {request.resource} by {request.principal} "
        f"in {request.region} (account {account})\n  {why}"
    )
    if decision.near_misses:
        doc.paragraph("Near misses: these statements deny this action, but not for this request:")
        doc.bullets(
            [
                f"{m.sid} (control {', '.join(m.control_ids) or 'custom'}) in SCP {m.policy} attached to "
                f"{m.target.label}: denies it only {m.why}"
                for m in decision.near_misses
            ]
        )
    return doc
