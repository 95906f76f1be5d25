"""Load an environment: read and shape it (config), derive its facts once, run the cross-reference rules.

    loaded = load_environment("environments/example.yaml")
    loaded.env            # the typed, frozen models
    loaded.facts          # OU tree, guardrail plan, identity plan, network plan, stack layout
    loaded.warnings       # problems that did not stop it

Every problem is collected before anything is raised (ConfigError), each
naming its file, line and YAML path. No cdktf here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from .config.load import read_environment
from .config.models import Environment
from .config.problems import ConfigError, Problem, sort_problems
from .facts import Facts
from .rules import RULES, RuleContext


@dataclass(frozen=True)
class LoadedEnvironment:
    """A valid environment with where it came from, its warnings and its derived facts."""

    env: Environment
    file: str
    name: str
    data: Any = field(repr=False, compare=False)
    warnings: tuple[Problem, ...] = ()
    facts: Facts = field(default=None, repr=False, compare=False)  # type: ignore[assignment]  # set from env when not given

    def __post_init__(self) -> None:
        if self.facts is None:
            object.__setattr__(self, "facts", Facts(self.env))


def load_environment(path: str | os.PathLike, strict: bool = False) -> LoadedEnvironment:
    """Load and validate one environment file; raise ConfigError with every problem.

    `strict`: warnings count as errors.
    """
    shaped = read_environment(path)
    facts = Facts(shaped.env)
    ctx = RuleContext(facts, shaped.data, shaped.file)
    found: list[Problem] = []
    for rule in RULES:
        found.extend(rule(ctx))
    errors = [p for p in found if p.severity == "error" or strict]
    if errors:
        raise ConfigError(found if strict else errors)
    warnings = tuple(sort_problems([p for p in found if p.severity == "warning"]))
    return LoadedEnvironment(shaped.env, shaped.file, shaped.name, shaped.data, warnings, facts)


__all__ = ["ConfigError", "LoadedEnvironment", "load_environment"]
