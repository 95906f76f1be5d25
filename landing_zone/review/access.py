"""Access changes: which group gains or loses which permission set in which
account (compared as grants before and after, so a re-created assignment is
not a change), and what changes inside permission sets and groups."""

from __future__ import annotations

from dataclasses import dataclass

from .attribution import Attributor
from .changes import Classified, Worlds

ASSIGNMENT = "aws_ssoadmin_account_assignment"
# Resource type -> what a change to it does to a permission set (one line per type).
PERMISSION_SET_PARTS = {
    "aws_ssoadmin_permission_set": ("permission set", ("session_duration", "description", "relay_state")),
    "aws_ssoadmin_managed_policy_attachment": ("AWS managed policy", ("managed_policy_arn",)),
    "aws_ssoadmin_customer_managed_policy_attachment": ("customer managed policy", ("customer_managed_policy_reference",)),
    "aws_ssoadmin_permission_set_inline_policy": ("inline policy", ()),
    "aws_ssoadmin_permissions_boundary_attachment": ("permissions boundary", ("permissions_boundary",)),
    "aws_identitystore_group": ("group", ("display_name",)),
}


@dataclass(frozen=True)
class AccessChange:
    change: str  # granted | revoked
    group: str
    permission_set: str
    account: str
    stack: str

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PermissionSetChange:
    name: str  # permission set (or group) name
    part: str  # what changed: 'AWS managed policy', 'inline policy', 'group', ...
    action: str  # create | update | replace | delete
    detail: str
    stack: str
    address: str

    def to_json(self) -> dict:
        return dict(self.__dict__)


def grants(attributor: Attributor) -> set[tuple[str, str, str]]:
    out = set()
    for view in attributor.views.values():
        if view.type == ASSIGNMENT and view.mode == "managed":
            a = attributor.attribute(view.address)
            out.add((a.group or "?", a.permission_set or "?", a.account or "?"))
    return out


def access_changes(worlds: dict[str, Worlds]) -> list[AccessChange]:
    rows = []
    for stack, w in worlds.items():
        old, new = grants(w.before), grants(w.after)
        rows += [AccessChange("granted", *g, stack) for g in sorted(new - old)]
        rows += [AccessChange("revoked", *g, stack) for g in sorted(old - new)]
    return sorted(rows, key=lambda r: (r.account, r.group, r.permission_set, r.change))


def _detail(values: dict, keys: tuple[str, ...]) -> str:
    parts = []
    for key in keys:
        value = values.get(key)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = ", ".join(f"{k}={v}" for k, v in sorted(value[0].items()) if v not in (None, "", [], {}))
        if value not in (None, "", [], {}):
            parts.append(str(value))
    return "; ".join(parts)


def permission_set_changes(items: list[Classified]) -> list[PermissionSetChange]:
    rows = []
    for item in items:
        change = item.change
        if change.type not in PERMISSION_SET_PARTS:
            continue
        part, keys = PERMISSION_SET_PARTS[change.type]
        values = change.values if isinstance(change.values, dict) else {}
        detail = _detail(values, keys)
        if change.action == "update":
            before, after = change.before or {}, change.after or {}
            changed = sorted(k for k in set(before) | set(after) if k != "tags_all" and before.get(k) != after.get(k))
            detail = "changed " + ", ".join(changed) if changed else detail
        name = item.attribution.group if change.type == "aws_identitystore_group" else item.attribution.permission_set
        rows.append(PermissionSetChange(name or change.address, part, change.action, detail, change.stack, change.address))
    return rows
