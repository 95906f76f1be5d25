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

from ..input_files import InputFileError, check_regular, resolve
from .merge import merge
from .models import Environment
from .paths import locate
from .problems import ConfigError, Location, Problem
from .shape_errors import problems_from
from .vending import add_request_files, vend_accounts
from .yaml_loader import LocDict, load_yaml_file

MAX_EXTENDS = 10
# Folders of shared bases outside an environment's repository that `extends` may name (absolute
# paths there are allowed too), separated by os.pathsep; unset: only the repository folder.
SHARED_BASES_VAR = "LZ_EXTENDS_ALLOW"


def shared_base_folders() -> list[Path]:
    value = os.environ.get(SHARED_BASES_VAR, "")
    out = []
    for part in value.split(os.pathsep):
        if part.strip():
            out.append(Path(os.path.abspath(part)))
            try:
                out.append(resolve(Path(part)))
            except InputFileError:
                continue
    return out


def _display(path: Path) -> str:
    """The path as the user would type it: relative below the working folder, else absolute."""
    if not path.is_absolute():
        return os.path.normpath(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def repository_root(env_file: Path) -> Path:
    """The folder an environment's files must stay in: the git repository that holds it, else its own folder."""
    folder = resolve(env_file).parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def contained(ref: Path, root: Path, shown: str, where: Location, what: str, shared: bool = False) -> Path:
    """`ref` resolved (links followed) when it stays inside `root` (or a shared-base folder); ConfigError otherwise."""
    try:
        real = resolve(ref)
    except InputFileError as exc:
        raise ConfigError([Problem(where, what, f"{shown!r} {exc.reason}")]) from None
    if not _inside(real, root) and not (shared and any(_inside(real, folder) for folder in shared_base_folders())):
        raise ConfigError(
            [
                Problem(
                    where,
                    what,
                    f"{shown!r} leads outside the environment's repository folder "
                    f"({_display(root)}); environment files may only use files inside it",
                )
            ]
        )
    return real


def _base_file(data: LocDict, path: Path, seen: tuple[Path, ...], root: Path) -> Path | None:
    """The checked path of the file `data` extends, or None when it extends nothing."""
    base_ref = data.get("extends")
    if base_ref is None:
        return None
    where = locate(data, ("extends",), _display(path))
    if not isinstance(base_ref, str) or not base_ref.strip():
        raise ConfigError([Problem(where, "extends", f"{base_ref!r} is not a file path (expected a string such as 'base.yaml')")])
    if "\0" in base_ref:
        raise ConfigError([Problem(where, "extends", "the path holds a NUL byte")])
    absolute = Path(base_ref).is_absolute()
    if base_ref.startswith("~") or (
        absolute and not any(_inside(Path(os.path.normpath(base_ref)), f) for f in shared_base_folders())
    ):
        raise ConfigError(
            [
                Problem(
                    where,
                    "extends",
                    f"{base_ref!r} is an absolute path; write it relative to this file "
                    "(such as 'base.yaml' or '../common/base.yaml')",
                )
            ]
        )
    if Path(base_ref).suffix.lower() not in (".yaml", ".yml"):
        raise ConfigError([Problem(where, "extends", f"{base_ref!r} is not an environment file: expected a .yaml or .yml file")])
    base_path = contained(path.parent / base_ref, root, base_ref, where, "extends", shared=True)
    if base_path in seen or base_path == resolve(path):
        raise ConfigError(
            [Problem(where, "extends", f"{base_ref!r} extends itself through {' -> '.join(p.name for p in seen + (path,))}")]
        )
    if len(seen) >= MAX_EXTENDS:
        raise ConfigError([Problem(where, "extends", f"more than {MAX_EXTENDS} levels of 'extends'")])
    try:
        check_regular(base_path)
    except InputFileError as exc:
        reason = exc.reason
        if reason == "file not found":
            reason = f"base file {base_ref!r} not found (looked for {_display(base_path)})"
        else:
            reason = f"base file {base_ref!r} {reason}"
        raise ConfigError([Problem(where, "extends", reason)]) from None
    return base_path


def _load_chain(path: Path, root: Path, seen: tuple[Path, ...] = ()) -> Any:
    data = load_yaml_file(path, _display(path))
    if not isinstance(data, LocDict):
        return data
    base_path = _base_file(data, path, seen, root)
    if base_path is None:
        return data
    base = _load_chain(base_path, root, seen + (resolve(path),))
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
    try:
        root = repository_root(p)
    except InputFileError as exc:
        raise ConfigError([Problem(Location(_display(p)), "", exc.reason)]) from None
    data = add_request_files(
        _load_chain(p, root), p, _display, lambda f, w: contained(f, root, _display(f), w, "")
    )  # account factory: environments/<env>/accounts/*.yaml
    shown = _display(p)
    try:
        env = Environment.model_validate(data)
        data, vended = vend_accounts(env, data)  # requests become ordinary accounts
        if vended:
            env = Environment.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems_from(exc, Environment, data, shown)) from None
    return ShapedEnvironment(env, shown, p.stem, data)
