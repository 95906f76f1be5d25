"""The guardrail plan of an environment: SCPs per target, Config rules with
their excluded accounts, and the budget of every target.

This is what the construct synthesizes and what `lz guardrails` prints; the
`scp_budget` config rule fails validation when a target does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..config.models import Environment, limit_table
from ..derived.org_tree import OrgTree
from ..derived.stack_layout import stack_plans
from ..naming import LandingZoneNames
from .enabled import EnabledControl, enabled_controls
from .packing import PackedPolicy, PackResult, SourceStatement, minify, normalize, pack, policy_size
from .quarantine import quarantine_scps, reserved_slots
from .remediation import remediated_accounts
from .targets import Target


@dataclass(frozen=True)
class Scp:
    """One service control policy to create and attach."""

    target: Target
    index: int
    name: str
    description: str
    content: str
    control_ids: tuple[str, ...]
    sid_controls: dict  # Sid -> control ids that contributed to that statement
    sid_sources: dict = field(default_factory=dict)  # Sid -> the SourceStatements merged into it

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class DetectiveRule:
    """One detective control as an organization Config rule (one per region)."""

    control_id: str
    name: str
    description: str
    source_identifier: str
    input_parameters: str | None  # JSON text
    resource_types: tuple[str, ...]
    maximum_execution_frequency: str | None
    regions: tuple[str, ...]
    excluded_accounts: tuple[str, ...]  # member account names the rule skips
    exclude_management: bool  # the management account is skipped too
    remediated_accounts: tuple[str, ...] = ()  # of those, the ones holding it as an account rule with remediation


@dataclass
class TargetBudget:
    """SCP use of one target against the quotas."""

    target: Target
    controls: list[EnabledControl]
    result: PackResult
    slots: int  # slots free for guardrails (FullAWSAccess takes one, the quarantine SCP another)
    capacity: int  # characters per policy
    reserved: int = 0  # slots taken by the quarantine SCP (guardrails/quarantine.py)

    @property
    def fits(self) -> bool:
        return self.result.fits

    @property
    def characters(self) -> int:
        return sum(p.size for p in self.result.policies)


@dataclass
class GuardrailPlan:
    env: Environment
    controls: list[EnabledControl]
    budgets: dict[Target, TargetBudget] = field(default_factory=dict)
    tree: OrgTree = field(default=None, repr=False)  # type: ignore[assignment]  # built from env when not given

    def __post_init__(self) -> None:
        if self.tree is None:
            self.tree = OrgTree(self.env)

    @property
    def preventive(self) -> list[EnabledControl]:
        return [c for c in self.controls if c.control.preventive]

    @property
    def detective(self) -> list[EnabledControl]:
        return [c for c in self.controls if not c.control.preventive]

    @property
    def failures(self) -> list[TargetBudget]:
        return [b for b in self.budgets.values() if not b.fits]

    @property
    def scps(self) -> list[Scp]:
        """Every policy of every target that fits, in a stable order."""
        names = LandingZoneNames.of(self.env)
        limit = self.env.limits.policy_description_length
        out = []
        for target, budget in self.budgets.items():
            if not budget.fits:
                continue
            count = len(budget.result.policies)
            for i, policy in enumerate(budget.result.policies, start=1):
                out.append(
                    Scp(
                        target,
                        i,
                        names.scp(target.key, i),
                        describe(target, i, count, policy, limit),
                        policy.content,
                        tuple(policy.control_ids),
                        {s.sid: s.controls for s in policy.statements},
                        {s.sid: tuple(s.sources) for s in policy.statements},
                    )
                )
        return out + quarantine_scps(self.env)

    @cached_property
    def stack_accounts(self) -> frozenset[str]:
        """Accounts with a stack of their own (where account-level rules and roles can go)."""
        return frozenset(p.account for p in stack_plans(self.env))

    def remediated_accounts(self, control: EnabledControl) -> tuple[str, ...]:
        """Accounts where a detective control runs as an account rule with remediation (guardrails/remediation.py)."""
        return remediated_accounts(self.env, control, self.stack_accounts)

    @property
    def detective_rules(self) -> list[DetectiveRule]:
        """The organization Config rules: every account outside a control's targets is excluded, and so is
        every account that holds the control as an account rule with remediation."""
        out = []
        for control in self.detective:
            rule = control.config_rule
            assert rule is not None  # every detective control carries its Config rule
            remediated = self.remediated_accounts(control)
            excluded = tuple(a.name for a in self.env.accounts if a.name not in control.covered or a.name in remediated)
            out.append(
                DetectiveRule(
                    control.id,
                    rule.name,
                    f"{control.id}: {control.control.title}"[:256],
                    rule.source_identifier,
                    rule.input_parameters_json,
                    rule.resource_types,
                    rule.maximum_execution_frequency,
                    rule.regions,
                    excluded,
                    not control.includes_management,
                    remediated,
                )
            )
        return out


def describe(target: Target, index: int, count: int, policy: PackedPolicy, limit: int) -> str:
    """A policy description within the length limit: what it holds, for whom."""
    head = f"Landing zone guardrails for {target.label} ({index}/{count}): "
    ids = policy.control_ids
    for shown in range(len(ids), -1, -1):
        rest = f" and {len(ids) - shown} more" if shown < len(ids) else ""
        text = head + ", ".join(ids[:shown]) + rest
        if len(text) <= limit:
            return text
    return head[:limit]


def budget_for(env: Environment, target: Target, controls: list[EnabledControl]) -> TargetBudget:
    sources = [SourceStatement(c.id, s) for c in controls for s in c.statements]
    reserved = reserved_slots(env, target)
    slots = env.limits.scps_per_target - 1 - reserved
    result = pack(sources, slots, env.limits.scp_size)
    return TargetBudget(target, controls, result, slots, env.limits.scp_size, reserved)


def build_plan(env: Environment, tree: OrgTree | None = None, controls: list[EnabledControl] | None = None) -> GuardrailPlan:
    """Enabled controls, and the packed SCPs of every target that has any (facts.Facts keeps one per environment)."""
    tree = tree or OrgTree(env)
    controls = enabled_controls(env, tree) if controls is None else controls
    per_target: dict[Target, list[EnabledControl]] = {}
    for control in controls:
        if control.control.preventive:
            for target in control.targets:
                per_target.setdefault(target, []).append(control)
    plan = GuardrailPlan(env, controls, tree=tree)
    for target in sorted(per_target, key=lambda t: ({"root": 0, "ou": 1, "account": 2}[t.kind], t.name)):
        plan.budgets[target] = budget_for(env, target, per_target[target])
    return plan


def fit_advice(budget: TargetBudget) -> str:
    """Why a target does not fit and which controls to move up the tree or drop."""
    target, result = budget.target, budget.result
    sizes: dict[str, int] = {}
    for control in budget.controls:
        sizes[control.id] = sum(len(minify(normalize(s))) for s in control.statements)
    total = policy_size(s.size for s in result.statements)
    if result.needed == 0:
        big = [s for s in result.statements if policy_size([s.size]) > budget.capacity]
        who = ", ".join(f"{s.sid} of {'/'.join(s.controls)} ({s.size:,} characters)" for s in big)
        return (
            f"{target.label}: a single statement does not fit in one SCP of {budget.capacity:,} characters "
            f"(limits.scp_size): {who}; shorten it or split it into several statements"
        )
    head = (
        f"{target.label} needs {result.needed} SCPs for {len(result.statements)} statements "
        f"({total:,} characters) but has {budget.slots} free slot(s) of {budget.capacity:,} characters "
        f"(limits.scps_per_target {budget.slots + 1 + budget.reserved} minus FullAWSAccess"
        f"{' and the quarantine SCP' if budget.reserved else ''}, limits.scp_size {budget.capacity:,})"
    )
    # Mandatory controls cannot move: offer the others, largest first, until the rest fits.
    movable = [c for c in budget.controls if c.control.tier != "mandatory"]
    drop: list[str] = []
    remaining = list(budget.controls)
    for control in sorted(movable, key=lambda c: (-sizes[c.id], c.id)):
        if _fits(budget, remaining):
            break
        remaining.remove(control)
        drop.append(control.id)
    listed = ", ".join(f"{cid} ({sizes[cid]:,} characters)" for cid in drop)
    if drop and _fits(budget, remaining):
        return f"{head}; {_advice(target)}: {listed}"
    quotas = limit_table()
    raise_limits = (
        f"the mandatory controls alone do not fit: raise limits.scp_size or limits.scps_per_target "
        f"(AWS allows {quotas['scp_size']['value']:,} characters and {quotas['scps_per_target']['value']} SCPs "
        f"per target since {quotas['scp_size']['as_of']})"
    )
    return f"{head}; {raise_limits}" + (f", and {_advice(target)}: {listed}" if drop else "")


def _fits(budget: TargetBudget, controls: list[EnabledControl]) -> bool:
    sources = [SourceStatement(c.id, s) for c in controls for s in c.statements]
    return pack(sources, budget.slots, budget.capacity).fits


def _advice(target: Target) -> str:
    if target.kind == "root":
        return "the root has no parent: drop these controls, or attach them to the OUs that need them instead"
    if target.kind == "account":
        return "move these controls up to the account's OU (where they reach its other accounts too) or drop them"
    parent = target.name.rsplit("/", 1)[0] if "/" in target.name else "root"
    return f"move these controls up the tree to {parent!r} (where they reach its other children too) or drop them"
