"""Danger rules: changes that block the merge (exit 3) unless allowed by name.

Each rule is one entry of `RULES`: its name (what `--allow NAME` takes), what
it protects and a check that returns the reason for one change, or None. The
mandatory-guardrail rule reads the guardrail summary instead of single
changes: a statement moving between policies is no detachment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from ..naming import is_log_bucket_name, is_trail_name
from .changes import Classified
from .guardrails import GuardrailChange

REMOVING = ("delete", "replace")
SECURITY_PRINCIPALS = ("guardduty.amazonaws.com", "securityhub.amazonaws.com")
TGW_ATTACHMENTS = {  # type -> attribute holding the transit gateway id
    "aws_ec2_transit_gateway_vpc_attachment": "transit_gateway_id",
    "aws_ec2_transit_gateway_peering_attachment": "transit_gateway_id",
    "aws_ec2_transit_gateway_connect": "transit_gateway_id",
    "aws_vpn_connection": "transit_gateway_id",
    "aws_dx_gateway_association": "associated_gateway_id",
}
PEERING_USERS = {  # type -> attribute holding the peering (connection or attachment) id
    "aws_route": "vpc_peering_connection_id",
    "aws_vpc_peering_connection_accepter": "vpc_peering_connection_id",
    "aws_vpc_peering_connection_options": "vpc_peering_connection_id",
    "aws_ec2_transit_gateway_route": "transit_gateway_attachment_id",
    "aws_ec2_transit_gateway_peering_attachment_accepter": "transit_gateway_attachment_id",
    "aws_ec2_transit_gateway_route_table_association": "transit_gateway_attachment_id",
}

VPC_USERS = {  # type -> attribute holding the VPC id: what a replaced or deleted VPC takes with it
    "aws_subnet": "vpc_id",
    "aws_ec2_transit_gateway_vpc_attachment": "vpc_id",
    "aws_vpc_peering_connection": "vpc_id",
    "aws_vpc_endpoint": "vpc_id",
}


@dataclass(frozen=True)
class Danger:
    rule: str
    message: str
    stack: str
    address: str
    allowed: bool = False

    def to_json(self) -> dict:
        return dict(self.__dict__)


class Verdict:
    """What a review or an environment diff concludes from its `dangers`: blocked unless every one is allowed."""

    dangers: list[Danger]

    @property
    def blocking(self) -> list[Danger]:
        return [d for d in self.dangers if not d.allowed]

    @property
    def blocked(self) -> bool:
        return bool(self.blocking)


class StateLookup:
    """Resources in the prior state of every plan under review (for 'has attachments')."""

    def __init__(self, states: Iterable) -> None:
        self.views = [view for state in states for view in state.values()]

    def users(self, kinds: dict[str, str], resource_id: Optional[str]) -> list[str]:
        if not resource_id:
            return []
        return sorted(v.address for v in self.views if v.type in kinds and v.value(kinds[v.type]) == resource_id)


Check = Callable[[Classified, StateLookup], Optional[str]]


@dataclass(frozen=True)
class DangerRule:
    name: str
    protects: str
    check: Check


def _verb(item: Classified) -> str:
    return "replaces" if item.change.action == "replace" else "deletes"


def _before(item: Classified) -> dict:
    return item.change.before if isinstance(item.change.before, dict) else {}


def _typed(rtype: str, action: str, describe: Callable[[Classified], str]) -> Check:
    def check(item: Classified, state: StateLookup) -> Optional[str]:
        if item.change.type == rtype and item.change.action == action:
            return describe(item)
        return None

    return check


def _removing(types: tuple[str, ...], describe: Callable[[Classified], Optional[str]]) -> Check:
    def check(item: Classified, state: StateLookup) -> Optional[str]:
        if item.change.type in types and item.change.action in REMOVING:
            return describe(item)
        return None

    return check


def _account_text(item: Classified) -> str:
    name = item.attribution.account or _before(item).get("name") or item.change.address
    why = ""
    if item.change.replace_paths:
        why = " (" + ", ".join(".".join(map(str, p)) for p in item.change.replace_paths) + " cannot change in place)"
    action = "replaces" if item.change.action == "replace" else "removes"
    return f"{action} account {name}{why}: the account leaves the organization or is closed, with everything in it"


def _ou_text(item: Classified) -> str:
    path = item.attribution.ou or _before(item).get("name") or item.change.address
    return f"{_verb(item)} OU {path}: its guardrails and policy attachments go with it"


def _log_bucket(item: Classified) -> Optional[str]:
    bucket = str(_before(item).get("bucket") or "")
    if is_log_bucket_name(bucket):
        return f"{_verb(item)} the log archive bucket {bucket}: the organization's audit logs live there"
    return None


def _trail(item: Classified) -> Optional[str]:
    before = _before(item)
    name = str(before.get("name") or "")
    if before.get("is_organization_trail") or is_trail_name(name):
        return f"{_verb(item)} the organization trail {name}: API activity of every account stops being recorded"
    return None


def _security_admin(item: Classified) -> Optional[str]:
    before = _before(item)
    if item.change.type == "aws_organizations_delegated_administrator":
        service = before.get("service_principal")
        if service not in SECURITY_PRINCIPALS:
            return None
        what = "GuardDuty" if service.startswith("guardduty") else "Security Hub"
    else:
        what = "GuardDuty" if "guardduty" in item.change.type else "Security Hub"
    account = item.attribution.account or before.get("account_id") or before.get("admin_account_id") or "?"
    return f"{_verb(item)} the {what} administrator ({account}): findings stop reaching the security team"


def _with_users(kinds: dict[str, str], what: str) -> Check:
    def check(item: Classified, state: StateLookup) -> Optional[str]:
        users = state.users(kinds, _before(item).get("id"))
        if not users:
            return None
        shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
        return f"{_verb(item)} {what} {_before(item).get('id')} that still has attachments: {shown}"

    return check


def _tgw(item: Classified, state: StateLookup) -> Optional[str]:
    if item.change.type == "aws_ec2_transit_gateway" and item.change.action in REMOVING:
        return _with_users(TGW_ATTACHMENTS, "transit gateway")(item, state)
    return None


def _peering(item: Classified, state: StateLookup) -> Optional[str]:
    if (
        item.change.type in ("aws_vpc_peering_connection", "aws_ec2_transit_gateway_peering_attachment")
        and item.change.action in REMOVING
    ):
        return _with_users(PEERING_USERS, "peering")(item, state)
    return None


def _vpc(item: Classified, state: StateLookup) -> Optional[str]:
    # A new CIDR block replaces the VPC (cidr_block forces replacement): its subnets, attachments and workloads go.
    if item.change.type == "aws_vpc" and item.change.action in REMOVING:
        return _with_users(VPC_USERS, "VPC")(item, state)
    return None


def _catalog(what: str, consequence: str) -> Callable[[Classified], str]:
    def describe(item: Classified) -> str:
        before = _before(item)
        name = before.get("name") or before.get("principal_id") or before.get("id") or item.change.address
        return f"{_verb(item)} self-service {what} {name}: {consequence}"

    return describe


def _never(item: Classified, state: StateLookup) -> Optional[str]:
    return None


MANDATORY_GUARDRAIL = "mandatory-guardrail-detach"
RULES: tuple[DangerRule, ...] = (
    DangerRule(
        "organization-replace",
        "the organization",
        _typed(
            "aws_organizations_organization",
            "replace",
            lambda i: "replaces the organization: every OU, account attachment and policy is rebuilt",
        ),
    ),
    DangerRule(
        "organization-delete",
        "the organization",
        _typed("aws_organizations_organization", "delete", lambda i: "deletes the organization"),
    ),
    DangerRule("ou-replace", "organizational units", _typed("aws_organizations_organizational_unit", "replace", _ou_text)),
    DangerRule("ou-delete", "organizational units", _typed("aws_organizations_organizational_unit", "delete", _ou_text)),
    DangerRule("account-replace", "member accounts", _typed("aws_organizations_account", "replace", _account_text)),
    DangerRule("account-delete", "member accounts", _typed("aws_organizations_account", "delete", _account_text)),
    DangerRule("log-archive-bucket-delete", "the log archive bucket", _removing(("aws_s3_bucket",), _log_bucket)),
    DangerRule("organization-trail-delete", "the organization trail", _removing(("aws_cloudtrail",), _trail)),
    DangerRule(
        "kms-key-delete",
        "KMS keys",
        _removing(
            ("aws_kms_key", "aws_kms_replica_key"),
            lambda i: (
                f"{_verb(i)} KMS key {_before(i).get('key_id') or i.change.address}: whatever it encrypted "
                "becomes unreadable once the key is gone"
            ),
        ),
    ),
    DangerRule(
        "config-recorder-delete",
        "AWS Config recorders",
        _removing(
            ("aws_config_configuration_recorder",),
            lambda i: (
                f"{_verb(i)} Config recorder {_before(i).get('name') or i.change.address} in {i.account}: "
                "configuration history and detective guardrails stop"
            ),
        ),
    ),
    DangerRule(
        "config-aggregator-delete",
        "the AWS Config aggregator",
        _removing(
            ("aws_config_configuration_aggregator",),
            lambda i: (
                f"{_verb(i)} Config aggregator {_before(i).get('name') or i.change.address}: the "
                "organization-wide compliance view goes"
            ),
        ),
    ),
    DangerRule(
        "security-admin-delete",
        "the GuardDuty and Security Hub administrators",
        _removing(
            (
                "aws_guardduty_organization_admin_account",
                "aws_securityhub_organization_admin_account",
                "aws_organizations_delegated_administrator",
            ),
            _security_admin,
        ),
    ),
    DangerRule(MANDATORY_GUARDRAIL, "mandatory guardrails", _never),
    DangerRule("transit-gateway-delete", "transit gateways with attachments", _tgw),
    DangerRule(
        "catalog-product-delete",
        "self-service catalog products",
        _removing(
            ("aws_servicecatalog_product",),
            _catalog("product", "teams can no longer launch or update it, and its versions go with it"),
        ),
    ),
    DangerRule(
        "catalog-portfolio-delete",
        "self-service catalog portfolios",
        _removing(
            ("aws_servicecatalog_portfolio",),
            _catalog("portfolio", "every share, launch constraint and principal of it goes, in every account it reaches"),
        ),
    ),
    DangerRule(
        "catalog-share-delete",
        "self-service catalog shares",
        _removing(
            ("aws_servicecatalog_portfolio_share",),
            _catalog("portfolio share to", "the accounts it reached stop seeing the portfolio's products"),
        ),
    ),
    DangerRule("peering-delete", "peerings with attachments", _peering),
    DangerRule("vpc-delete", "VPCs with subnets or attachments", _vpc),
)
RULE_NAMES: tuple[str, ...] = tuple(r.name for r in RULES)


def find_dangers(
    items: list[Classified], guardrails: list[GuardrailChange], state: StateLookup, allowed: Iterable[str] = ()
) -> list[Danger]:
    allowed = set(allowed)
    out = []
    for item in items:
        for rule in RULES:
            reason = rule.check(item, state)
            if reason:
                out.append(Danger(rule.name, reason, item.stack, item.change.address, rule.name in allowed))
    for row in guardrails:
        if row.mandatory and row.change == "removed":
            where = ", ".join(row.statements)
            if row.behaviour == "SCP":
                kind = f"SCP statement(s) {where}" if where else "SCP (its actions shared a statement with other controls)"
            else:
                kind = f"Config rule ({where or 'every region'})"
            out.append(
                Danger(
                    MANDATORY_GUARDRAIL,
                    f"detaches mandatory guardrail {row.control_id} from {row.target}: {kind}",
                    row.stack,
                    ", ".join(row.via[:3]),
                    MANDATORY_GUARDRAIL in allowed,
                )
            )
    return out


def unknown_rules(names: Iterable[str]) -> list[str]:
    return sorted(set(names) - set(RULE_NAMES))
