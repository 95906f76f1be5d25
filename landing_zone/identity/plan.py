"""The effective Identity Center setup of an environment, and who gets what where.

`identity_plan(env)` merges the preset (unless switched off) with the file's
own groups, permission sets and assignments, and expands every assignment to
account names: OU targets reach every account in the OU's subtree (so an
account added to the OU later is covered on the next synth), minus the
exclusions. The result feeds the construct, `lz access` and the rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ..config.models import Assignment, Environment, IdentityGroup, IdentityUser, PermissionSet
from ..config.models.identity import ROOT_TARGET
from ..derived.org_tree import OrgTree
from .preset import PRESET, preset_assignments, preset_groups, preset_permission_sets


@dataclass(frozen=True)
class Grant:
    """A group holds a permission set in an account, through one or more assignments."""

    account: str
    group: str
    permission_set: str
    via: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.group, self.permission_set, self.account)


@dataclass(frozen=True)
class IdentityPlan:
    """Groups, permission sets and assignments in effect, and their grants by account."""

    enabled: bool
    source: Literal["identity_center", "external"] = "identity_center"
    delegated_admin_account: str | None = None
    groups: tuple[IdentityGroup, ...] = ()
    permission_sets: tuple[PermissionSet, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    from_preset: frozenset[str] = frozenset()
    """Names of the groups, permission sets and assignments that the preset added."""
    accounts: tuple[str, ...] = ()
    """Every account name, the management account first, then in config order."""
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Assignment name -> the account names it reaches."""
    grants: tuple[Grant, ...] = ()
    users: tuple[IdentityUser, ...] = ()
    access_control_attributes: tuple[tuple[str, str], ...] = ()
    """ABAC: (session tag key, user attribute source) in the order written (identity.access_control_attributes)."""
    """End users of the Identity Center directory (none with an external source)."""

    def permission_set(self, name: str) -> PermissionSet:
        return next(p for p in self.permission_sets if p.name == name)

    @cached_property
    def _grants_by_account(self) -> dict[str, list[Grant]]:
        # validation asks once per account: scanning every grant each time was quadratic
        out: dict[str, list[Grant]] = {}
        for g in self.grants:
            out.setdefault(g.account, []).append(g)
        return out

    def grants_for(self, account: str | None = None, group: str | None = None) -> list[Grant]:
        grants = self.grants if account is None else self._grants_by_account.get(account, ())
        return [g for g in grants if group is None or g.group == group]


def _ou_accounts(path: str, env: Environment, tree: OrgTree) -> list[str]:
    if path.lower() == ROOT_TARGET:
        return [a.name for a in env.accounts]
    return [a.name for a in tree.subtree_accounts(path)]


def expand_assignment(assignment: Assignment, env: Environment, tree: OrgTree | None = None) -> tuple[str, ...]:
    """The account names an assignment reaches, management account first, then config order."""
    tree = tree or OrgTree(env)
    included: set[str] = set(assignment.accounts)
    for path in assignment.ous:
        included.update(_ou_accounts(path, env, tree))
    excluded: set[str] = set(assignment.exclude_accounts)
    for path in assignment.exclude_ous:
        excluded.update(_ou_accounts(path, env, tree))
    order = [env.organization.management_account.name] + [a.name for a in env.accounts]
    return tuple(name for name in order if name in included and name not in excluded)


def identity_plan(env: Environment, tree: OrgTree | None = None) -> IdentityPlan:
    """The effective Identity Center setup; `enabled` is False without an `identity:` section."""
    identity = env.identity
    if identity is None:
        return IdentityPlan(enabled=False)
    groups, permission_sets, assignments = list(identity.groups), list(identity.permission_sets), list(identity.assignments)
    preset_names: set[str] = set()
    if identity.preset == PRESET:
        extra_groups, extra_sets, extra_assignments = preset_groups(env), preset_permission_sets(), preset_assignments(env)
        preset_names.update(x.name for x in extra_groups + extra_sets + extra_assignments)
        groups = extra_groups + groups
        permission_sets = extra_sets + permission_sets
        assignments = extra_assignments + assignments
    tree = tree or OrgTree(env)
    accounts = tuple([env.organization.management_account.name] + [a.name for a in env.accounts])
    expansions = {a.name: expand_assignment(a, env, tree) for a in assignments}
    via: dict[tuple[str, str, str], list[str]] = {}
    for assignment in assignments:
        for account in expansions[assignment.name]:
            via.setdefault((assignment.group, assignment.permission_set, account), []).append(assignment.name)
    position = {name: i for i, name in enumerate(accounts)}
    grants = sorted(
        (Grant(account, group, permission_set, tuple(names)) for (group, permission_set, account), names in via.items()),
        key=lambda g: (position.get(g.account, len(position)), g.group, g.permission_set),
    )
    return IdentityPlan(
        enabled=True,
        source=identity.source,
        delegated_admin_account=identity.delegated_admin_account,
        groups=tuple(groups),
        permission_sets=tuple(permission_sets),
        assignments=tuple(assignments),
        from_preset=frozenset(preset_names),
        accounts=accounts,
        expansions=expansions,
        grants=tuple(grants),
        users=tuple(identity.users) if identity.source == "identity_center" else (),
        access_control_attributes=tuple(identity.access_control_attributes.items()),
    )


_PRINCIPAL_TAG = re.compile(r"aws:PrincipalTag/([\w+=,.@:/-]+?)(?=[}\"'\s]|$)", re.IGNORECASE)


def principal_tag_keys(permission_set: PermissionSet) -> list[str]:
    """The session tag keys a permission set's inline policy reads (`aws:PrincipalTag/<key>`), in order, once each."""
    policy = permission_set.inline_policy
    if policy is None:
        return []
    text = policy if isinstance(policy, str) else json.dumps(policy)
    return list(dict.fromkeys(m.group(1) for m in _PRINCIPAL_TAG.finditer(text)))
