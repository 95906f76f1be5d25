"""What a synth is asked for: the output folder, the deploy target, whether prevent_destroy is lifted.

Pure Python: no cdktf.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..deploy_target import AWS, DeployTarget
from ..local_aws.endpoints import ENV_VAR as ENDPOINT_VAR
from ..local_aws.target import local_api

ALLOW_DESTROY_VAR = "LZ_ALLOW_DESTROY"
DEFAULT_OUT = "cdktf.out"


@dataclass(frozen=True, kw_only=True)
class AppOptions:
    """Where to synthesize and which deploy target; the defaults are production-safe."""

    out_dir: Path = Path(DEFAULT_OUT)
    """Synth output folder (default cdktf.out)."""
    project_dir: Path = field(default_factory=Path.cwd)
    """Folder local state paths are relative to (default: the current folder, where cdktf.json is)."""
    target: DeployTarget = AWS
    """Where the stacks deploy: real AWS (default) or `local_aws.target.local_api(url)`."""
    allow_destroy: bool = False
    """Lift prevent_destroy on the organization, OUs and accounts (default false; for local test runs)."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None, **overrides) -> "AppOptions":
        """Options from the environment: CDKTF_OUTDIR (set by the cdktf CLI), LZ_AWS_ENDPOINT, LZ_ALLOW_DESTROY=1."""
        environ = os.environ if environ is None else environ
        endpoint = environ.get(ENDPOINT_VAR, "").strip() or None
        values: dict[str, Any] = dict(
            out_dir=Path(environ.get("CDKTF_OUTDIR") or DEFAULT_OUT),
            target=local_api(endpoint) if endpoint else AWS,
            allow_destroy=environ.get(ALLOW_DESTROY_VAR, "") == "1",
        )
        values.update(overrides)
        return cls(**values)
