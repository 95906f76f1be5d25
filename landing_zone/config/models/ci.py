"""The `ci:` section: which repository's pipelines may plan and apply the landing zone."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from .base import StrictModel


class CI(StrictModel):
    """The CI system that takes over from a person after `lz bootstrap` (OIDC, no stored keys)."""

    provider: Literal["github", "gitlab"] = Field(description="CI system whose OIDC tokens the roles trust: github or gitlab.")
    repository: str = Field(
        description="The one repository (owner/name on GitHub, group/project on GitLab) whose pipelines may assume the roles."
    )
    branch: str = Field(
        "main", description="Protected branch whose pipelines may assume the apply role (default main; no wildcards)."
    )
    environment: Optional[str] = Field(
        None,
        description="GitHub deployment environment the apply role trusts instead of the branch (default none: the branch); GitHub only.",
    )
    state_bucket: Optional[str] = Field(
        None,
        description="Name of the S3 state bucket `lz bootstrap` creates (default <organization>-lz-tfstate-<management account id>).",
    )
