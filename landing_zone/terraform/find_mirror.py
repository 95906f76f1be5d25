"""`python -m landing_zone.terraform.find_mirror`: print this machine's provider mirror, if any.

Make and CI use it to set LZ_TF_PROVIDER_MIRROR on machines without a route
to the Terraform registry. It prints the folder holding
`registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_*`,
or nothing (then terraform uses the registry as usual).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Usual places first (cheap), then a bounded walk of the folders images use.
CANDIDATES = (
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)
SEARCH_ROOTS = ("/opt", "/usr/local/share", "/usr/share", "~/.terraform.d", "~/.local/share")
MAX_DEPTH = 4


def _holds_aws(root: Path) -> bool:
    aws = root / "registry.terraform.io" / "hashicorp" / "aws"
    return any(aws.glob("*/*/terraform-provider-aws_*"))


def find_mirror() -> Path | None:
    for candidate in CANDIDATES:
        path = Path(candidate).expanduser()
        if _holds_aws(path):
            return path
    for root in SEARCH_ROOTS:
        base = Path(root).expanduser()
        for dirpath, dirnames, _ in os.walk(base):
            depth = len(Path(dirpath).relative_to(base).parts)
            if "registry.terraform.io" in dirnames and _holds_aws(Path(dirpath)):
                return Path(dirpath)
            if depth >= MAX_DEPTH:
                dirnames[:] = []
            else:
                dirnames[:] = [d for d in dirnames if d not in ("node_modules", ".git", "proc")]
    return None


def main() -> int:
    found = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    if found:
        print(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
