"""What each resource is about: account, OU, guardrail, permission set, segment.

Table-driven: `RULES` maps a resource type to its kind, what its own values
say (`own`) and which attributes reference resources whose attribution it
inherits (`follow`). A new resource type is one line. Attribution reads
construct-independent facts only (resource types, attribute values, SCP
Sids derived from control ids, permission set names, `segment` tags), so it
keeps working as constructs change their ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Optional

from .facts import ReviewFacts
from .refs import Ref
from .views import IdIndex, ResourceView


@dataclass(frozen=True)
class Attribution:
    kind: str = "other"
    account: Optional[str] = None
    ou: Optional[str] = None
    guardrails: tuple[str, ...] = ()
    permission_set: Optional[str] = None
    group: Optional[str] = None
    segment: Optional[str] = None
    target: Optional[str] = None
    """What an attachment or assignment points at: 'root', 'OU <path>' or 'account <name>'."""
    label: Optional[str] = None
    """What a reference to this resource stands for ('OU Workloads', 'account web-prod', 'root')."""

    def to_json(self) -> dict:
        out: dict[str, str | list[str]] = {"kind": self.kind}
        for key in ("account", "ou", "permission_set", "group", "segment", "target"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.guardrails:
            out["guardrails"] = list(self.guardrails)
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Attribution":
        known = {k: data[k] for k in ("kind", "account", "ou", "permission_set", "group", "segment", "target") if k in data}
        return cls(guardrails=tuple(data.get("guardrails") or ()), **known)


Own = Callable[[ResourceView, ReviewFacts], dict]


@dataclass(frozen=True)
class Rule:
    kind: str
    own: Optional[Own] = None
    follow: tuple[str, ...] = ()
    target: Optional[str] = None
    """The followed attribute that names this resource's target (an attachment's target_id)."""


# -- what a resource's own values say ---------------------------------------
def _account(view: ResourceView, facts: ReviewFacts) -> dict:
    name = view.value("name")
    return {"account": name, "label": f"account {name}"} if isinstance(name, str) else {}


def _scp(view: ResourceView, facts: ReviewFacts) -> dict:
    return {"guardrails": tuple(scp_controls(view.value("content"), view.value("name"), facts))}


def _config_rule(view: ResourceView, facts: ReviewFacts) -> dict:
    for text in (view.value("description"), view.value("name")):
        if isinstance(text, str) and (control := facts.control_of_name(text)):
            return {"guardrails": (control,)}
    return {}


def _group(view: ResourceView, facts: ReviewFacts) -> dict:
    name = view.value("display_name") or _find_value(view.values, "attribute_value")
    return {"group": name} if isinstance(name, str) else {}


def _permission_set(view: ResourceView, facts: ReviewFacts) -> dict:
    name = view.value("name")
    return {"permission_set": name} if isinstance(name, str) else {}


def _segment(view: ResourceView, facts: ReviewFacts) -> dict:
    for key in ("tags", "tags_all"):
        tags = view.values.get(key)
        if isinstance(tags, dict) and isinstance(tags.get("segment"), str):
            return {"segment": tags["segment"]}
    return {}


def _find_value(value, key: str):
    if isinstance(value, dict):
        if isinstance(value.get(key), str):
            return value[key]
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _find_value(item, key)
            if found:
                return found
    return None


def scp_controls(content, policy_name, facts: ReviewFacts) -> list[str]:
    """Control ids of an SCP's statements, in statement order, each once."""
    statements = scp_statements(content)
    seen: dict[str, None] = {}
    for sid in statements:
        seen.update(dict.fromkeys(facts.controls_of_sid(sid, policy_name if isinstance(policy_name, str) else None)))
    return list(seen)


def scp_statements(content) -> dict[str, dict]:
    """Sid -> statement of a policy document (JSON text); {} when unknown or not JSON."""
    if not isinstance(content, str):
        return {}
    try:
        document = json.loads(content)
    except ValueError:
        return {}
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    out = {}
    for i, statement in enumerate(statements or []):
        if isinstance(statement, dict):
            out[str(statement.get("Sid") or f"#{i + 1}")] = statement
    return out


# -- the table ------------------------------------------------------------------
_PS = ("permission_set_arn",)
_NET = "network"
RULES: dict[str, Rule] = {
    # organization core
    "aws_organizations_organization": Rule("organization"),
    "aws_organizations_organizational_unit": Rule("ou", follow=("parent_id",)),
    "aws_organizations_account": Rule("account", _account, follow=("parent_id",)),
    "aws_organizations_delegated_administrator": Rule("organization", follow=("account_id",), target="account_id"),
    "aws_account_alternate_contact": Rule("account", follow=("account_id",), target="account_id"),
    # guardrails
    "aws_organizations_policy": Rule("guardrail", _scp),
    "aws_organizations_policy_attachment": Rule("guardrail", follow=("policy_id", "target_id"), target="target_id"),
    "aws_config_organization_managed_rule": Rule("guardrail", _config_rule),
    "aws_config_organization_custom_rule": Rule("guardrail", _config_rule),
    "aws_config_organization_custom_policy_rule": Rule("guardrail", _config_rule),
    "aws_config_config_rule": Rule("guardrail", _config_rule),
    # identity center
    "aws_identitystore_group": Rule("access", _group),
    "data.aws_identitystore_group": Rule("access", _group),
    "aws_ssoadmin_permission_set": Rule("access", _permission_set),
    "aws_ssoadmin_managed_policy_attachment": Rule("access", follow=_PS),
    "aws_ssoadmin_customer_managed_policy_attachment": Rule("access", follow=_PS),
    "aws_ssoadmin_permission_set_inline_policy": Rule("access", follow=_PS),
    "aws_ssoadmin_permissions_boundary_attachment": Rule("access", follow=_PS),
    "aws_ssoadmin_instance_access_control_attributes": Rule("access"),  # ABAC session tags of every permission set
    "aws_ssoadmin_account_assignment": Rule(
        "access", follow=("permission_set_arn", "principal_id", "target_id"), target="target_id"
    ),
    # networking
    "aws_ec2_transit_gateway": Rule(_NET, _segment),
    "aws_ec2_transit_gateway_route_table": Rule(_NET, _segment),
    "aws_ec2_transit_gateway_route": Rule(_NET, follow=("transit_gateway_route_table_id", "transit_gateway_attachment_id")),
    "aws_ec2_transit_gateway_route_table_association": Rule(_NET, follow=("transit_gateway_route_table_id",)),
    "aws_ec2_transit_gateway_route_table_propagation": Rule(_NET, follow=("transit_gateway_route_table_id",)),
    "aws_ec2_transit_gateway_vpc_attachment": Rule(_NET, _segment, follow=("vpc_id",)),
    "aws_ec2_transit_gateway_vpc_attachment_accepter": Rule(_NET, _segment, follow=("transit_gateway_attachment_id",)),
    "aws_ec2_transit_gateway_peering_attachment": Rule(_NET, _segment),
    "aws_ec2_transit_gateway_peering_attachment_accepter": Rule(_NET, _segment, follow=("transit_gateway_attachment_id",)),
    "aws_vpc": Rule(_NET, _segment),
    "aws_subnet": Rule(_NET, _segment, follow=("vpc_id",)),
    "aws_route_table": Rule(_NET, _segment, follow=("vpc_id",)),
    "aws_route": Rule(_NET, follow=("route_table_id",)),
    "aws_route_table_association": Rule(_NET, follow=("route_table_id",)),
    "aws_nat_gateway": Rule(_NET, _segment, follow=("subnet_id",)),
    "aws_internet_gateway": Rule(_NET, _segment, follow=("vpc_id",)),
    "aws_vpc_peering_connection": Rule(_NET, _segment, follow=("vpc_id",)),
    "aws_vpc_peering_connection_accepter": Rule(_NET, _segment, follow=("vpc_peering_connection_id",)),
    "aws_vpc_peering_connection_options": Rule(_NET, follow=("vpc_peering_connection_id",)),
    "aws_dx_gateway": Rule(_NET),
    "aws_dx_gateway_association": Rule(_NET, follow=("associated_gateway_id",)),
    "aws_dx_transit_virtual_interface": Rule(_NET, follow=("dx_gateway_id",)),
    "aws_ram_resource_share": Rule(_NET),
    "aws_ram_resource_association": Rule(_NET, follow=("resource_share_arn",)),
    "aws_ram_principal_association": Rule(_NET, follow=("resource_share_arn",)),
    "aws_vpc_ipam": Rule(_NET),
    "aws_vpc_ipam_pool": Rule(_NET, _segment),
    "aws_vpc_ipam_pool_cidr": Rule(_NET, follow=("ipam_pool_id",)),
    "aws_flow_log": Rule(_NET, follow=("vpc_id",)),
    # logging and security services
    "aws_s3_bucket": Rule("logging"),
    "aws_cloudtrail": Rule("logging"),
    "aws_kms_key": Rule("logging"),
    "aws_config_configuration_recorder": Rule("logging"),
    "aws_config_delivery_channel": Rule("logging"),
    "aws_config_configuration_aggregator": Rule("logging"),
    "aws_guardduty_detector": Rule("security"),
    "aws_guardduty_organization_admin_account": Rule("security", follow=("admin_account_id",), target="admin_account_id"),
    "aws_securityhub_account": Rule("security"),
    "aws_securityhub_organization_admin_account": Rule("security", follow=("admin_account_id",), target="admin_account_id"),
}


def rule_for(view: ResourceView) -> Rule:
    key = f"data.{view.type}" if view.mode == "data" else view.type
    return RULES.get(key) or RULES.get(view.type) or Rule("other")


# -- the engine -------------------------------------------------------------------
RemoteResolver = Callable[[Ref], Optional[tuple[ResourceView, str]]]


@dataclass
class Attributor:
    """Attributes the resources of one stack (one 'world': synthesized config, or a plan's before or after)."""

    views: dict[str, ResourceView]
    facts: ReviewFacts
    index: Optional[IdIndex] = None
    """Ids -> addresses, for references known only by value (resources in the state)."""
    remote: Optional[RemoteResolver] = None
    """Resolves cross-stack references (terraform_remote_state outputs)."""
    _core: dict[str, Attribution] = field(default_factory=dict)
    _busy: set[str] = field(default_factory=set)

    def attribute(self, address: str) -> Attribution:
        """The attribution of a resource, with the stack's account (and its OU) as the default."""
        found = self.core(address)
        view = self.views.get(address)
        if view is None:
            return found
        account = found.account or self.facts.account_of_stack(view.stack)
        ou = found.ou or self.facts.ou_of(account)
        return replace(found, account=account, ou=ou)

    def core(self, address: str) -> Attribution:
        if address in self._core:
            return self._core[address]
        view = self.views.get(address)
        if view is None or address in self._busy:
            return Attribution()
        self._busy.add(address)
        try:
            result = self._build(view)
        finally:
            self._busy.discard(address)
        self._core[address] = result
        return result

    def resolve(self, view: ResourceView, attribute: str) -> list[tuple[ResourceView, str]]:
        """The resources an attribute refers to, with the attribute path used."""
        out = []
        for ref in view.refs.get(attribute, []):
            if ref.address.startswith("data.terraform_remote_state.") and self.remote:
                found = self.remote(ref)
                if found:
                    out.append(found)
            elif ref.address in self.views:
                out.append((self.views[ref.address], ref.attr))
        if not out and self.index is not None:
            for value in _scalars(view.values.get(attribute)):
                named = self.index.lookup(value)
                if named and named.address in self.views and named.address != view.address:
                    out.append((self.views[named.address], named.attr))
        return out

    def _build(self, view: ResourceView) -> Attribution:
        rule = rule_for(view)
        result = Attribution(kind=rule.kind, **(rule.own(view, self.facts) if rule.own else {}))
        for attribute in rule.follow:
            for target_view, attr in self.resolve(view, attribute):
                other = self._referenced(target_view, attr)
                result = _merge(result, other, is_target=(attribute == rule.target))
        if view.type == "aws_organizations_organizational_unit":
            result = self._ou_path(view, result)
        return result

    def _referenced(self, view: ResourceView, attr: str) -> Attribution:
        """What a reference to `view` (through attribute `attr`) stands for."""
        if view.type == "aws_organizations_organization":
            if attr.startswith("roots"):
                return Attribution(kind="organization", label="root")
            if attr.startswith("master_account_id"):
                name = self.facts.management_account or "management account"
                return Attribution(kind="account", account=name, ou=self.facts.ou_of(name), label=f"account {name}")
            return Attribution(kind="organization", label="organization")
        return self.core(view.address)

    def _ou_path(self, view: ResourceView, result: Attribution) -> Attribution:
        name = view.value("name")
        if not isinstance(name, str):
            return result
        parent = next(iter(self.resolve(view, "parent_id")), None)
        parent_path = None
        if parent is not None and parent[0].type == "aws_organizations_organizational_unit":
            parent_path = self.core(parent[0].address).ou
        path = f"{parent_path}/{name}" if parent_path else name
        return replace(result, ou=path, label=f"OU {path}")


def _merge(mine: Attribution, other: Attribution, is_target: bool) -> Attribution:
    changes: dict = {}
    if other.guardrails:
        changes["guardrails"] = tuple(dict.fromkeys(mine.guardrails + other.guardrails))
    for key in ("permission_set", "group", "segment"):
        if getattr(mine, key) is None and getattr(other, key):
            changes[key] = getattr(other, key)
    if other.kind in ("account", "ou") or is_target:
        if mine.account is None and other.account:
            changes["account"] = other.account
        if mine.ou is None and other.ou:
            changes["ou"] = other.ou
    if is_target and other.label:
        changes["target"] = other.label
    return replace(mine, **changes) if changes else mine


def _scalars(value) -> Iterable:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))
    elif isinstance(value, str):
        yield value
