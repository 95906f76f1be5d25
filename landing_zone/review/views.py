"""One shape for a resource, whether it comes from cdk.tf.json or from a plan.

Attribution (what a resource is about) reads a `ResourceView`: its type, its
literal values and, per top-level attribute, the resources it references.
A synthesized stack gives references as `${...}` strings; a plan gives them
in its `configuration`, and for resources only in the state, ids stand in
for references (`IdIndex`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from .masking import SENSITIVE, UNKNOWN
from .refs import Ref, refs_in_value

# Meta-arguments of a resource block: not attributes of the resource.
META = frozenset({"//", "lifecycle", "depends_on", "provider", "count", "for_each", "provisioner", "connection"})
# Attributes whose values identify a resource when another one refers to it by value.
ID_ATTRIBUTES = ("id", "arn", "group_id", "key_id")


@dataclass
class ResourceView:
    stack: str
    address: str
    type: str
    mode: str = "managed"
    values: dict = field(default_factory=dict)
    refs: dict[str, list[Ref]] = field(default_factory=dict)
    construct_path: Optional[str] = None

    def value(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key, default)
        return default if value is None else value


def views_from_synth(stack: str, doc: dict) -> dict[str, ResourceView]:
    """Every resource and data source of one synthesized stack (cdk.tf.json), by address."""
    out: dict[str, ResourceView] = {}
    for mode, block in (("managed", doc.get("resource") or {}), ("data", doc.get("data") or {})):
        for rtype, named in block.items():
            for name, body in named.items():
                address = f"{'data.' if mode == 'data' else ''}{rtype}.{name}"
                values = {k: v for k, v in body.items() if k not in META}
                refs = {k: found for k, v in values.items() if (found := refs_in_value(v))}
                path = ((body.get("//") or {}).get("metadata") or {}).get("path")
                out[address] = ResourceView(stack, address, rtype, mode, values, refs, path)
    return out


@dataclass
class IdIndex:
    """Resource ids, ARNs and the organization's special ids -> (address, attribute)."""

    by_value: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, view: ResourceView) -> None:
        for key in ID_ATTRIBUTES:
            value = view.values.get(key)
            if isinstance(value, str) and value and value not in (SENSITIVE, UNKNOWN):
                self.by_value.setdefault(value, (view.address, key))
        if view.type == "aws_organizations_organization":
            roots = view.values.get("roots") or []
            if roots and isinstance(roots[0], dict) and roots[0].get("id") not in (None, "", UNKNOWN):
                self.by_value[roots[0]["id"]] = (view.address, "roots")
            master = view.values.get("master_account_id")
            if isinstance(master, str) and master and master != UNKNOWN:
                # an account resource with the same id wins (setdefault below keeps the first)
                self.by_value.setdefault(master, (view.address, "master_account_id"))

    def lookup(self, value: Any) -> Optional[Ref]:
        if isinstance(value, str) and value in self.by_value:
            address, attr = self.by_value[value]
            return Ref(address, attr)
        return None


def index_views(views: Iterable[ResourceView]) -> IdIndex:
    index = IdIndex()
    ordered = sorted(views, key=lambda v: v.type != "aws_organizations_account")  # accounts first
    for view in ordered:
        index.add(view)
    return index
