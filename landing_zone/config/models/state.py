"""The `state:` section: where terraform keeps each stack's state."""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import Field

from .base import StrictModel


class LocalState(StrictModel):
    """Local state files, one folder per environment (the default)."""

    backend: Literal["local"] = Field("local", description="Local backend.")
    directory: str = Field(
        "terraform-state",
        description="Folder for the state files, relative to the project (default 'terraform-state'); each environment and stack gets its own file below it.",
    )


class S3State(StrictModel):
    """S3 state with native locking (use_lockfile)."""

    backend: Literal["s3"] = Field(description="S3 backend.")
    bucket: str = Field(description="State bucket name.")
    key_prefix: str = Field(
        "landing-zone",
        description="Key prefix; each stack's key is <prefix>/<environment>/<stack>.tfstate (default 'landing-zone').",
    )
    region: str = Field(description="Region of the state bucket.")
    encrypt: bool = Field(True, description="Server-side encryption of the state (default true).")
    kms_key_id: Optional[str] = Field(None, description="KMS key for the state (default: the bucket's default encryption).")
    use_lockfile: bool = Field(True, description="S3-native state locking (default true).")


class RemoteState(StrictModel):
    """HCP Terraform (Terraform Cloud) workspaces."""

    backend: Literal["remote"] = Field(description="HCP Terraform backend.")
    organization: str = Field(description="HCP Terraform organization.")
    workspace_prefix: str = Field(
        "landing-zone-",
        description="Workspace name prefix; each stack is <prefix><environment>-<stack> (default 'landing-zone-').",
    )
    hostname: str = Field("app.terraform.io", description="HCP Terraform host (default app.terraform.io).")


StateConfig = Union[LocalState, S3State, RemoteState]
