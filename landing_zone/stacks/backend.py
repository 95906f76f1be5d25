"""Terraform state backends from the `state:` section, one state per stack.

cdktf reads another stack's outputs (cross-stack references) through a
`terraform_remote_state` data source built from the producing stack's backend
settings, so every backend here works with cross-stack references.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from cdktf import (
    LocalBackend,
    NamedRemoteWorkspace,
    RemoteBackend,
    S3Backend,
    S3BackendEndpointConfig,
    TerraformBackend,
    TerraformStack,
)

from ..config.models import LocalState, RemoteState, S3State
from .settings import StackSettings


def local_state_path(settings: StackSettings, stack_name: str) -> str:
    """Path of a stack's state file as terraform sees it from the stack's folder.

    The state lives in <project>/<directory>/<env>/<stack>.tfstate, outside the
    synth output (cleaning cdktf.out must never lose state). The path is
    relative to <out>/stacks/<stack>, where terraform runs, so the default
    output is the same on every checkout: ../../../terraform-state/<env>/<stack>.tfstate.
    """
    state = settings.env.state
    assert isinstance(state, LocalState)  # asked for only by a stack whose backend is local
    base = Path(state.directory)
    target = (
        (base if base.is_absolute() else Path(settings.project_dir).resolve() / base)
        / settings.env_name
        / f"{stack_name}.tfstate"
    )
    if base.is_absolute():
        return target.as_posix()
    working_dir = Path(settings.out_dir).resolve() / "stacks" / stack_name
    try:
        return PurePosixPath(Path(os.path.relpath(target, working_dir))).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return target.as_posix()


def state_key(prefix: str, env_name: str, stack_name: str) -> str:
    return "/".join(p for p in (prefix.strip("/"), env_name, f"{stack_name}.tfstate") if p)


def add_backend(stack: TerraformStack, stack_name: str, settings: StackSettings) -> TerraformBackend:
    """Configure the stack's backend from `settings.env.state`."""
    state = settings.env.state
    if isinstance(state, LocalState):
        return LocalBackend(stack, path=local_state_path(settings, stack_name))
    if isinstance(state, S3State):
        local = settings.target.endpoint
        backend = S3Backend(
            stack,
            bucket=state.bucket,
            key=state_key(state.key_prefix, settings.env_name, stack_name),
            region=state.region,
            encrypt=state.encrypt,
            kms_key_id=state.kms_key_id,
            # Against a local AWS API: its endpoints, path-style addressing and
            # no checks that need real AWS (the backend only reads/writes state).
            endpoints=S3BackendEndpointConfig(s3=local, sts=local) if local else None,
            use_path_style=True if local else None,
            skip_credentials_validation=True if local else None,
            skip_metadata_api_check=True if local else None,
            skip_region_validation=True if local else None,
            skip_requesting_account_id=True if local else None,
        )
        if state.use_lockfile:
            # S3-native locking (terraform >= 1.10); cdktf 0.21's S3Backend has no property for it.
            backend.add_override("use_lockfile", True)
        return backend
    if isinstance(state, RemoteState):
        return RemoteBackend(
            stack,
            hostname=state.hostname,
            organization=state.organization,
            workspaces=NamedRemoteWorkspace(f"{state.workspace_prefix}{settings.env_name}-{stack_name}"),
        )
    raise TypeError(f"unknown state backend {type(state).__name__}")
