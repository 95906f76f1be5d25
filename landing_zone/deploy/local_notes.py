"""What a local deploy (and `make demo`) tells a newcomer beyond terraform's progress: the resource
types the local API cannot serve, and the next steps.

`python -m landing_zone.deploy.local_notes ENV_FILE [--out DIR] [--dashboard DIR]` prints the next
steps; `make demo` ends with them. Pure Python.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Mapping, Optional

from ..environment import load_environment

_ROLE_OUS = ("Security",)
"""OUs whose accounts make a poor `lz simulate` example (the landing zone's own accounts)."""
_OTHER_REGIONS = ("us-east-1", "us-west-2", "ap-southeast-2", "sa-east-1")
"""Candidates for a region the landing zone does not govern, where the region guardrail denies."""


def left_out_lines(unserved: Mapping[str, str]) -> list[str]:
    """Which resource types the local API cannot serve, and why; a local run leaves them out."""
    if not unserved:
        return []
    lines = [
        f"left out of this local run: {len(unserved)} resource type(s) the local API (moto) cannot serve, wherever "
        "the environment has them (`terraform test` with a mocked provider proves them on the full stacks, tests/security):"
    ]
    lines += [f"  {resource_type}: {why}" for resource_type, why in sorted(unserved.items())]
    return lines


def _lz() -> str:
    """How to call lz from here: the project's venv when that is where it runs from, else `lz`."""
    local = Path(".venv/bin/lz")
    return str(local) if local.is_file() and os.access(local, os.X_OK) else "lz"


def next_steps(
    env_file: str,
    *,
    simulate_account: str,
    simulate_region: str,
    kept: Optional[Mapping[str, object]] = None,
    dashboard: Optional[Path] = None,
    lz: Optional[str] = None,
) -> str:
    """The closing lines of `make demo`: what to look at next, each with its command.

    `kept`: the server an earlier `--keep` left running (url, pid), else None; `dashboard`: the folder
    `lz dashboard` wrote."""
    lz = lz or _lz()
    steps: list[tuple[str, str]] = []
    if kept:
        steps.append(
            (
                "the local API is still running (KEEP=1)",
                f"LZ_AWS_ENDPOINT={kept['url']} {lz} tree    (stop it: kill {kept['pid']})",
            )
        )
    else:
        steps.append(("keep the local API running to explore it", "KEEP=1 make demo"))
    steps += [
        ("which guardrails reach every account", f"{lz} guardrails {env_file}"),
        ("who can do what, in which account", f"{lz} access {env_file}"),
        (
            "would a guardrail deny a request",
            f"{lz} simulate {env_file} --account {simulate_account} --action ec2:RunInstances --region {simulate_region}",
        ),
    ]
    if dashboard is not None:
        steps.append(("the dashboard", f"open {(Path(dashboard) / 'index.html').resolve().as_uri()}"))
    else:
        steps.append(("the dashboard", f"{lz} dashboard {env_file}"))
    width = max(len(what) for what, _ in steps) + 2
    return "\n".join(["", "Next steps:"] + [f"  {(what + ':').ljust(width)}{command}" for what, command in steps])


def simulate_example(env) -> tuple[str, str]:
    """The `lz simulate` example: a member account (not a Security one when there are others) and a region
    the environment does not govern."""
    members = [a for a in env.accounts if a.ou.split("/")[0] not in _ROLE_OUS]
    members.sort(key=lambda a: "/" not in a.ou)  # workload accounts sit in nested OUs (Workloads/Prod)
    account = ([a.name for a in members] or [a.name for a in env.accounts] or [env.organization.management_account.name])[0]
    governed = set(env.organization.governed_regions)
    return account, next((r for r in _OTHER_REGIONS if r not in governed), _OTHER_REGIONS[-1])


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m landing_zone.deploy.local_notes", description="print the demo's next steps")
    parser.add_argument("env_file")
    parser.add_argument("--out", default="cdktf.out.local", help="the local deploy's output folder (a kept server's record)")
    parser.add_argument("--dashboard", default=None, help="the folder lz dashboard wrote")
    args = parser.parse_args(argv)
    from .orchestrator import kept_server

    loaded = load_environment(args.env_file)
    kept = kept_server(Path(args.out))
    dashboard = Path(args.dashboard) if args.dashboard else None
    account, region = simulate_example(loaded.env)
    print(next_steps(args.env_file, simulate_account=account, simulate_region=region, kept=kept, dashboard=dashboard))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
