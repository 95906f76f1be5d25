"""Deploying an environment: synthesize, then terraform init + apply every stack in dependency order.

`--local` deploys to a local AWS API (a moto server on 127.0.0.1, started
here or reused through LZ_AWS_ENDPOINT) with local state inside the output
folder, so a local run never touches real AWS or real state. `--destroy`
walks the stacks in reverse. The organization is printed as a tree at the end.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..atomic_output import MARKER, atomic_write_text, is_complete, preflight
from ..derived.stack_layout import WAIT_ONLY_STACKS
from ..environment import load_environment
from ..fs_errors import fs_errors
from ..interrupts import describe_returncode, graceful, install_top_level, kill_all
from ..node_runtime import prepare_node_runtime
from ..run_lock import run_lock
from ..speed.optimized_python import type_checks_note

if TYPE_CHECKING:
    from ..local_aws.server import LocalAws

DEFAULT_OUT = "cdktf.out"
DEFAULT_LOCAL_OUT = "cdktf.out.local"
DEFAULT_PLANS = "plans"
DEFAULT_LOCAL_PLANS = "plans.local"
PHASES = ("init", "apply", "plan", "destroy")


def default_parallel(cores: int | None) -> int:
    """Stacks side by side: twice the cores, at least 2 and at most 4. An apply spends much of its time in the
    provider's fixed waits (a VPC's DNS attributes, account creation, Identity Center assignments), not on CPU:
    the example's local deploy on 2 cores took 219 s with 2 at a time, 182 s with 3 and 171 s with 4. The
    lifecycle stacks run beside this limit (derived/stack_layout.WAIT_ONLY_STACKS)."""
    return max(2, min(4, 2 * (cores or 1)))


DEFAULT_PARALLEL = default_parallel(os.cpu_count())


@dataclass(frozen=True)
class DeployOptions:
    """What one deploy does; the defaults deploy every stack to real AWS after a synth."""

    env_file: str
    local: bool = False
    """Deploy to a local AWS API (reuse LZ_AWS_ENDPOINT when it answers, else start a moto server)."""
    keep: bool = False
    """With `local`: leave the server running and print how to reach it."""
    destroy: bool = False
    """Destroy the stacks instead, in reverse dependency order."""
    stacks: Optional[list[str]] = None
    """Only these stacks (still in dependency order)."""
    out: Optional[str] = None
    """Synth output folder (default cdktf.out; with `local` cdktf.out.local)."""
    no_synth: bool = False
    allow_destroy_accounts: bool = False
    no_tree: bool = False
    parallel: int = DEFAULT_PARALLEL
    verbose: int = 0
    """0: a line per stack (and a heartbeat); 1 (-v): a line per terraform command and per resource;
    2 (-vv): terraform's own output. Plan-first runs and drift stream terraform's output at 1."""
    wait: bool = False
    """When another run holds the output folder, wait for it instead of failing (exit 75)."""
    yes: bool = False
    """Against AWS: apply the reviewed plans without asking (CI); without it a terminal must confirm."""
    allow: tuple[str, ...] = ()
    """Danger rules whose changes may apply (plan review's --allow)."""
    plans: Optional[str] = None
    """Against AWS: the folder the saved plans go to (default `plans` beside the synth folder)."""
    from_plans: Optional[str] = None
    """Apply the saved plans `lz plan` wrote to this folder (no synth, no new plan)."""
    plan_first: bool = False
    """With `local`: deploy as against AWS (plan, review, confirm or `yes`, apply the saved plans)."""
    plan_only: bool = False
    """`lz plan`: write and review the plans, apply nothing."""
    drift_only: bool = False
    """`lz drift`: refresh-only plans of every stack, reviewed; changes nothing."""
    format: str = "text"
    """Format of the printed plan review."""

    @classmethod
    def from_namespace(cls, namespace) -> "DeployOptions":
        return cls(**{f.name: getattr(namespace, f.name) for f in fields(cls) if hasattr(namespace, f.name)})


_PRINT_LOCK = threading.Lock()


def progress(message: str) -> None:
    """One whole line on stderr; stacks running side by side never interleave within a line."""
    with _PRINT_LOCK:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


class DeployError(RuntimeError):
    """A deploy step failed; the message says which and why."""


class Deploy:
    def __init__(self, options: DeployOptions) -> None:
        self.options = options
        self.endpoint_from_env = os.environ.get("LZ_AWS_ENDPOINT", "").strip() or None
        self.local = options.local or bool(self.endpoint_from_env)
        if options.keep and not self.local:
            raise DeployError("--keep only applies to --local runs")
        if options.allow_destroy_accounts and not self.local:
            raise DeployError(
                "--allow-destroy-accounts only works with --local: on AWS, lifting prevent_destroy "
                "on accounts must be a reviewed change, not a flag"
            )
        if options.from_plans and options.plan_only:
            raise DeployError("--from-plans applies saved plans: not with lz plan")
        if options.yes and self.local and not (options.plan_only or options.plan_first or options.from_plans):
            raise DeployError("--yes confirms applying reviewed plans; --local runs ask only with --plan-first")
        self.out = Path(options.out or (DEFAULT_LOCAL_OUT if self.local else DEFAULT_OUT))
        self.plan_set = None
        if options.from_plans:
            from .planning import PlanSet

            self.plan_set = PlanSet.read(options.from_plans)
            if options.destroy != self.plan_set.destroy:
                kind = "destroy plans" if self.plan_set.destroy else "plans that apply changes"
                raise DeployError(f"{options.from_plans} holds {kind}: {'add' if self.plan_set.destroy else 'drop'} --destroy")
            self.out = Path(options.out or self.plan_set.synth_dir)
            if self.local and not (self.endpoint_from_env or kept_server(self.out)):
                raise DeployError(
                    "--from-plans with --local applies plans made against a running local API: reuse that server "
                    "(LZ_AWS_ENDPOINT, or the one an earlier --keep left running for this output folder)"
                )
        self.server: Optional[LocalAws] = None
        self.url: str | None = None
        self.region: str | None = None  # the environment's home region, for the --keep message
        self.timings: dict[str, dict[str, float]] = {}
        self.server_died: str | None = None

    @property
    def command(self) -> str:
        return "drift" if self.options.drift_only else "plan" if self.options.plan_only else "deploy"

    @property
    def plan_first(self) -> bool:
        """Against AWS (and for `lz plan`, and `--local --plan-first`): plan, review, confirm, apply the saved plans."""
        wanted = not self.local or self.options.plan_only or self.options.plan_first or bool(self.options.from_plans)
        return wanted and not self.options.drift_only

    @property
    def plans_dir(self) -> Path:
        """--from-plans, --plans, else `plans` beside the synth folder (./plans for cdktf.out; `plans.local` for local runs)."""
        default = DEFAULT_LOCAL_PLANS if self.local else DEFAULT_PLANS
        return Path(self.options.from_plans or self.options.plans or self.out.parent / default)

    def _drift(self, env: dict) -> int:
        from .drift import detect_drift, render_drift

        with graceful("drift"):
            report = detect_drift(
                self.out,
                env,
                only=self.options.stacks,
                workers=self.options.parallel,
                verbose=bool(self.options.verbose),
                say=progress,
            )
        sys.stdout.write(render_drift(report, self.options.format))
        sys.stdout.flush()
        progress(report.summary_line())
        return report.exit_code

    def _plan_first(self, loaded, env: dict) -> int:
        from .plan_first import BLOCKED, apply_reviewed, confirm_apply, render_plan_review, review_plan_set, write_plans

        plan_set = self.plan_set
        if plan_set is None:
            with graceful("plan"):
                plan_set = write_plans(
                    self.out,
                    self.plans_dir,
                    env,
                    only=self.options.stacks,
                    destroy=self.options.destroy,
                    workers=self.options.parallel,
                    verbose=bool(self.options.verbose),
                    say=progress,
                )
        review = review_plan_set(plan_set, self.options.allow)
        sys.stdout.write(render_plan_review(plan_set, review, self.options.format))
        sys.stdout.flush()
        progress(review.summary_line())
        if review.blocked:
            rules = " ".join(f"--allow {r}" for r in sorted({d.rule for d in review.blocking}))
            progress(f"a danger rule blocks these plans: nothing applied (after review, allow with {rules})")
            return BLOCKED
        if self.options.plan_only:
            progress(
                f"plans saved in {plan_set.folder}/; apply them with: lz deploy {self.options.env_file} --from-plans {plan_set.folder}"
            )
            return 0
        if not plan_set.to_apply:
            progress("nothing to apply: every planned stack is up to date")
            return 0
        confirm_apply(plan_set, loaded.env.organization.name, yes=self.options.yes)
        with graceful("deploy"):
            applied = apply_reviewed(
                plan_set,
                self.out,
                env,
                workers=self.options.parallel,
                verbose=bool(self.options.verbose),
                say=progress,
                timings=self.timings,
            )
        progress(f"applied the reviewed plans of {len(applied)} stack(s): {', '.join(applied)}")
        return 0

    # -- steps ------------------------------------------------------------
    def run(self) -> int:
        from ..terraform import find_terraform, terraform_env

        install_top_level()  # SIGINT and SIGTERM unwind (exit 130 / 143), so the server we started is stopped
        loaded = load_environment(self.options.env_file)  # ConfigError: printed by lz's main
        self.region = loaded.env.organization.home_region
        find_terraform()
        terraform_env()  # an unusable LZ_TF_PROVIDER_MIRROR fails now, not after the synth
        # One run at a time per output folder (its local state and moto.log included): RunLockBusy, exit 75.
        with contextlib.ExitStack() as held:
            with fs_errors("write the deploy output", self.out):  # one line naming the path, exit 2
                held.enter_context(run_lock(self.out, self.command, wait=self.options.wait, notify=progress))
                if self.plan_first:
                    held.enter_context(run_lock(self.plans_dir, self.command, wait=self.options.wait, notify=progress))
                if not self.options.no_synth and self.plan_set is None:
                    preflight(self.out)  # a full disk or a read-only folder fails now, not after the synth
            return self._locked(loaded)

    def _locked(self, loaded) -> int:
        started = time.monotonic()
        status = 0
        try:
            env = self._target()
            if not self.options.no_synth and self.plan_set is None:
                self._synthesize(loaded)
            self._check_output_targets()
            if self.options.drift_only:
                status = self._drift(env)
            elif self.plan_first:
                status = self._plan_first(loaded, env)
            else:
                self._terraform(env)
            applied_here = not self.plan_first or (self.local and not self.options.plan_only and status == 0)
            if applied_here and not self.options.drift_only and not self.options.destroy and not self.options.no_tree:
                from ..live.organization import print_tree

                status = print_tree(self.url, management_name=loaded.env.organization.management_account.name)
        finally:
            self._finish_server()
        self._print_timings(time.monotonic() - started)
        return status

    def _target(self) -> dict:
        """The environment for terraform; starts or reuses the local server for --local."""
        if not self.local:
            return dict(os.environ)
        from ..local_aws.endpoints import check_local_url
        from ..local_aws.server import LocalAws, client_env, is_up

        if self.endpoint_from_env:
            self.url = check_local_url(self.endpoint_from_env)
            if not is_up(self.url):
                raise DeployError(f"LZ_AWS_ENDPOINT={self.url} does not answer; unset it to let --local start a server")
            check_reused_server(self.url)
            progress(f"local AWS API: reusing {self.url}")
        elif kept := kept_server(self.out):
            # A server an earlier `--keep` left running still holds what the state in this folder describes:
            # reuse it rather than start an empty one and throw that state away.
            self.url = kept["url"]
            progress(f"local AWS API: reusing the server an earlier --keep left running on {self.url} (pid {kept['pid']})")
        else:
            self.out.mkdir(parents=True, exist_ok=True)
            server = self.server = LocalAws(log_file=self.out.resolve() / "moto.log").start()
            self.url = server.url
            progress(f"local AWS API: moto server on {self.url} (pid {server.pid}, log {self.out / 'moto.log'})")
            # A new server knows nothing: state from an earlier local run describes nothing. No live run
            # uses it (we hold the folder's lock) and no kept server does (kept_server found none).
            for state in (self.out / "local-state").glob("*/*.tfstate*"):
                state.unlink()
        progress(f"local state: {self.out / 'local-state'}/ (terraform state of each stack; delete it with the folder)")
        return client_env(self.url)

    def _synthesize(self, loaded) -> None:
        progress(f"synthesizing {loaded.file} into {self.out}/ (loads cdktf, a few seconds; {type_checks_note()}) ...")
        start = time.monotonic()
        allow_destroy = bool(self.options.allow_destroy_accounts)
        if self.local:  # local runs keep their state inside the output folder, never in the configured backend
            assert self.url is not None  # _target() set it before the synth
            result = synthesize_local(loaded, self.out, self.url, self.out / "local-state", allow_destroy)
            from ..local_aws.target import LOCAL_API_GAPS
            from .local_notes import left_out_lines

            for line in left_out_lines(LOCAL_API_GAPS):
                progress(line)
        else:
            prepare_node_runtime()
            from ..app import AppOptions, synthesize

            result = synthesize(loaded, AppOptions(out_dir=self.out, allow_destroy=allow_destroy))
        resources = sum(s.resources for s in result.stacks)
        progress(
            f"synthesized {len(result.stacks)} stack(s), {resources} resources, in {time.monotonic() - start:.1f} s"
            + (" (prevent_destroy lifted: local test run)" if allow_destroy else "")
        )

    def _check_output_targets(self) -> None:
        """With --no-synth, the output must be whole and target this run's API (not a dead port or real AWS)."""
        from ..terraform.stacks import load_stacks

        if not is_complete(self.out):
            raise DeployError(
                f"{self.out} is not a complete synth output (no {MARKER}: a synth failed, was interrupted or "
                "predates this check): synthesize again (drop --no-synth)"
            )

        from ..local_aws.endpoints import target_url

        for stack in load_stacks(self.out).values():
            config = json.loads((stack.directory / "cdk.tf.json").read_text(encoding="utf-8"))
            for provider in config.get("provider", {}).get("aws", []):
                target = target_url(provider)
                if target != self.url:
                    where = target or "real AWS"
                    wanted = self.url or "real AWS"
                    raise DeployError(
                        f"{stack.directory}/cdk.tf.json targets {where}, this run targets {wanted}: "
                        "synthesize again (drop --no-synth)"
                    )

    def _terraform(self, env: dict) -> None:
        from ..terraform import Terraform
        from ..terraform.stacks import deploy_order, load_stacks, run_stacks
        from .stack_progress import StackProgress

        order = deploy_order(load_stacks(self.out), only=self.options.stacks)
        shown = list(reversed(order)) if self.options.destroy else order
        verb = "destroying" if self.options.destroy else "deploying"
        progress(
            f"{verb} {len(order)} stack(s) in order: {', '.join(s.name for s in shown)} "
            f"(up to {self.options.parallel} at a time when independent)"
        )

        lines = StackProgress(progress, int(self.options.verbose))
        terraforms = {s.name: Terraform(s.directory, env=env, progress=progress, listener=lines) for s in shown}
        # Every stack's `terraform init` runs ahead, beside the first applies, instead of on the critical
        # path in front of each apply (a stack's apply waits only for its own init). The first init runs
        # alone: without a mirror it fills the shared plugin cache, which terraform does not lock.
        early = ThreadPoolExecutor(max_workers=max(1, self.options.parallel), thread_name_prefix="init")
        first = early.submit(terraforms[shown[0].name].init)

        def init_after_first(tf):
            first.result()
            return tf.init()

        inits = {s.name: early.submit(init_after_first, terraforms[s.name]) for s in shown[1:]}
        inits[shown[0].name] = first

        def one(stack) -> None:
            tf = terraforms[stack.name]
            state = local_state_file(stack.directory)
            keep_good_copy(state)
            try:
                inits[stack.name].result()
                if self.options.destroy:
                    self._destroy(tf)
                else:
                    adopt_orphans(tf, self.url, progress)
                    tf.apply()
            finally:
                lines.forget(stack.name)
                repair_state(state, progress)
            lines.stack_done(stack.name, tf.timings, destroy=self.options.destroy)

        for stack in shown:  # the timing table lists stacks in the order they were meant to run
            self.timings[stack.name] = terraforms[stack.name].timings
        watchdog = self._watch_server()
        heartbeat = lines.ticking()
        try:
            # The first SIGINT/SIGTERM is passed on to terraform, which saves its state; a second kills.
            with graceful("deploy"):
                # The lifecycle stacks spend their apply in the provider's fixed wait: they do not take a slot.
                run_stacks(order, one, workers=self.options.parallel, reverse=self.options.destroy, unlimited=WAIT_ONLY_STACKS)
        except Exception:
            if self.server_died:  # terraform failed because the API went away: say that, not its symptom
                raise DeployError(self.server_died) from None
            raise
        finally:
            heartbeat.set()
            early.shutdown(wait=True, cancel_futures=True)  # after a failure: no new init starts
            if watchdog is not None:
                watchdog.set()
        if self.server_died:
            raise DeployError(self.server_died)

    def _watch_server(self) -> threading.Event | None:
        """Stop the run within seconds when the moto server we started dies under it, or a reused one
        (LZ_AWS_ENDPOINT, a kept server) stops answering."""
        server = self.server
        if server is None or server.process is None:
            return self._watch_endpoint() if self.local and self.url else None
        stop = threading.Event()
        process = server.process

        def watch() -> None:
            while not stop.wait(1.0):
                if process.poll() is not None:
                    self.server_died = (
                        f"the local AWS API (pid {process.pid}) died mid-run: {describe_returncode(process.returncode)}; "
                        f"last lines of {server.log_file}:\n{log_tail(server.log_file)}"
                    )
                    progress(f"lz deploy: {self.server_died.splitlines()[0]}; stopping terraform")
                    kill_all()
                    return

        threading.Thread(target=watch, name="moto-watchdog", daemon=True).start()
        return stop

    def _watch_endpoint(self, interval: float = 1.0, misses: int = 3) -> threading.Event:
        """A server we did not start: no process to poll, so its port is. Gone = the connection is refused
        `misses` times in a row (a busy server that is slow to answer is not gone)."""
        url = self.url
        assert url is not None
        origin = "LZ_AWS_ENDPOINT" if self.endpoint_from_env else "the server an earlier --keep left running"
        stop = threading.Event()

        def watch() -> None:
            refused = 0
            while not stop.wait(interval):
                refused = refused + 1 if connection_refused(url) else 0
                if refused >= misses:
                    self.server_died = (
                        f"the local AWS API at {url} ({origin}) stopped answering mid-run: the connection was refused "
                        f"{misses} times in a row, so that server was stopped or died; start it again (with "
                        "MOTO_IAM_LOAD_MANAGED_POLICIES=true) or unset LZ_AWS_ENDPOINT to let --local start one"
                    )
                    progress(f"lz deploy: {self.server_died}; stopping terraform")
                    kill_all()
                    return

        threading.Thread(target=watch, name="endpoint-watchdog", daemon=True).start()
        return stop

    def _destroy(self, tf) -> None:
        from ..terraform import TerraformError

        try:
            # A throw-away local API changes nothing behind terraform's back: reading every
            # resource again before deleting it would only double the work. AWS gets a refresh.
            tf.destroy(refresh=not self.local)
        except TerraformError as exc:
            if "prevent_destroy" in str(exc):
                hint = (
                    (
                        "the organization, OUs and accounts carry prevent_destroy; for a local test run "
                        "synthesize with --allow-destroy-accounts"
                    )
                    if self.local
                    else "the organization, OUs and accounts carry prevent_destroy on purpose"
                )
                raise DeployError(f"{exc}\n{hint}") from None
            raise

    def _finish_server(self) -> None:
        if self.server is None:
            return
        process = self.server.process
        if process is not None and process.poll() is not None:
            progress(f"local AWS API: had already ended (pid {self.server.pid}, {describe_returncode(process.returncode)})")
            return
        if self.options.keep:
            pid, region = self.server.pid, self.region
            assert pid is not None and region is not None  # a started server has its pid; the region was read before it started
            remember_kept_server(self.out, self.server.url, pid)
            keep_message(self.server.url, pid, self.options.env_file, self.out, region)
        else:
            # A signal now must not leave the server running: hold SIGINT/SIGTERM until it is stopped.
            with _signals_held():
                self.server.stop()
            if process is not None and process.poll() is not None:
                progress(f"local AWS API: stopped (pid {self.server.pid})")
            else:
                progress(f"local AWS API: did not stop (pid {self.server.pid}); end it with: kill -9 {self.server.pid}")

    def _print_timings(self, total: float) -> None:
        from ..render import text_table as table

        rows = [[name] + [f"{t[p]:.1f}" if p in t else "-" for p in PHASES] for name, t in self.timings.items()]
        if rows and (self.options.verbose or self.plan_first or self.options.drift_only):  # else each stack's line said it
            progress(table(["stack"] + [f"{p} s" for p in PHASES], rows))
        progress(f"done in {total:.1f} s")


def synthesize_local(loaded, out: Path, url: str, state_dir: Path, allow_destroy: bool = False):
    """Synthesize `loaded` for the local AWS API at `url`, its local state in `state_dir` whatever the
    environment's `state:` says (a local run never touches real state). Returns the SynthResult."""
    prepare_node_runtime()  # before the import: jsii prints its banner while it loads
    from ..app import AppOptions, synthesize
    from ..config.models.state import LocalState
    from ..local_aws.target import local_api

    state = LocalState(directory=str(Path(state_dir).resolve()))
    loaded = dataclasses.replace(loaded, env=loaded.env.model_copy(update={"state": state}))
    return synthesize(loaded, AppOptions(out_dir=Path(out), target=local_api(url), allow_destroy=allow_destroy))


def _accounts_by_email(organizations, planned: dict[str, str]) -> dict[str, str]:
    pages = organizations.get_paginator("list_accounts").paginate()
    return {a["Email"].lower(): a["Id"] for page in pages for a in page["Accounts"] if a.get("Status") == "ACTIVE"}


def _policies_by_type_and_name(organizations, planned: dict[str, str]) -> dict[str, str]:
    found = {}
    for policy_type in sorted({key.split("/", 1)[0] for key in planned.values()}):
        pages = organizations.get_paginator("list_policies").paginate(Filter=policy_type)
        found.update({f"{policy_type}/{p['Name']}": p["Id"] for page in pages for p in page["Policies"]})
    return found


@dataclass(frozen=True)
class _OrphanKind:
    """A resource an interrupted apply can leave made but unrecorded, found again by what the organization keeps unique."""

    type: str
    noun: str
    key: Callable[[dict], str]
    """Its configuration -> what identifies it in the organization."""
    existing: Callable[[Any, dict[str, str]], dict[str, str]]
    """(Organizations client, planned address -> key) -> key -> id of what exists."""


ORPHAN_KINDS = (
    _OrphanKind("aws_organizations_account", "account", lambda body: str(body.get("email", "")).lower(), _accounts_by_email),
    # A policy's name is unique per type: made again it fails with DuplicatePolicyException.
    _OrphanKind(
        "aws_organizations_policy",
        "policy",
        lambda body: f"{body.get('type') or 'SERVICE_CONTROL_POLICY'}/{body.get('name', '')}",
        _policies_by_type_and_name,
    ),
)


def adopt_orphans(tf, endpoint: str | None, say) -> list[str]:
    """Put right in the state the accounts and policies an interrupted apply left half-recorded; returns their
    addresses.

    Interrupting terraform while it makes an account (the provider polls
    CreateAccount's status) or a policy leaves it made and the state either
    without it or with it marked tainted: the next apply would make it again
    (AWS refuses the account's e-mail address or the policy's name, moto makes
    a duplicate account) or replace it (prevent_destroy refuses). One of this
    stack's that exists in the organization is imported when the state lacks
    it (an account matched by exactly its e-mail address, a policy by its type
    and name) and untainted when the state has it tainted. Stacks without
    either cost nothing; others one `state pull` and one list per kind.
    """
    try:
        config = json.loads((tf.directory / "cdk.tf.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    resources = config.get("resource", {})
    planned = {
        kind: {f"{kind.type}.{name}": kind.key(body) for name, body in (resources.get(kind.type) or {}).items()}
        for kind in ORPHAN_KINDS
    }
    if not any(planned.values()):
        return []
    recorded: dict[str, dict] = {}
    for resource in tf.state_pull().get("resources", []):
        if resource.get("mode") == "managed" and any(resource.get("type") == kind.type for kind in ORPHAN_KINDS):
            instances = resource.get("instances") or [{}]
            recorded[f"{resource['type']}.{resource['name']}"] = instances[0]
    from ..live.organization import organizations_client

    done = []
    for kind, addresses in planned.items():
        missing = [a for a in sorted(addresses) if a not in recorded]
        tainted = [a for a in sorted(addresses) if recorded.get(a, {}).get("status") == "tainted"]
        if not missing and not tainted:
            continue
        try:
            existing = kind.existing(organizations_client(endpoint), addresses)
        except Exception:  # no organization yet, no permission: nothing to put right, the apply says what is wrong
            continue
        for address in missing:
            found = existing.get(addresses[address])
            if found:
                say(
                    f"[{tf.name}] {address} exists as {kind.noun} {found} but not in the state (an interrupted run made it): "
                    "importing it"
                )
                tf.import_resource(address, found)
                done.append(address)
        for address in tainted:
            found = (recorded[address].get("attributes") or {}).get("id")
            if found in set(existing.values()):
                say(f"[{tf.name}] {address} ({kind.noun} {found}) is tainted by an interrupted run but exists: untainting it")
                tf.untaint(address)
                done.append(address)
    return done


@contextlib.contextmanager
def _signals_held():
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


KEPT_SERVER_FILE = "local-server.json"
"""In a --local output folder: the server `--keep` left running (url, pid), found again by the next run."""


def remember_kept_server(out: Path, url: str, pid: int) -> None:
    atomic_write_text(out / KEPT_SERVER_FILE, json.dumps({"url": url, "pid": pid}) + "\n")


def kept_server(out: Path) -> dict | None:
    """The server an earlier `--keep` left for `out`, when it still answers; None (and the record
    removed) when it is gone."""
    from ..local_aws.server import is_up

    record = out / KEPT_SERVER_FILE
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
        url, pid = str(kept["url"]), int(kept["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
        alive = is_up(url)
    except ProcessLookupError:
        alive = False
    except PermissionError:
        alive = is_up(url)
    if not alive:
        record.unlink(missing_ok=True)
        return None
    return {"url": url, "pid": pid}


def check_reused_server(url: str) -> None:
    """A reused endpoint must resolve AWS managed policy ARNs (moto: MOTO_IAM_LOAD_MANAGED_POLICIES=true)."""
    from ..local_aws.server import managed_policies_loaded

    if not managed_policies_loaded(url):
        raise DeployError(
            f"LZ_AWS_ENDPOINT={url} does not know AWS managed policies (arn:aws:iam::aws:policy/...), which the "
            "stacks attach: start that moto server with MOTO_IAM_LOAD_MANAGED_POLICIES=true, or unset "
            "LZ_AWS_ENDPOINT to let --local start one"
        )


def connection_refused(url: str, timeout: float = 2.0) -> bool:
    """True when nothing listens at `url`'s host and port any more (a timeout is not a refusal: busy)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=timeout):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


def log_tail(path: Path | None, lines: int = 15) -> str:
    if path is None:
        return "  (no log)"
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except OSError as exc:
        return f"  ({exc.strerror})"
    return "\n".join(f"  {line}" for line in text) or "  (empty)"


def local_state_file(stack_dir: Path) -> Path | None:
    """The stack's state file when its backend is local (from cdk.tf.json), else None."""
    try:
        config = json.loads((Path(stack_dir) / "cdk.tf.json").read_text(encoding="utf-8"))
        path = config["terraform"]["backend"]["local"]["path"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Path(stack_dir) / path


GOOD_COPY_SUFFIX = ".lz-last-good"


def _valid_json(path: Path) -> bool:
    try:
        json.loads(path.read_text(encoding="utf-8"))
        return True
    except (OSError, ValueError):
        return False


def keep_good_copy(state: Path | None) -> None:
    """Before terraform writes `state`: keep a copy of it when it is valid JSON."""
    if state is not None and state.is_file() and _valid_json(state):
        atomic_write_text(state.with_name(state.name + GOOD_COPY_SUFFIX), state.read_text(encoding="utf-8"))


def repair_state(state: Path | None, say) -> None:
    """After terraform: a state file that is not valid JSON (a killed terraform) gets its last good copy
    back (or is removed when there was none: the stack had no state before); a lock file no live
    process holds is removed. Each says what it did."""
    if state is None:
        return
    if state.exists() and not _valid_json(state):
        good = state.with_name(state.name + GOOD_COPY_SUFFIX)
        if good.is_file():
            os.replace(good, state)
            say(f"restored {state} from its last good copy (terraform was killed while writing it)")
        else:
            state.unlink()
            say(f"removed {state}: terraform was killed while writing it and the stack had no state before")
    lock_info = state.parent / f".{state.name}.lock.info"
    if lock_info.exists() and not _state_locked(state):
        lock_info.unlink(missing_ok=True)
        say(f"removed the stale terraform lock {lock_info} (no live process held it)")


def _state_locked(state: Path) -> bool:
    """True when a live process holds terraform's lock (an fcntl lock on the state file)."""
    import fcntl

    try:
        with open(state, "rb+") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(handle, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def keep_message(url: str, pid: int, env_file: str, out: Path, region: str) -> None:
    """How to reach the server `--keep` leaves running; `region` is the environment's home region,
    where its regional resources (buckets, Config, VPCs) were deployed."""
    print(
        f"""
The local AWS API keeps running on {url} (pid {pid}). Reach it with the AWS CLI:
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION={region}
  aws --endpoint-url {url} organizations list-accounts
  LZ_AWS_ENDPOINT={url} lz tree
Deploy again to it:  LZ_AWS_ENDPOINT={url} lz deploy {env_file} --local --out {out}
Stop it:             kill {pid}""",
        file=sys.stderr,
    )
