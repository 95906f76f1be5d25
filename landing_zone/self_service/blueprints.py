"""The blueprints in `modules/`: which exist, and their Service Catalog artifacts (no cdktf).

An artifact is the bytes Service Catalog reads: the CloudFormation template
as it is, or the Terraform module as a deterministic tar.gz (sorted names,
no timestamps, no owners), so two synths give the same bytes and the object
key, which carries the content hash, changes only when the content does.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CLOUDFORMATION_TEMPLATE = Path("cloudformation") / "template.yaml"
TERRAFORM_MODULE = Path("terraform")
LAUNCH_POLICY = "launch-role-policy.json"
PROJECT_MARKER = "cdktf.json"

# Service Catalog's names for the two kinds.
PRODUCT_TYPE = {"cloudformation": "CLOUD_FORMATION_TEMPLATE", "terraform": "TERRAFORM_OPEN_SOURCE"}
ARTIFACT_TYPE = {"cloudformation": "CLOUD_FORMATION_TEMPLATE", "terraform": "TERRAFORM_OPEN_SOURCE"}


def project_dir(env_file: str | Path | None = None) -> Path:
    """The project folder: the nearest folder above the environment file holding cdktf.json, else the working folder."""
    if env_file is not None:
        for folder in Path(env_file).resolve().parents:
            if (folder / PROJECT_MARKER).is_file():
                return folder
    return Path.cwd()


def blueprint_names(root: Path) -> list[str]:
    """Blueprint folders under `root` (those holding a template or a module), sorted."""
    if not root.is_dir():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir() and ((p / CLOUDFORMATION_TEMPLATE).is_file() or (p / TERRAFORM_MODULE).is_dir())
    )


def has_kind(root: Path, blueprint: str, kind: str) -> bool:
    """Whether the blueprint comes as `kind` ('cloudformation' or 'terraform')."""
    folder = root / blueprint
    if kind == "cloudformation":
        return (folder / CLOUDFORMATION_TEMPLATE).is_file()
    return (folder / TERRAFORM_MODULE).is_dir() and any((folder / TERRAFORM_MODULE).glob("*.tf"))


@dataclass(frozen=True)
class Artifact:
    """What Service Catalog reads for one blueprint of one kind."""

    blueprint: str
    kind: str  # cloudformation | terraform
    content: bytes
    sha256: str

    @property
    def key(self) -> str:
        """Object key in the templates bucket, carrying the content hash."""
        name = "template.yaml" if self.kind == "cloudformation" else f"{self.blueprint}.tar.gz"
        return f"blueprints/{self.blueprint}/{self.kind}/{self.sha256[:16]}/{name}"

    @property
    def is_text(self) -> bool:
        return self.kind == "cloudformation"


def _tar_gz(folder: Path) -> bytes:
    """The .tf files of `folder` at the archive's root, deterministic."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(folder.glob("*.tf")):
            data = path.read_bytes()
            info = tarfile.TarInfo(path.name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


@lru_cache(maxsize=64)
def artifact(root: Path, blueprint: str, kind: str) -> Artifact:
    """The artifact of `blueprint` as `kind` (raises FileNotFoundError when it does not come that way)."""
    folder = root / blueprint
    if not has_kind(root, blueprint, kind):
        raise FileNotFoundError(f"blueprint {blueprint!r} has no {kind} form under {folder}")
    content = (folder / CLOUDFORMATION_TEMPLATE).read_bytes() if kind == "cloudformation" else _tar_gz(folder / TERRAFORM_MODULE)
    return Artifact(blueprint, kind, content, hashlib.sha256(content).hexdigest())


def launch_policy(root: Path, blueprint: str) -> dict:
    """The IAM policy a launch role needs to provision `blueprint` (its launch-role-policy.json)."""
    return json.loads((root / blueprint / LAUNCH_POLICY).read_text(encoding="utf-8"))
