"""`lz diff`: what a config-only pull request changes, from two environment
files and without terraform: accounts added, moved, replaced or removed; OU
changes; effective guardrails per account; access (group -> permission set
-> account). The same danger rules apply where a config change is enough to
know (an account or OU removed, an email change that replaces an account, a
mandatory guardrail lost). Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from ..config.lifecycle import account_replacements
from ..facts import Facts
from ..guardrails.targets import ROOT, chain
from .access import AccessChange
from .danger import MANDATORY_GUARDRAIL, Danger, Verdict
from .env_protected import protected_changes

if TYPE_CHECKING:
    from ..environment import LoadedEnvironment


@dataclass(frozen=True)
class Item:
    kind: str  # account | ou | stack | guardrail | access | permission set | group
    name: str
    change: str  # added | removed | moved | replaced | changed | granted | revoked
    detail: str = ""

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v != ""}


@dataclass(frozen=True)
class GuardrailDelta:
    account: str
    control_id: str
    change: str  # added | removed | changed
    tier: str
    behaviour: str
    via: str = ""  # targets the control is attached to (after; before when removed)

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class EnvDiff(Verdict):
    base: LoadedEnvironment
    head: LoadedEnvironment
    accounts: list[Item] = field(default_factory=list)
    ous: list[Item] = field(default_factory=list)
    stacks: list[Item] = field(default_factory=list)
    guardrails: list[GuardrailDelta] = field(default_factory=list)
    access: list[AccessChange] = field(default_factory=list)
    identity: list[Item] = field(default_factory=list)
    dangers: list[Danger] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.accounts or self.ous or self.stacks or self.guardrails or self.access or self.identity)

    def summary_line(self) -> str:
        def count(items, change):
            return sum(1 for i in items if i.change == change)

        line = (
            f"lz diff: accounts +{count(self.accounts, 'added')} -{count(self.accounts, 'removed')} "
            f"moved {count(self.accounts, 'moved')} replaced {count(self.accounts, 'replaced')}; "
            f"OUs +{count(self.ous, 'added')} -{count(self.ous, 'removed')}; "
            f"guardrails +{count(self.guardrails, 'added')} -{count(self.guardrails, 'removed')} "
            f"~{count(self.guardrails, 'changed')} (per account); "
            f"access +{count(self.access, 'granted')} -{count(self.access, 'revoked')}"
        )
        if self.blocked:
            rules = sorted({d.rule for d in self.blocking})
            return f"{line}; BLOCKED by {', '.join(rules)} (allow with {' '.join('--allow ' + r for r in rules)})"
        return line + ("; no changes" if self.empty else "; no dangerous changes")

    def to_json(self) -> dict:
        return {
            "base": self.base.file,
            "head": self.head.file,
            "blocked": self.blocked,
            "summary": self.summary_line(),
            "dangers": [d.to_json() for d in self.dangers],
            "accounts": [i.to_json() for i in self.accounts],
            "ous": [i.to_json() for i in self.ous],
            "stacks": [i.to_json() for i in self.stacks],
            "guardrails": [g.to_json() for g in self.guardrails],
            "access": [i.to_json() for i in self.access],
            "identity": [i.to_json() for i in self.identity],
        }


def _accounts(base, head) -> tuple[list[Item], list[tuple[str, str, str]]]:
    """Account items and (rule, message, account) dangers."""
    old = {a.name: a for a in base.accounts}
    new = {a.name: a for a in head.accounts}
    items, dangers = [], []
    replaced = {r.name: r for r in account_replacements(base, head)}  # shared with `lz validate --base`
    removed = {n: a for n, a in old.items() if n not in new}
    added = {n: a for n, a in new.items() if n not in old}
    for name, account in old.items():
        replacement = replaced.get(name)
        if name in removed:
            renamed = replacement.new_name if replacement else None
            what = (
                f"renamed to {renamed}: terraform deletes this account and creates another" if renamed else f"was in {account.ou}"
            )
            items.append(Item("account", name, "removed", what))
            dangers.append(("account-delete", f"removes account {name} ({what})", name))
            continue
        after = new[name]
        if replacement is not None:
            items.append(Item("account", name, "replaced", f"email {account.email} -> {after.email} cannot change in place"))
            dangers.append(
                ("account-replace", f"replaces account {name}: its email changes and AWS cannot change it in place", name)
            )
        if account.ou != after.ou:
            items.append(Item("account", name, "moved", f"from {account.ou} to {after.ou}"))
        other = sorted(
            k
            for k in ("tags", "id", "close_on_deletion", "iam_user_access_to_billing", "alternate_contacts")
            if getattr(account, k, None) != getattr(after, k, None)
        )
        if other:
            items.append(Item("account", name, "changed", ", ".join(other)))
    for name, account in added.items():
        items.append(Item("account", name, "added", f"in {account.ou}" + (f" (adopts {account.id})" if account.id else "")))
    return items, dangers


def _ous(base, head) -> tuple[list[Item], list[tuple[str, str, str]]]:
    old = {o.path: o for o in base.organizational_units}
    new = {o.path: o for o in head.organizational_units}
    items, dangers = [], []
    for path in old:
        if path not in new:
            items.append(Item("ou", path, "removed"))
            dangers.append(("ou-delete", f"removes OU {path}: its guardrails and policy attachments go with it", path))
        elif old[path] != new[path]:
            items.append(Item("ou", path, "changed", "description or tags"))
    items += [Item("ou", path, "added") for path in new if path not in old]
    return items, dangers


def _coverage(facts: Facts) -> dict[str, dict[str, tuple]]:
    """Account name -> control id -> (tier, behaviour, targets that reach it, content) for the controls reaching it."""
    env, tree = facts.env, facts.tree
    management = env.organization.management_account.name
    chains = {a.name: set(chain(tree, a.name)) for a in env.accounts}
    chains[management] = {ROOT}
    out: dict[str, dict[str, tuple]] = {management: {}}
    out.update({a.name: {} for a in env.accounts})
    for control in facts.enabled_controls:
        content = (control.statements, control.config_rule)
        # SCPs never apply to the management account: only detective rules on the root reach it.
        on_management = control.includes_management and not control.control.preventive
        reached = set(control.covered) | ({management} if on_management else set())
        for account in reached:
            via = ", ".join(t.label for t in control.targets if t in chains.get(account, ())) or "organization rule"
            out.setdefault(account, {})[control.id] = (control.control.tier, control.control.behaviour, via, content)
    return out


def _guardrails(base: Facts, head: Facts) -> list[GuardrailDelta]:
    from ..guardrails.catalog import TIER_LABEL

    old, new = _coverage(base), _coverage(head)
    rows = []
    order = list(new) + [a for a in old if a not in new]
    for account in order:
        if account not in old or account not in new:
            continue  # an added or removed account: the account line says it
        before, after = old[account], new[account]
        for cid in sorted(set(before) | set(after)):
            if cid in after and cid not in before:
                change, (tier, behaviour, via, _) = "added", after[cid]
            elif cid in before and cid not in after:
                change, (tier, behaviour, via, _) = "removed", before[cid]
            elif before[cid][3] != after[cid][3]:  # content, not only the target it comes through
                change, (tier, behaviour, via, _) = "changed", after[cid]
            else:
                continue
            rows.append(GuardrailDelta(account, cid, change, TIER_LABEL.get(tier, tier), behaviour, via))
    return rows


def _access(base: Facts, head: Facts) -> tuple[list[AccessChange], list[Item]]:
    old, new = base.identity_plan, head.identity_plan
    before = {g.key for g in old.grants}
    after = {g.key for g in new.grants}
    access = [AccessChange("granted", *key, "config") for key in after - before]
    access += [AccessChange("revoked", *key, "config") for key in before - after]
    access.sort(key=lambda r: (r.account, r.group, r.permission_set, r.change))
    identity = []
    for kind, olds, news in (("permission set", old.permission_sets, new.permission_sets), ("group", old.groups, new.groups)):
        a, b = {x.name: x for x in olds}, {x.name: x for x in news}
        identity += [Item(kind, n, "removed") for n in a if n not in b]
        identity += [Item(kind, n, "added") for n in b if n not in a]
        for n in a:
            if n in b and a[n] != b[n]:
                fields = sorted(k for k in type(a[n]).model_fields if getattr(a[n], k) != getattr(b[n], k))
                identity.append(Item(kind, n, "changed", ", ".join(fields)))
    return access, identity


def _stacks(base: Facts, head: Facts) -> list[Item]:
    old = {p.name: p for p in base.stack_layout}
    new = {p.name: p for p in head.stack_layout}
    items = [Item("stack", n, "added", f"deploys into {new[n].account}") for n in new if n not in old]
    items += [Item("stack", n, "removed", f"deployed into {old[n].account}") for n in old if n not in new]
    return items


def diff_environments(base_loaded: LoadedEnvironment, head_loaded: LoadedEnvironment, allow: Iterable[str] = ()) -> EnvDiff:
    allow = set(allow)
    base, head = base_loaded.env, head_loaded.env
    result = EnvDiff(base_loaded, head_loaded)
    result.accounts, account_dangers = _accounts(base, head)
    result.ous, ou_dangers = _ous(base, head)
    result.stacks = _stacks(base_loaded.facts, head_loaded.facts)
    result.guardrails = _guardrails(base_loaded.facts, head_loaded.facts)
    result.access, result.identity = _access(base_loaded.facts, head_loaded.facts)
    for rule, message, where in account_dangers + ou_dangers + protected_changes(base, head):
        result.dangers.append(Danger(rule, message, "config", where, rule in allow))
    for row in result.guardrails:
        if row.change == "removed" and row.tier == "mandatory":
            result.dangers.append(
                Danger(
                    MANDATORY_GUARDRAIL,
                    f"account {row.account} loses mandatory guardrail {row.control_id}",
                    "config",
                    row.account,
                    MANDATORY_GUARDRAIL in allow,
                )
            )
    return result
