"""Where terraform gets the AWS provider: an offline mirror or the registry.

With `LZ_TF_PROVIDER_MIRROR` set to a filesystem mirror (the folder that
holds `registry.terraform.io/`), terraform is given a CLI configuration that
installs hashicorp providers only from that folder; otherwise terraform
behaves as usual and downloads from the registry, sharing one plugin cache
between stacks so N stacks do not download the provider N times.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from ..cache_files import cache_root, write_cache_file

MIRROR_VAR = "LZ_TF_PROVIDER_MIRROR"
NAMESPACE = "registry.terraform.io/hashicorp"


class MirrorError(ValueError):
    """The mirror named by LZ_TF_PROVIDER_MIRROR is unusable (message for people)."""


def mirror_config_text(mirror: Path) -> str:
    """A terraform CLI configuration that installs hashicorp/* only from `mirror`."""
    path = str(mirror).replace("\\", "\\\\").replace('"', '\\"')
    return (
        "# Written by landing_zone for LZ_TF_PROVIDER_MIRROR; do not edit.\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{path}"\n'
        f'    include = ["{NAMESPACE}/*"]\n'
        "  }\n"
        "  direct {\n"
        f'    exclude = ["{NAMESPACE}/*"]\n'
        "  }\n"
        "}\n"
    )


def _check_mirror(value: str) -> Path:
    mirror = Path(value).expanduser().resolve()
    if not (mirror / NAMESPACE).is_dir():
        raise MirrorError(
            f"{MIRROR_VAR}={value!r} is not a provider mirror: expected the folder that "
            f"holds {NAMESPACE}/ (e.g. /opt/tf-plugins), found no {mirror / NAMESPACE}"
        )
    return mirror


def write_mirror_config(mirror: Path, directory: Path | None = None) -> Path:
    """Write (once; same content, same file) the CLI config for `mirror` and return its path."""
    text = mirror_config_text(mirror)
    return write_cache_file(f"terraformrc-{hashlib.sha256(text.encode()).hexdigest()[:12]}", text, directory)


PYTHON_VAR = "LZ_PYTHON"
"""The Python that terraform's local-exec steps run (constructs/default_vpcs.py); default: the one running lz."""


GO_GC_PERCENT = 400


def go_memory_limit(total: int | None = None) -> str:
    """GOMEMLIMIT for each terraform and provider process: an eighth of the machine's memory,
    between 1 and 4 GiB (a deploy runs a few stacks at once, each a terraform and a provider per
    region)."""
    if total is None:
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError, AttributeError):  # no sysconf (not Linux or macOS)
            total = 8 << 30
    mib = min(max(total // 8, 1 << 30), 4 << 30) >> 20
    return f"{mib}MiB"


def terraform_env(environ: dict | None = None) -> dict:
    """The environment for a terraform subprocess (a copy of `environ`, default os.environ)."""
    env = dict(os.environ if environ is None else environ)
    env.setdefault("TF_IN_AUTOMATION", "1")
    # Terraform and the AWS provider are Go programs that spend a third to half of their CPU in the
    # garbage collector while the provider's 1,500-resource schema loads, once per provider
    # configuration and command (a plan of a 36-resource stack: 21 s of CPU at Go's default GOGC=100,
    # 12 s at 400; on 2 cores a deploy's stacks wait on CPU). GOGC=400 trades memory for that, and
    # GOMEMLIMIT bounds the trade: near the limit Go collects as often as by default. Either, set by
    # the caller, wins.
    env.setdefault("GOGC", str(GO_GC_PERCENT))
    env.setdefault("GOMEMLIMIT", go_memory_limit())
    # The account baseline's default-VPC step (a local-exec of landing_zone.live.default_vpcs) runs with lz's own Python.
    env.setdefault(PYTHON_VAR, sys.executable)
    mirror = env.get(MIRROR_VAR, "").strip()
    if mirror:
        env["TF_CLI_CONFIG_FILE"] = str(write_mirror_config(_check_mirror(mirror)))
        # The mirror is linked, not copied, into each stack: a cache adds nothing.
        return env
    if not env.get("TF_PLUGIN_CACHE_DIR"):
        cache = cache_root() / "terraform-plugins"
        try:
            cache.mkdir(parents=True, exist_ok=True)
            env["TF_PLUGIN_CACHE_DIR"] = str(cache)
        except OSError:
            pass  # no writable home: terraform downloads per stack, still correct
    return env
