"""The control catalog: Control Tower's controls (and ours) as data.

One YAML file per tier in `guardrails/controls/`; each entry is one control.
The catalog is checked when it is loaded: a broken entry is a bug in the
package, so it raises CatalogError instead of producing a user Problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, Mapping

import yaml

Tier = Literal["mandatory", "strongly_recommended", "elective"]
Behaviour = Literal["preventive", "detective"]

TIERS: tuple[Tier, ...] = ("mandatory", "strongly_recommended", "elective")
BEHAVIOURS: tuple[Behaviour, ...] = ("preventive", "detective")
TIER_LABEL = {"mandatory": "mandatory", "strongly_recommended": "strongly recommended", "elective": "elective"}
# Targets a catalog entry may name by role rather than by OU path.
ROLE_TARGETS = ("root", "security_ou", "log_archive_account", "audit_account")
FREQUENCIES = ("One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours")
PARAM_TYPES = ("string", "list", "integer", "boolean")

# What a control may do differently from Control Tower's published artifact
# (guardrails/reference/control_tower.yaml); tests/guardrails/test_fidelity.py
# allows a difference only where a deviation of its aspect is listed.
DEVIATION_ASPECTS = (
    "names",  # resource names, tag key and value are this landing zone's (naming.py), not aws-controltower-*
    "exempt_principals",  # the exempted principals differ (or an exemption is added)
    "conditions",  # another condition operator or key (besides the exempted principals)
    "actions",  # actions added or removed: `added` / `removed` list them
    "statements",  # the control has another number of statements
    "rule",  # a Config rule field differs: `field` names it
)

_ID = re.compile(r"^(AWS-GR_[A-Z0-9_]+|LZ-[A-Z0-9-]+)$")
_SOURCE = re.compile(r"^[A-Z0-9_]+$")


# libyaml's loader when PyYAML has it (ten times faster; validation stays well under a second).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogError(Exception):
    """The packaged catalog is inconsistent (a bug in the package, not in user input)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    description: str


@dataclass(frozen=True)
class Deviation:
    """One listed difference from Control Tower's published control, with its reason."""

    aspect: str
    reason: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    field: str = ""
    stricter: bool = False

    def describe(self) -> str:
        what = {
            "actions": "actions"
            + (f" +{', +'.join(self.added)}" if self.added else "")
            + (f" -{', -'.join(self.removed)}" if self.removed else ""),
            "rule": f"Config rule {self.field}",
        }.get(self.aspect, self.aspect.replace("_", " "))
        return f"{what}{' (stricter)' if self.stricter else ''}: {self.reason}"


@dataclass(frozen=True)
class ConfigRuleSpec:
    """A detective control's AWS managed Config rule."""

    source_identifier: str
    input_parameters: Mapping[str, Any] = field(default_factory=dict)
    resource_types: tuple[str, ...] = ()
    maximum_execution_frequency: str | None = None
    # `home`: evaluate in the home region only (account-level, global resources);
    # `governed`: in every governed region.
    regions: Literal["home", "governed"] = "governed"


@dataclass(frozen=True)
class Control:
    """One guardrail of the catalog (or a custom one from the environment)."""

    id: str
    title: str
    tier: Tier
    behaviour: Behaviour
    default_targets: tuple[str, ...]
    references: Mapping[str, Any] = field(default_factory=dict)
    statements: tuple[Mapping[str, Any], ...] = ()  # templates with ${...} placeholders
    config_rule: ConfigRuleSpec | None = None
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    custom: bool = False
    deviations: tuple[Deviation, ...] = ()

    @property
    def preventive(self) -> bool:
        return self.behaviour == "preventive"


_CONTROL_KEYS = {
    "id",
    "title",
    "tier",
    "behaviour",
    "default_targets",
    "references",
    "statements",
    "config_rule",
    "parameters",
    "deviations",
}
_DEVIATION_KEYS = {"aspect", "reason", "added", "removed", "field", "stricter"}
_RULE_KEYS = {"source_identifier", "input_parameters", "resource_types", "maximum_execution_frequency", "regions"}


def _control(entry: dict, file: str) -> Control:
    cid = entry.get("id", "?")
    where = f"{file}: control {cid}"
    unknown = set(entry) - _CONTROL_KEYS
    if unknown:
        raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "title", "tier", "behaviour", "default_targets"):
        if not entry.get(key):
            raise CatalogError(f"{where}: {key} is required")
    if not _ID.match(cid):
        raise CatalogError(f"{where}: id must be AWS-GR_* or LZ-*")
    if entry["tier"] not in TIERS or entry["behaviour"] not in BEHAVIOURS:
        raise CatalogError(f"{where}: tier must be one of {TIERS}, behaviour one of {BEHAVIOURS}")
    params = {}
    for name, spec in (entry.get("parameters") or {}).items():
        if spec.get("type") not in PARAM_TYPES or "description" not in spec or "default" not in spec:
            raise CatalogError(f"{where}: parameter {name} needs type ({PARAM_TYPES}), default and description")
        params[name] = Parameter(name, spec["type"], spec["default"], spec["description"])
    rule = None
    statements = tuple(entry.get("statements") or ())
    if entry["behaviour"] == "preventive":
        if not statements or "config_rule" in entry:
            raise CatalogError(f"{where}: a preventive control has statements and no config_rule")
        for st in statements:
            if st.get("Effect") != "Deny" or "Sid" in st:
                raise CatalogError(f"{where}: statements are Deny and carry no Sid (Sids are derived from the id)")
    else:
        spec = entry.get("config_rule")
        if not spec or statements:
            raise CatalogError(f"{where}: a detective control has a config_rule and no statements")
        if set(spec) - _RULE_KEYS or not _SOURCE.match(spec.get("source_identifier", "")):
            raise CatalogError(f"{where}: config_rule needs an upper-case source_identifier and only {sorted(_RULE_KEYS)}")
        freq = spec.get("maximum_execution_frequency")
        if freq is not None and freq not in FREQUENCIES:
            raise CatalogError(f"{where}: maximum_execution_frequency must be one of {FREQUENCIES}")
        rule = ConfigRuleSpec(
            spec["source_identifier"],
            dict(spec.get("input_parameters") or {}),
            tuple(spec.get("resource_types") or ()),
            freq,
            spec.get("regions", "governed"),
        )
    deviations = []
    for dev in entry.get("deviations") or ():
        if set(dev) - _DEVIATION_KEYS or dev.get("aspect") not in DEVIATION_ASPECTS or not dev.get("reason"):
            raise CatalogError(
                f"{where}: a deviation has an aspect of {DEVIATION_ASPECTS}, a reason, and only {sorted(_DEVIATION_KEYS)}"
            )
        if not cid.startswith("AWS-GR_"):
            raise CatalogError(f"{where}: only AWS-GR_* controls have a Control Tower artifact to deviate from")
        if (dev["aspect"] == "actions") != bool(dev.get("added") or dev.get("removed")):
            raise CatalogError(f"{where}: an actions deviation, and only one, lists the actions added or removed")
        if (dev["aspect"] == "rule") != bool(dev.get("field")):
            raise CatalogError(f"{where}: a rule deviation, and only one, names the field")
        deviations.append(
            Deviation(
                dev["aspect"],
                " ".join(str(dev["reason"]).split()),
                tuple(dev.get("added") or ()),
                tuple(dev.get("removed") or ()),
                dev.get("field", ""),
                bool(dev.get("stricter")),
            )
        )
    for target in entry["default_targets"]:
        if target not in ROLE_TARGETS:
            raise CatalogError(f"{where}: default target {target!r} must be one of {ROLE_TARGETS}")
    return Control(
        cid,
        entry["title"],
        entry["tier"],
        entry["behaviour"],
        tuple(entry["default_targets"]),
        dict(entry.get("references") or {}),
        statements,
        rule,
        params,
        deviations=tuple(deviations),
    )


@lru_cache(maxsize=1)
def catalog() -> dict[str, Control]:
    """Every control of the package by id, mandatory first, in file order."""
    out: dict[str, Control] = {}
    for tier in TIERS:
        name = f"{tier}.yaml"
        text = resources.files("landing_zone.guardrails.controls").joinpath(name).read_text("utf-8")
        for entry in yaml.load(text, Loader=_LOADER) or []:
            control = _control(entry, name)
            if control.tier != tier:
                raise CatalogError(f"{name}: control {control.id} has tier {control.tier}; it belongs in {control.tier}.yaml")
            if control.id in out:
                raise CatalogError(f"{name}: control id {control.id} is defined twice")
            out[control.id] = control
    return out


def by_tier(tier: Tier) -> list[Control]:
    return [c for c in catalog().values() if c.tier == tier]
