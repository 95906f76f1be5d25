"""Which controls are on for an environment, where, with which rendered content.

Reads the `guardrails:` section over the catalog: mandatory controls are
always on; the others are on when listed. Unknown ids, targets or
parameters are skipped here (the config rules report them), so this never
fails on a validated environment.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..config.models import Environment
from ..derived.org_tree import OrgTree
from ..naming import LandingZoneNames
from .catalog import ConfigRuleSpec, Control, catalog
from .reference import region_deny_exemptions
from .targets import Target, attachment_targets, covered_accounts, ou_target
from .templates import render


@dataclass(frozen=True)
class ConfigRule:
    """A detective control's Config rule, rendered for this environment."""

    name: str
    source_identifier: str
    input_parameters: Mapping[str, str]
    resource_types: tuple[str, ...]
    maximum_execution_frequency: str | None
    regions: tuple[str, ...]

    @property
    def input_parameters_json(self) -> str | None:
        return json.dumps(dict(self.input_parameters), sort_keys=True, separators=(",", ":")) if self.input_parameters else None


@dataclass(frozen=True)
class EnabledControl:
    """A control that is on, with where it is attached and what it contains."""

    control: Control
    yaml_path: tuple[str, ...]  # where the environment enables it; () for a mandatory default
    targets: tuple[Target, ...]  # attachment targets, exclusions pushed down
    covered: frozenset[str]  # member accounts it reaches
    includes_management: bool  # on the root (before exclusions): detective rules run in the management account too
    statements: tuple[dict, ...] = ()  # rendered, each with its Sid
    config_rule: ConfigRule | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.control.id


def sid_for(control_id: str, index: int, count: int) -> str:
    """A stable statement id from the control id (letters and digits only)."""
    base = re.sub(r"[^A-Za-z0-9]", "", control_id)
    return f"{base}{index + 1}" if count > 1 else base


def environment_values(env: Environment) -> dict[str, Any]:
    values = LandingZoneNames.of(env).template_values()
    values.update(
        governed_regions=list(env.organization.governed_regions),
        home_region=env.organization.home_region,
        region_deny_exemptions=region_deny_exemptions(),
    )
    return values


def role_target(env: Environment, token: str) -> Target:
    core = env.core
    return {
        "root": Target("root"),
        "security_ou": Target("ou", core.security_ou),
        "log_archive_account": Target("account", core.log_archive_account),
        "audit_account": Target("account", core.audit_account),
    }[token]


def _requested(env: Environment, control: Control, setting) -> list[Target]:
    defaults = [role_target(env, t) for t in control.default_targets]
    given = []
    if setting is not None:
        given = [ou_target(p) for p in setting.ous or []] + [Target("account", a) for a in setting.accounts or []]
    if control.tier == "mandatory":
        return defaults + given  # mandatory targets can grow, never shrink
    if setting is not None and (setting.ous is not None or setting.accounts is not None):
        return given
    return defaults


def parameter_values(env: Environment, control: Control, given: Mapping[str, Any]) -> dict[str, Any]:
    values = environment_values(env)
    out = {name: render(p.default, values) for name, p in control.parameters.items()}
    out.update({k: v for k, v in given.items() if k in control.parameters})
    return out


def _expand_numbered(params: Mapping[str, Any]) -> dict[str, str]:
    """`{"blockedPort#": [20, 21]}` -> `{"blockedPort1": "20", "blockedPort2": "21"}`."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if key.endswith("#") and isinstance(value, list):
            out.update({f"{key[:-1]}{i + 1}": str(v) for i, v in enumerate(value)})
        elif isinstance(value, list):
            out[key] = ",".join(str(v) for v in value)
        else:
            out[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def _rule(env: Environment, control: Control, spec: ConfigRuleSpec, values: Mapping[str, Any]) -> ConfigRule:
    org = env.organization
    regions = (org.home_region,) if spec.regions == "home" else tuple(org.governed_regions)
    params = _expand_numbered(render(dict(spec.input_parameters), values))
    return ConfigRule(
        LandingZoneNames.of(env).config_rule(control.id),
        spec.source_identifier,
        params,
        tuple(spec.resource_types),
        spec.maximum_execution_frequency,
        regions,
    )


def _enable(env: Environment, tree: OrgTree, control: Control, setting, yaml_path: tuple[str, ...]) -> EnabledControl:
    requested = _requested(env, control, setting)
    exclude_ous = list(setting.exclude_ous) if setting is not None and control.tier != "mandatory" else []
    exclude_accounts = list(setting.exclude_accounts) if setting is not None and control.tier != "mandatory" else []
    targets = attachment_targets(tree, requested, exclude_ous, exclude_accounts)
    params = parameter_values(env, control, getattr(setting, "parameters", None) or {})
    values = {**environment_values(env), **params}
    statements: tuple[dict, ...] = ()
    rule = None
    if control.preventive:
        rendered = [render(dict(s), values) for s in control.statements]
        statements = tuple(
            {"Sid": sid_for(control.id, i, len(rendered)), **{k: v for k, v in s.items() if k != "Sid"}}
            for i, s in enumerate(rendered)
        )
    else:
        assert control.config_rule is not None  # a control that is not preventive is a Config rule
        rule = _rule(env, control, control.config_rule, values)
    return EnabledControl(
        control,
        yaml_path,
        targets,
        frozenset(covered_accounts(tree, targets)),
        any(t.kind == "root" for t in requested),
        statements,
        rule,
        params,
    )


def custom_controls(env: Environment) -> list[tuple[Control, Any, tuple[str, ...]]]:
    """The environment's custom SCPs and Config rules as controls."""
    out: list[tuple[Control, Any, tuple[str, ...]]] = []
    for cid, scp in env.guardrails.custom_scps.items():
        control = Control(cid, scp.title, "elective", "preventive", (), {}, tuple(scp.statements), custom=True)
        out.append((control, scp, ("guardrails", "custom_scps", cid)))
    for cid, rule in env.guardrails.custom_config_rules.items():
        spec = ConfigRuleSpec(
            rule.source_identifier,
            dict(rule.input_parameters),
            tuple(rule.resource_types),
            rule.maximum_execution_frequency,
            rule.regions,
        )
        control = Control(cid, rule.title, "elective", "detective", (), {}, (), spec, custom=True)
        out.append((control, rule, ("guardrails", "custom_config_rules", cid)))
    return out


def enabled_controls(env: Environment, tree: OrgTree | None = None) -> list[EnabledControl]:
    """Every control that is on, in catalog order, then the custom ones."""
    tree = tree or OrgTree(env)
    settings = env.guardrails.controls
    out = []
    for cid, control in catalog().items():
        setting = settings.get(cid)
        if control.tier == "mandatory" or (setting is not None and setting.enabled):
            path = ("guardrails", "controls", cid) if setting is not None else ()
            out.append(_enable(env, tree, control, setting, path))
    for control, custom, custom_path in custom_controls(env):
        out.append(_enable(env, tree, control, custom, custom_path))
    return out
