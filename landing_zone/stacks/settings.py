"""What every stack of one app shares: the environment and where things go."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..config.models import Environment
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
    local_endpoint: Optional[str] = None
    """URL of a local AWS API every provider talks to (default: real AWS)."""
    allow_destroy: bool = False
    """Lift prevent_destroy on the organization, OUs and accounts (default false; local test runs only)."""

    @property
    def default_tags(self) -> dict[str, str]:
        """The organization's tags plus the landing zone's managed-by marker."""
        return {**self.env.organization.tags, MANAGED_TAG_KEY: MANAGED_TAG_VALUE}
