"""Hold a catalog control against Control Tower's published artifact.

A control is rendered with Control Tower's own names (reference.CONTROL_TOWER_NAMES)
and each parameter at Control Tower's setting, then compared with the artifact:
actions (or NotAction), resources, condition operators, keys and values; or the
Config rule's source identifier, parameters, resource types and frequency.
A difference is allowed only where the control lists a deviation of that
aspect, and an `actions` deviation must name exactly the actions added or removed.
"""

from __future__ import annotations

from typing import Any, Mapping

from .catalog import Control, Deviation
from .conditions import as_list
from .enabled import _expand_numbered
from .reference import CONTROL_TOWER_NAMES, control_tower, region_deny_exemptions
from .templates import placeholders, render

# Parameters at Control Tower's setting: the Region deny's regions are filled in
# per landing zone (AWS's artifact shows an empty list), with no extra exemptions.
_PARAMETERS: dict[str, list[str]] = {"allowed_regions": [], "exempt_actions": []}
# Config evaluates a periodic rule every 24 hours when no frequency is given.
_DEFAULT_FREQUENCY = "TwentyFour_Hours"


def reference(control_id: str) -> Mapping[str, Any] | None:
    """AWS's artifact; the Region deny's `NotAction` from its current page (dated data), which supersedes the archive."""
    aws = control_tower()["controls"].get(control_id)
    if control_id == "AWS-GR_REGION_DENY" and aws is not None:
        statement = {**aws["statements"][0], "NotAction": region_deny_exemptions()}
        aws = {**aws, "statements": [statement]}
    return aws


def _values() -> dict[str, Any]:
    return {**CONTROL_TOWER_NAMES, **_PARAMETERS, "region_deny_exemptions": region_deny_exemptions()}


def _lower_set(value: Any) -> set[str]:
    return {str(v).lower() for v in as_list(value)}


def _is_exemption(op: str, key: str) -> bool:
    return key.lower() == "aws:principalarn" and op in ("ArnNotLike", "StringNotLike", "ArnNotEquals", "StringNotEquals")


def _conditions(block: Mapping | None, exemptions: bool) -> dict:
    """{operator: {key (lower-case): sorted values}}, with or without the exempted-principal entries."""
    out: dict = {}
    for op, keys in (block or {}).items():
        for key, values in keys.items():
            if _is_exemption(op, key) == exemptions:
                out.setdefault(op, {})[key.lower()] = sorted(str(v) for v in as_list(values))
    return out


def _statement(ours: Mapping, aws: Mapping, devs: dict[str, list[Deviation]], where: str) -> list[str]:
    out = []
    for field in ("Action", "NotAction"):
        mine, theirs = _lower_set(ours.get(field)), _lower_set(aws.get(field))
        added, removed = sorted(mine - theirs), sorted(theirs - mine)
        listed = [d for d in devs.get("actions", [])]
        want_added = sorted({a.lower() for d in listed for a in d.added})
        want_removed = sorted({a.lower() for d in listed for a in d.removed})
        if field == "Action" and (added, removed) != (want_added, want_removed):
            out.append(f"{where}: Action adds {added} and removes {removed}; listed: adds {want_added}, removes {want_removed}")
        elif field == "NotAction" and (added or removed):
            out.append(f"{where}: NotAction adds {added} and removes {removed}")
    for field in ("Resource", "NotResource"):
        if sorted(as_list(ours.get(field))) != sorted(as_list(aws.get(field))):
            out.append(f"{where}: {field} {as_list(ours.get(field))} where Control Tower has {as_list(aws.get(field))}")
    if "conditions" not in devs and _conditions(ours.get("Condition"), False) != _conditions(aws.get("Condition"), False):
        out.append(
            f"{where}: Condition {_conditions(ours.get('Condition'), False)} where Control Tower has "
            f"{_conditions(aws.get('Condition'), False)}"
        )
    if "exempt_principals" not in devs and _conditions(ours.get("Condition"), True) != _conditions(aws.get("Condition"), True):
        out.append(
            f"{where}: exempted principals {_conditions(ours.get('Condition'), True)} where Control Tower has "
            f"{_conditions(aws.get('Condition'), True)}"
        )
    if ours.get("Effect") != aws.get("Effect"):
        out.append(f"{where}: Effect {ours.get('Effect')} where Control Tower has {aws.get('Effect')}")
    return out


def _rule(control: Control, aws: Mapping, devs: dict[str, list[Deviation]]) -> list[str]:
    spec = control.config_rule
    assert spec is not None  # compared only for a detective control, which has its Config rule
    params = {name: p.default for name, p in control.parameters.items()}
    ours = {
        "source_identifier": spec.source_identifier,
        "input_parameters": {k: v.lower() for k, v in _expand_numbered(render(dict(spec.input_parameters), params)).items()},
        "resource_types": sorted(spec.resource_types),
        "maximum_execution_frequency": spec.maximum_execution_frequency or _DEFAULT_FREQUENCY,
    }
    theirs = {
        "source_identifier": aws["source_identifier"],
        "input_parameters": {k: str(v).lower() for k, v in (aws.get("input_parameters") or {}).items()},
        "resource_types": sorted(aws.get("resource_types") or ()),
        "maximum_execution_frequency": aws.get("maximum_execution_frequency") or _DEFAULT_FREQUENCY,
    }
    allowed = {d.field for d in devs.get("rule", [])}
    return [
        f"{control.id}: Config rule {key} {ours[key]!r} where Control Tower has {theirs[key]!r}"
        for key in ours
        if ours[key] != theirs[key] and key not in allowed
    ]


def differences(control: Control) -> list[str]:
    """Every difference from Control Tower's artifact that no listed deviation allows ([] when faithful)."""
    aws = reference(control.id)
    if aws is None:
        return [f"{control.id}: no Control Tower artifact in the reference data"]
    devs: dict[str, list[Deviation]] = {}
    for d in control.deviations:
        devs.setdefault(d.aspect, []).append(d)
    if control.preventive != ("statements" in aws):
        return [f"{control.id}: preventive/detective differs from Control Tower's artifact"]
    if not control.preventive:
        return _rule(control, aws["config_rule"], devs)
    used = placeholders(control.statements) & set(CONTROL_TOWER_NAMES)
    out = []
    if used and "names" not in devs:
        out.append(f"{control.id}: uses this landing zone's names ({', '.join(sorted(used))}) without a listed `names` deviation")
    ours = [render(dict(s), _values()) for s in control.statements]
    theirs = list(aws["statements"])
    if len(ours) != len(theirs) and "statements" not in devs:
        return out + [f"{control.id}: {len(ours)} statements where Control Tower has {len(theirs)}"]
    for i, (mine, aws_statement) in enumerate(zip(ours, theirs)):
        out += _statement(mine, aws_statement, devs, f"{control.id} statement {i + 1}")
    return out


def unused_deviations(control: Control) -> list[str]:
    """Listed deviations that change nothing (a deviation must describe a real difference)."""
    out = []
    for d in control.deviations:
        if d.aspect == "names":
            continue
        rest = tuple(x for x in control.deviations if x is not d)
        probe = Control(
            control.id,
            control.title,
            control.tier,
            control.behaviour,
            control.default_targets,
            control.references,
            control.statements,
            control.config_rule,
            control.parameters,
            deviations=rest,
        )
        if not differences(probe):
            out.append(f"{control.id}: deviation {d.aspect!r} lists a difference that does not exist")
    return out
