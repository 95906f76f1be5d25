"""Where synthesized stacks deploy: real AWS (the default) or a local AWS API.

The stacks and constructs read a `DeployTarget` instead of testing for a
local endpoint themselves, so nothing below the app knows what the local API
is: `local_aws.target.local_api(url)` builds the local target (its provider
overrides and the resource types it does not serve) and the app passes it
down. Pure Python (no cdktf, no moto).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional


@dataclass(frozen=True, kw_only=True)
class DeployTarget:
    """One deploy target; `DeployTarget()` is real AWS."""

    name: str = "aws"
    """Shown in progress messages: 'aws' or 'local API at http://127.0.0.1:PORT'."""
    endpoint: Optional[str] = None
    """The URL every call goes to (a local AWS API); None: AWS's own endpoints."""
    provider_overrides: Mapping[str, Any] = field(default_factory=dict)
    """Raw `provider "aws"` arguments (terraform names) merged into every provider."""
    unserved: Mapping[str, str] = field(default_factory=dict)
    """Resource types the target does not serve, with why; the stacks leave them out."""
    disposable: bool = False
    """Its resources are throw-away (a test API): buckets may be emptied on destroy."""

    @property
    def is_local(self) -> bool:
        return self.endpoint is not None

    def serves(self, resource_type: str) -> bool:
        """Whether resources of `resource_type` can be created on this target."""
        return resource_type not in self.unserved


AWS = DeployTarget()
"""Real AWS: every resource type, the provider's own endpoints."""
