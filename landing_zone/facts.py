"""Everything derived from one validated environment, computed once.

`load_environment` (landing_zone/environment.py) builds one `Facts` per
loaded environment; the cross-reference rules, the stacks, the plan review,
`lz simulate`, the reports and the commands all read it, so no consumer
rebuilds the OU tree, the guardrail plan, the identity plan, the network
plan or the stack layout. Each is a cached property: a command that needs
only the OU tree never packs SCPs. Pure Python (no cdktf).

    facts = load_environment("environments/example.yaml").facts
    facts.guardrail_plan.scps      # packed SCPs per target
    facts.deploy_order             # stack names, each after what it needs
"""

from __future__ import annotations

from functools import cached_property

from .config.models import Environment
from .derived.network_plan import NetworkPlan
from .derived.org_tree import OrgTree
from .derived.stack_layout import StackPlan, stack_plans
from .guardrails.enabled import EnabledControl, enabled_controls
from .guardrails.plan import GuardrailPlan, build_plan
from .identity.plan import IdentityPlan, identity_plan
from .naming import LandingZoneNames
from .respond.plan import ResponsePlan, response_plan


class Facts:
    """The derived facts of one `Environment`; every property is computed on first use, then kept."""

    def __init__(self, env: Environment) -> None:
        self.env = env

    @cached_property
    def tree(self) -> OrgTree:
        """OUs by path with their accounts."""
        return OrgTree(self.env)

    @cached_property
    def names(self) -> LandingZoneNames:
        """Every name of the landing zone's own resources (naming.py)."""
        return LandingZoneNames.of(self.env)

    @cached_property
    def enabled_controls(self) -> list[EnabledControl]:
        """The guardrails that are on, with their targets.

        Raises guardrails.templates.TemplateError for a custom SCP with a bad placeholder (its own rule reports it).
        """
        return enabled_controls(self.env, self.tree)

    @cached_property
    def guardrail_plan(self) -> GuardrailPlan:
        """SCPs packed per target within the quotas, and the detective rules."""
        return build_plan(self.env, self.tree, self.enabled_controls)

    @cached_property
    def response_plan(self) -> ResponsePlan:
        """Remediations per control and account, responders, the runbooks each account enables."""
        return response_plan(self.env, self.guardrail_plan)

    @cached_property
    def identity_plan(self) -> IdentityPlan:
        """Groups, permission sets and the account grants their assignments expand to."""
        return identity_plan(self.env, self.tree)

    @cached_property
    def network_plan(self) -> NetworkPlan:
        """VPCs, subnets, transit gateway wiring, peerings (empty without a `network:` section)."""
        return NetworkPlan(self.env)

    @cached_property
    def stack_layout(self) -> list[StackPlan]:
        """Every stack with its account and dependencies, in deploy order."""
        return stack_plans(self.env, self.network_plan if self.env.network is not None else None)

    @property
    def deploy_order(self) -> list[str]:
        return [plan.name for plan in self.stack_layout]

    @property
    def destroy_order(self) -> list[str]:
        return list(reversed(self.deploy_order))

    def stack(self, name: str) -> StackPlan:
        """One stack of the layout by name (KeyError when there is none)."""
        for plan in self.stack_layout:
            if plan.name == name:
                return plan
        raise KeyError(name)
