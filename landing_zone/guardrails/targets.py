"""Where a guardrail is attached: the root, an OU or an account.

An SCP attached to an OU reaches everything below it, so an exclusion below a
target is honoured by attaching the control one level lower instead, around
the excluded OU or account ("push-down"). Accounts the landing zone creates
later under the same OU get the control from the next synth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

from ..derived.org_tree import OrgTree

Kind = Literal["root", "ou", "account"]
ROOT_NAME = "root"


@dataclass(frozen=True, order=True)
class Target:
    """A policy target: the organization root, an OU by path, or an account by name."""

    kind: Kind
    name: str = ""

    @property
    def key(self) -> str:
        return "root" if self.kind == "root" else f"{self.kind}:{self.name}"

    @property
    def label(self) -> str:
        if self.kind == "root":
            return "root"
        return f"OU {self.name}" if self.kind == "ou" else f"account {self.name}"

    @classmethod
    def from_key(cls, key: str) -> "Target":
        if key == "root":
            return ROOT
        kind, _, name = key.partition(":")
        return cls(kind, name)  # type: ignore[arg-type]


ROOT = Target("root")


def ou_target(path: str) -> Target:
    """`root` names the organization root; anything else is an OU path."""
    return ROOT if path == ROOT_NAME else Target("ou", path)


def _below(path: str, ou: str) -> bool:
    return path == ou or path.startswith(ou + "/")


def attachment_targets(
    tree: OrgTree, targets: Iterable[Target], exclude_ous: Iterable[str] = (), exclude_accounts: Iterable[str] = ()
) -> tuple[Target, ...]:
    """The targets a control is attached to so that it skips the exclusions."""
    x_ous = [o for o in exclude_ous if o in tree.nodes]
    x_accounts = {a for a in exclude_accounts if a in tree.accounts_by_name}
    out: list[Target] = []

    def touches_exclusion(path: str | None) -> bool:
        if any(path is None or _below(o, path) for o in x_ous):
            return True
        accounts = tree.env.accounts if path is None else tree.subtree_accounts(path)
        return any(a.name in x_accounts for a in accounts)

    def attach_ou(path: str | None) -> None:
        if path is not None and any(_below(path, o) for o in x_ous):
            return  # the OU is excluded, with everything under it
        if not touches_exclusion(path):
            out.append(ROOT if path is None else Target("ou", path))
            return
        children = tree.roots if path is None else tree.nodes[path].children
        for child in children:
            attach_ou(child.path)
        if path is not None:
            for account in tree.nodes[path].accounts:
                if account.name not in x_accounts:
                    out.append(Target("account", account.name))

    for target in targets:
        if target.kind == "root":
            attach_ou(None)
        elif target.kind == "ou" and target.name in tree.nodes:
            attach_ou(target.name)
        elif target.kind == "account" and target.name in tree.accounts_by_name and target.name not in x_accounts:
            out.append(target)
    return tuple(sorted(_without_redundant(tree, set(out)), key=_order))


def _without_redundant(tree: OrgTree, targets: set[Target]) -> set[Target]:
    """Drop targets already reached through a target above them (same effect, fewer attachments)."""
    if ROOT in targets:
        return {ROOT}
    ous = {t.name for t in targets if t.kind == "ou"}

    def inside(path: str) -> bool:
        return any(_below(path, o) for o in ous)

    out = set()
    for t in targets:
        if t.kind == "ou" and any(_below(t.name, o) and t.name != o for o in ous):
            continue
        if t.kind == "account" and inside(tree.accounts_by_name[t.name].ou):
            continue
        out.add(t)
    return out


def _order(target: Target) -> tuple:
    return ({"root": 0, "ou": 1, "account": 2}[target.kind], target.name)


def chain(tree: OrgTree, account_name: str) -> list[Target]:
    """The targets whose policies reach an account: root, its OUs from the top, the account."""
    account = tree.accounts_by_name[account_name]
    ous = list(reversed(tree.ancestors(account.ou)))
    return [ROOT] + [Target("ou", p) for p in ous] + [Target("account", account_name)]


def covered_accounts(tree: OrgTree, targets: Iterable[Target]) -> set[str]:
    """Names of the member accounts the targets reach (the management account is not one)."""
    out: set[str] = set()
    for target in targets:
        if target.kind == "root":
            out.update(a.name for a in tree.env.accounts)
        elif target.kind == "ou" and target.name in tree.nodes:
            out.update(a.name for a in tree.subtree_accounts(target.name))
        elif target.kind == "account":
            out.add(target.name)
    return out
