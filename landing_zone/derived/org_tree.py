"""The OU tree with accounts, resolved from OU paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..config.models import Account, Environment, OrganizationalUnit


def parent_path(path: str) -> str | None:
    """`Workloads/Prod` -> `Workloads`; a top-level OU's parent is the root (None)."""
    return path.rsplit("/", 1)[0] if "/" in path else None


def ou_depth(path: str) -> int:
    return path.count("/") + 1


@dataclass
class OuNode:
    ou: OrganizationalUnit
    children: list["OuNode"] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.ou.path

    @property
    def name(self) -> str:
        return self.ou.path.rsplit("/", 1)[-1]


class OrgTree:
    """OUs by path, children in config order, accounts per OU."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.nodes: dict[str, OuNode] = {}
        for ou in env.organizational_units:
            self.nodes.setdefault(ou.path, OuNode(ou))
        self.roots: list[OuNode] = []
        for node in self.nodes.values():
            parent = parent_path(node.path)
            if parent is None:
                self.roots.append(node)
            elif parent in self.nodes:
                self.nodes[parent].children.append(node)
        for account in env.accounts:
            if account.ou in self.nodes:
                self.nodes[account.ou].accounts.append(account)

    def ancestors(self, path: str) -> list[str]:
        """The OU itself and every OU above it, nearest first."""
        out = []
        current: str | None = path
        while current is not None:
            out.append(current)
            current = parent_path(current)
        return out

    def subtree_accounts(self, path: str) -> list[Account]:
        """Every account in the OU and in every OU below it."""
        prefix = path + "/"
        return [a for a in self.env.accounts if a.ou == path or a.ou.startswith(prefix)]

    @cached_property
    def accounts_by_name(self) -> dict[str, Account]:
        return {a.name: a for a in self.env.accounts}

    def walk(self):
        """Yield (depth, node) depth-first in config order."""

        def visit(node: OuNode, depth: int):
            yield depth, node
            for child in node.children:
                yield from visit(child, depth + 1)

        for root in self.roots:
            yield from visit(root, 0)
