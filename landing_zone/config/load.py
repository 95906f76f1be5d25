"""Read an environment file: strict YAML, `extends`, request files, then the models' shape.

The cross-reference rules sit above the derived facts: landing_zone/environment.py
runs them (`load_environment`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .merge import merge
from .models import Environment
from .paths import locate
from .problems import ConfigError, Problem
from .shape_errors import problems_from
from .vending import add_request_files, vend_accounts
from .yaml_loader import LocDict, load_yaml_file

MAX_EXTENDS = 10


def _display(path: Path) -> str:
    """The path as the user would type it: relative below the working folder, else absolute."""
    if not path.is_absolute():
        return os.path.normpath(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load_chain(path: Path, seen: tuple[Path, ...] = ()) -> Any:
    data = load_yaml_file(path, _display(path))
    base_ref = data.get("extends") if isinstance(data, LocDict) else None
    if base_ref is None:
        return data
    shown = _display(path)
    where = locate(data, ("extends",), shown)
    if not isinstance(base_ref, str):
        raise ConfigError([Problem(where, "extends", f"{base_ref!r} is not a file path (expected a string such as 'base.yaml')")])
    base_path = (path.parent / base_ref).resolve()
    if base_path in seen or base_path == path.resolve():
        raise ConfigError([Problem(where, "extends", f"{base_ref!r} extends itself through {' -> '.join(p.name for p in seen + (path,))}")])
    if len(seen) >= MAX_EXTENDS:
        raise ConfigError([Problem(where, "extends", f"more than {MAX_EXTENDS} levels of 'extends'")])
    if not base_path.is_file():
        raise ConfigError([Problem(where, "extends", f"base file {base_ref!r} not found (looked for {_display(base_path)})")])
    base = _load_chain(base_path, seen + (path.resolve(),))
    merged = merge(base, data)
    # The merged document's own `extends` would be the base's; keep this file's.
    return merged


@dataclass(frozen=True)
class ShapedEnvironment:
    """An environment whose every value has the right shape; cross-references not yet checked."""

    env: Environment
    file: str
    """The file as the user named it (relative below the working folder)."""
    name: str
    data: Any = field(repr=False, compare=False)
    """The merged document (LocDict) the models were validated from: it knows every value's line."""


def read_environment(path: str | os.PathLike) -> ShapedEnvironment:
    """Read one environment file and check its shape; raise ConfigError with every problem."""
    p = Path(path)
    data = add_request_files(_load_chain(p), p, _display)  # account factory: environments/<env>/accounts/*.yaml
    shown = _display(p)
    try:
        env = Environment.model_validate(data)
        data, vended = vend_accounts(env, data)  # requests become ordinary accounts
        if vended:
            env = Environment.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems_from(exc, Environment, data, shown)) from None
    return ShapedEnvironment(env, shown, p.stem, data)
