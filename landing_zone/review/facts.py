"""What the review knows about the environment: accounts and their OUs, which
account each stack deploys into, and which guardrail each SCP statement
comes from. Built from the environment when `lz synth` writes the manifest,
read back from the manifest by `lz plan-review`; without a manifest only the
package's control catalog is known. Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Optional

from ..facts import Facts
from ..guardrails.catalog import TIER_LABEL, catalog
from ..guardrails.enabled import custom_controls
from ..guardrails.quarantine import QUARANTINE_ID, QUARANTINE_TIER, QUARANTINE_TITLE
from ..naming import slug


@dataclass(frozen=True)
class ControlInfo:
    id: str
    title: str
    tier: str
    behaviour: str

    @property
    def tier_label(self) -> str:
        return TIER_LABEL.get(self.tier, self.tier)


@dataclass
class ReviewFacts:
    management_account: Optional[str] = None
    """Config name of the management account (None: unknown, plan-only review)."""
    accounts: dict[str, str] = field(default_factory=dict)
    """Account name -> OU path (the management account: '' = the root)."""
    stacks: dict[str, str] = field(default_factory=dict)
    """Stack name -> config name of the account it deploys into."""
    stack_dependencies: dict[str, list[str]] = field(default_factory=dict)
    policy_sids: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """SCP name -> Sid -> every control merged into that statement."""
    remediated_accounts: dict[str, list[str]] = field(default_factory=dict)
    """Detective control id -> accounts where it deploys as an account Config rule with remediation
    (every other account it reaches gets the organization rule)."""
    custom_controls: dict[str, ControlInfo] = field(default_factory=dict)

    # -- guardrail lookups -----------------------------------------------
    def control(self, control_id: str) -> ControlInfo:
        if control_id in self.custom_controls:
            return self.custom_controls[control_id]
        known = _catalog_info().get(control_id) or _NON_CATALOG.get(control_id)
        return known or ControlInfo(control_id, "", "unknown", "unknown")

    def is_mandatory(self, control_id: str) -> bool:
        return self.control(control_id).tier == "mandatory"

    def controls_of_sid(self, sid: str, policy_name: Optional[str] = None) -> list[str]:
        """Controls behind one SCP statement: exact from the manifest, else from the Sid's shape."""
        if policy_name and sid in self.policy_sids.get(policy_name, {}):
            return list(self.policy_sids[policy_name][sid])
        bases = {**_catalog_bases(), **{_base(c): c for c in self.custom_controls}}
        if sid in bases:
            return [bases[sid]]
        # Sid = base + statement number when a control has several statements; the base
        # itself may end in digits (LZ-EC2-REQUIRE-IMDSV2), so try every split.
        for cut in range(len(sid) - 1, 0, -1):
            if sid[cut:].isdigit() and sid[:cut] in bases:
                return [bases[sid[:cut]]]
        return []

    def control_of_name(self, text: str) -> Optional[str]:
        """A control id written in a Config rule's description or name."""
        match = _ID_IN_TEXT.search(text or "")
        if match:
            return match.group(1)
        slugged = (text or "").lower()
        known = list(self.custom_controls) + list(_catalog_info())
        for control_id in sorted(known, key=len, reverse=True):
            if slugged.endswith(slug(control_id)):
                return control_id
        return None

    # -- accounts and stacks -----------------------------------------------
    def ou_of(self, account: Optional[str]) -> Optional[str]:
        if account is None:
            return None
        ou = self.accounts.get(account)
        return ou if ou else None

    def account_of_stack(self, stack: str) -> Optional[str]:
        return self.stacks.get(stack)

    # -- (de)serialization -----------------------------------------------
    def to_json(self) -> dict:
        data = asdict(self)
        data["custom_controls"] = {k: asdict(v) for k, v in self.custom_controls.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ReviewFacts":
        data = dict(data or {})
        custom = {k: ControlInfo(**v) for k, v in (data.pop("custom_controls", None) or {}).items()}
        known = {
            k: data[k]
            for k in ("management_account", "accounts", "stacks", "stack_dependencies", "policy_sids", "remediated_accounts")
            if k in data
        }
        return cls(custom_controls=custom, **known)


_ID_IN_TEXT = re.compile(r"\b(AWS-GR_[A-Z0-9_]+|LZ-[A-Z0-9-]+)\b")


def _base(control_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", control_id)


@lru_cache(maxsize=1)
def _catalog_info() -> dict[str, ControlInfo]:
    return {c.id: ControlInfo(c.id, c.title, c.tier, c.behaviour) for c in catalog().values()}


# Controls the landing zone attaches that are not in the catalog: the account factory's quarantine SCP.
_NON_CATALOG = {QUARANTINE_ID: ControlInfo(QUARANTINE_ID, QUARANTINE_TITLE, QUARANTINE_TIER, "preventive")}


@lru_cache(maxsize=1)
def _catalog_bases() -> dict[str, str]:
    return {_base(c): c for c in _catalog_info()}


def review_facts(facts: Facts) -> ReviewFacts:
    """What the review keeps of an environment's derived facts (landing_zone/facts.py)."""
    env = facts.env
    management = env.organization.management_account.name
    accounts = {management: ""}
    accounts.update({a.name: a.ou for a in env.accounts})
    plans = facts.stack_layout
    policy_sids: dict[str, dict[str, list[str]]] = {}
    remediated: dict[str, list[str]] = {}
    try:
        for scp in facts.guardrail_plan.scps:
            policy_sids[scp.name] = {sid: list(ids) for sid, ids in scp.sid_controls.items()}
        for rule in facts.guardrail_plan.detective_rules:
            if rule.remediated_accounts:
                remediated[rule.control_id] = list(rule.remediated_accounts)
    except Exception:  # noqa: BLE001 - a review must not fail on a guardrail plan it cannot build
        policy_sids, remediated = {}, {}
    custom = {
        control.id: ControlInfo(control.id, control.title, control.tier, control.behaviour)
        for control, _, _ in custom_controls(env)
    }
    return ReviewFacts(
        management_account=management,
        accounts=accounts,
        stacks={p.name: p.account for p in plans},
        stack_dependencies={p.name: list(p.depends_on) for p in plans},
        policy_sids=policy_sids,
        remediated_accounts=remediated,
        custom_controls=custom,
    )
