"""The plan-review lab, built once per session (see plan_lab.py): one moto server,
the example applied once, real plans of each changed config.

Building it takes minutes of terraform. To debug the review without paying
that each time, set LZ_REVIEW_LAB_DIR=/some/folder: the first run builds the
lab there and records it in lab.json; later runs read the plans from it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import plan_lab as L
import pytest

from landing_zone.local_aws.server import LocalAws, client_env
from landing_zone.terraform.find_mirror import find_mirror

TIMINGS: dict[str, float] = {}


@dataclass
class Lab:
    root: Path
    url: str
    outs: dict[str, Path]
    """Variant -> synthesized output folder (baseline, routine, email)."""
    changed: dict[str, list[str]]
    """Variant -> stacks of the baseline whose cdk.tf.json differs (`management` is planned, and
    `detective-guardrails` for the routine case)."""
    new_stacks: dict[str, list[str]]
    """Variant -> stacks the baseline lacks (a new account's own stack): they can only be
    planned once the management stack that creates the account is applied, so they are not."""
    plans: dict[str, dict[str, Path]] = field(default_factory=dict)
    """Case -> stack -> `terraform show -json` file."""
    manifests: dict[str, Path] = field(default_factory=dict)
    """Case -> lz-manifest.json written by the synth (none for the hand-written danger lab)."""

    def to_json(self) -> dict:
        return {
            "root": str(self.root),
            "url": self.url,
            "outs": {k: str(v) for k, v in self.outs.items()},
            "changed": self.changed,
            "new_stacks": self.new_stacks,
            "plans": {c: {s: str(p) for s, p in v.items()} for c, v in self.plans.items()},
            "manifests": {k: str(v) for k, v in self.manifests.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> "Lab":
        return cls(
            Path(data["root"]),
            data["url"],
            {k: Path(v) for k, v in data["outs"].items()},
            data["changed"],
            data["new_stacks"],
            {c: {s: Path(p) for s, p in v.items()} for c, v in data["plans"].items()},
            {k: Path(v) for k, v in data["manifests"].items()},
        )

    def args(self, case: str) -> list[str]:
        """plan-review arguments for a case: STACK=FILE per plan, and its manifest."""
        out = [f"{stack}={path}" for stack, path in self.plans[case].items()]
        if case in self.manifests:
            out += ["--manifest", str(self.manifests[case])]
        return out


def run_lz(*args: str) -> tuple[int, str, str]:
    """`lz ARGS` in this process (the CLI's own main), stdout and stderr captured."""
    from landing_zone.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _synthesize(env_file: Path, out: Path, url: str) -> None:
    from landing_zone.environment import load_environment
    from landing_zone.node_runtime import prepare_node_runtime

    prepare_node_runtime()
    from landing_zone.app import AppOptions, synthesize
    from landing_zone.local_aws.target import local_api

    synthesize(
        load_environment(env_file),
        AppOptions(out_dir=out, project_dir=env_file.parent, target=local_api(url), allow_destroy=True),
    )


@pytest.fixture(scope="session")
def review_lab(tmp_path_factory) -> Lab:
    keep = os.environ.get("LZ_REVIEW_LAB_DIR")
    if keep and (Path(keep) / "lab.json").is_file():
        yield Lab.from_json(json.loads((Path(keep) / "lab.json").read_text(encoding="utf-8")))
        return
    root = Path(keep) if keep else tmp_path_factory.mktemp("review_lab")
    root.mkdir(parents=True, exist_ok=True)
    server = LocalAws(log_file=root / "moto.log").start()
    try:
        env = client_env(server.url)
        mirror = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
        if mirror:
            env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
        runner = L.Runner(env, TIMINGS)
        state = root / "state"
        base = L.baseline(L.example_data())
        variants = {"baseline": base, "routine": L.routine(base), "email": L.email_change(base)}
        outs = {}
        for name, data in variants.items():
            outs[name] = root / name / "out"
            _synthesize(L.write_env(root / name, data, state), outs[name], server.url)
        existing = {p.parent.name for p in (outs["baseline"] / "stacks").glob("*/cdk.tf.json")}
        changed = {
            name: [s for s in L.changed_stacks(outs["baseline"], outs[name]) if s in existing] for name in ("routine", "email")
        }
        new_stacks = {
            name: [s for s in L.changed_stacks(outs["baseline"], outs[name]) if s not in existing]
            for name in ("routine", "email")
        }
        # The management stack is applied and planned: nearly every case is about it. Other stacks a
        # case changes are listed (tests assert which); their plans would assume roles into the
        # accounts the management stack creates or replaces, so CI plans them after that apply.
        # detective-guardrails (organization Config rules, management account, no role) is
        # applied too, and planned for the routine case once its management plan is applied.
        applied = ["management"]
        lab = Lab(root, server.url, outs, changed, new_stacks)
        danger = L.write_lab(root / "danger", server.url, full=True)
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [pool.submit(runner.apply, outs["baseline"] / "stacks" / stack, f"baseline {stack}") for stack in applied]
            jobs.append(pool.submit(runner.apply, danger, "danger lab"))
            for job in jobs:
                job.result()
        L.write_lab(root / "danger", server.url, full=False)
        plans_dir = root / "plans"
        plans_dir.mkdir()
        base_mgmt = outs["baseline"] / "stacks" / "management"
        work = [
            ("routine", "management", outs["routine"] / "stacks" / "management", ()),
            ("email", "management", outs["email"] / "stacks" / "management", ()),
            (
                "org-replace",
                "management",
                L.copy_stack(base_mgmt, root / "org-replace"),
                ("-replace=aws_organizations_organization.organization",),
            ),
            ("destroy", "management", L.copy_stack(base_mgmt, root / "destroy"), ("-destroy",)),
            ("danger", "danger-lab", danger, ()),
        ]
        detective = L.DETECTIVE
        with ThreadPoolExecutor(max_workers=3) as pool:
            futures = {
                case: pool.submit(runner.plan_json, folder, plans_dir / f"{case}-{stack}.json", case, *extra)
                for case, stack, folder, extra in work
            }
            # reads the management state only (the plans above do not lock or change it)
            rules = pool.submit(
                runner.apply, outs["baseline"] / "stacks" / detective, f"baseline {detective}", L.RULES_PARALLELISM
            )
            for case, stack, _, _ in work:
                lab.plans[case] = {stack: futures[case].result()}
            rules.result()
        # The routine rules exclude the new account: its id exists once the reviewed management plan is applied.
        runner.apply_plan(
            outs["routine"] / "stacks" / "management", plans_dir / "routine-management.tfplan", "routine management"
        )
        lab.plans["routine"][detective] = runner.plan_json(
            outs["routine"] / "stacks" / detective, plans_dir / f"routine-{detective}.json", f"routine {detective}"
        )
        lab.manifests = {
            "routine": outs["routine"] / "lz-manifest.json",
            "email": outs["email"] / "lz-manifest.json",
            "org-replace": outs["baseline"] / "lz-manifest.json",
            "destroy": outs["baseline"] / "lz-manifest.json",
        }
        (root / "lab.json").write_text(json.dumps(lab.to_json(), indent=2), encoding="utf-8")
        yield lab
    finally:
        server.stop()


@pytest.fixture(scope="session")
def review_of(review_lab):
    """review_of(case, *allow) -> Review (built in-process, memoized)."""
    from landing_zone.review.manifest import read_manifest
    from landing_zone.review.review import review_plans

    cache: dict = {}

    def build(case: str, *allow: str):
        key = (case, allow)
        if key not in cache:
            manifest = read_manifest(review_lab.manifests[case]) if case in review_lab.manifests else None
            cache[key] = review_plans([f"{s}={p}" for s, p in review_lab.plans[case].items()], manifest, allow)
        return cache[key]

    return build


def pytest_terminal_summary(terminalreporter) -> None:
    if TIMINGS:
        terminalreporter.write_sep("-", "plan-review lab: terraform seconds")
        for label, seconds in sorted(TIMINGS.items(), key=lambda kv: -kv[1]):
            terminalreporter.write_line(f"{seconds:7.1f}  {label}")
