"""Running terraform on synthesized stacks: offline provider mirror, runner, deploy order."""

from .cli_config import MIRROR_VAR, MirrorError, terraform_env
from .runner import Result, Terraform, TerraformError, find_terraform

__all__ = ["MIRROR_VAR", "MirrorError", "Result", "Terraform", "TerraformError", "find_terraform", "terraform_env"]
