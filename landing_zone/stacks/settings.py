"""What every stack of one app shares: the environment and where things go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config.models import Environment
from ..deploy_target import AWS, DeployTarget
from ..facts import Facts
from ..naming import MANAGED_TAG_KEY, MANAGED_TAG_VALUE


@dataclass(frozen=True, kw_only=True)
class StackSettings:
    env: Environment
    """The validated environment."""
    env_name: str
    """Environment name (the file's stem), part of state paths, keys and workspace names."""
    project_dir: Path
    """Folder that local state paths are relative to (where cdktf.json is)."""
    out_dir: Path
    """Synth output folder; terraform runs in <out_dir>/stacks/<stack>."""
    facts: Facts
    """Everything derived from `env`, built once (facts.py)."""
    target: DeployTarget = AWS
    """Where the stacks deploy: real AWS (default) or a local AWS API (deploy_target.py)."""
    allow_destroy: bool = False
    """Lift prevent_destroy on the organization, OUs and accounts (default false; local test runs only)."""

    @property
    def default_tags(self) -> dict[str, str]:
        """The organization's tags plus the landing zone's managed-by marker."""
        return {**self.env.organization.tags, MANAGED_TAG_KEY: MANAGED_TAG_VALUE}
