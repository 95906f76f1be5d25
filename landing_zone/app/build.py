"""The cdktf App of one environment: every stack, in deploy order, and the steps that build and write stacks.

    loaded = load_environment("environments/example.yaml")
    app = build_app(loaded, AppOptions(out_dir=Path("cdktf.out")))
    app.synth()          # cdktf.out/stacks/<stack>/cdk.tf.json + manifest.json

Imports cdktf (slow): app.synthesis imports this module only when a stack must be built.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

from cdktf import App

from ..derived.stack_layout import (
    AUDIT,
    DETECTIVE_GUARDRAILS,
    MANAGEMENT,
    MANAGEMENT_BASELINE,
    recorder_stacks,
)
from ..environment import LoadedEnvironment
from ..stacks.audit import AuditStack
from ..stacks.base import LandingZoneStack, write_imports
from ..stacks.detective_guardrails import DetectiveGuardrailsStack
from ..stacks.factory_accounts import build_factory_stacks
from ..stacks.lifecycle import add_lifecycle_stacks
from ..stacks.log_archive import LogArchiveStack
from ..stacks.management import ManagementStack
from ..stacks.management_baseline import ManagementBaselineStack
from ..stacks.network_accounts import build_network_stacks
from ..stacks.published_outputs import check_published, publish_log_archive, publish_management
from ..stacks.service_catalog import add_delegated_service_catalog
from ..stacks.settings import StackSettings
from ..synth_worker import synth_part
from .options import AppOptions
from .stack_sets import build_set

StackT = TypeVar("StackT", bound=LandingZoneStack)


def stack_settings(loaded: LoadedEnvironment, options: AppOptions) -> StackSettings:
    """What every stack of `loaded`'s app is built with."""
    return StackSettings(
        env=loaded.env,
        facts=loaded.facts,
        env_name=loaded.name,
        project_dir=Path(options.project_dir),
        out_dir=Path(options.out_dir),
        target=options.target,
        allow_destroy=options.allow_destroy,
    )


class LandingZoneApp(App):
    """The App with its stacks: `management`, `log_archive`, `audit`, `management_baseline`,
    `detective_guardrails`; `stacks` in deploy order."""

    def __init__(
        self,
        loaded: LoadedEnvironment,
        options: AppOptions,
        only: frozenset[str] | None = None,
        read_only: frozenset[str] = frozenset(),
    ) -> None:
        """`only`: build just these stacks (with `build_set`'s producers among them); None: every stack.
        `read_only`: stacks built only for what other stacks read from them, whose own output is thrown away
        (a synth worker's; only the management stack has a lighter form, ManagementStack's `read_only`)."""
        Path(options.out_dir).mkdir(parents=True, exist_ok=True)  # cdktf creates only the last level
        # No stack traces in the output: they hold local paths and break byte-identical synths.
        super().__init__(outdir=str(options.out_dir), stack_traces=False)
        self.loaded = loaded
        self.options = options
        wanted: Callable[[str], bool] = (lambda name: True) if only is None else only.__contains__
        settings = stack_settings(loaded, options)
        self.build_seconds: dict[str, float] = {}
        self.management = self._timed(lambda: ManagementStack(self, settings, read_only=MANAGEMENT in read_only))
        self.stacks: list[LandingZoneStack] = [self.management]
        self._add_lifecycle_stack(settings, wanted)
        self.log_archive = self._timed(lambda: LogArchiveStack(self, settings, management=self.management))
        self.stacks.append(self.log_archive)
        self._add_lifecycle_stack(settings, wanted, log_archive=self.log_archive)
        self.audit: AuditStack | None = None
        self.management_baseline: ManagementBaselineStack | None = None
        self.detective_guardrails: DetectiveGuardrailsStack | None = None
        if wanted(AUDIT):
            self.audit = self._timed(lambda: AuditStack(self, settings, management=self.management, log_archive=self.log_archive))
            self.stacks.append(self.audit)
        if wanted(MANAGEMENT_BASELINE):
            self.management_baseline = self._timed(
                lambda: ManagementBaselineStack(self, settings, management=self.management, log_archive=self.log_archive)
            )
            self.stacks.append(self.management_baseline)
        self.stacks += build_network_stacks(
            self, settings, management=self.management, log_archive=self.log_archive, timed=self._timed, wanted=wanted
        )
        self.stacks += build_factory_stacks(
            self,
            settings,
            management=self.management,
            log_archive=self.log_archive,
            existing=self.stacks,
            timed=self._timed,
            wanted=wanted,
        )
        # self_service.catalog_account: a member account's stack holds the catalog (when that stack is built)
        add_delegated_service_catalog(self.stacks, required=only is None)
        if wanted(DETECTIVE_GUARDRAILS):
            recorders = set(recorder_stacks(stack.stack_name for stack in self.stacks))
            # last: its organization Config rules need every account's Config recorder (every stack but management)
            self.detective_guardrails = self._timed(
                lambda: DetectiveGuardrailsStack(
                    self,
                    settings,
                    management=self.management,
                    recorder_stacks=[s for s in self.stacks[1:] if s.stack_name in recorders],
                )
            )
            self.stacks.append(self.detective_guardrails)
        # Producers declare their cross-stack outputs now, from the facts, not as consumers read them (stable outputs)
        publish_management(self.management)
        publish_log_archive(self.log_archive)
        planned = [name for name in loaded.facts.deploy_order if wanted(name)]
        built = [stack.stack_name for stack in self.stacks]
        if built != planned:  # the layout is what runners read without cdktf: keep it true
            raise AssertionError(f"stacks built {built} differ from derived.stack_layout {planned}")

    def _add_lifecycle_stack(self, settings: StackSettings, wanted: Callable[[str], bool], log_archive=None) -> None:
        """The lifecycle stack of the management stack's or (given) the log archive's buckets, when it has one."""
        start = time.perf_counter()
        stack = add_lifecycle_stacks(self, settings, management=self.management, log_archive=log_archive, wanted=wanted)
        if stack is not None:
            self.build_seconds[stack.stack_name] = time.perf_counter() - start
            self.stacks.append(stack)

    def _timed(self, build: Callable[[], StackT]) -> StackT:
        start = time.perf_counter()
        stack = build()
        self.build_seconds[stack.stack_name] = time.perf_counter() - start
        return stack

    def deploy_order(self) -> list[str]:
        return [stack.stack_name for stack in self.stacks]


def build_app(
    loaded: LoadedEnvironment,
    options: AppOptions | None = None,
    only: frozenset[str] | None = None,
    read_only: frozenset[str] = frozenset(),
) -> LandingZoneApp:
    """The app for one validated environment (nothing is written until `.synth()`); `only`, `read_only`: see
    LandingZoneApp."""
    return LandingZoneApp(loaded, options or AppOptions(), only, read_only)


_NODE_OS_ERROR = re.compile(r"\b(E[A-Z]+): ([^,\n]+), \w+(?: '([^']*)')?")


def node_os_error(exc: BaseException, folder: Path) -> OSError | None:
    """The OSError behind a node (jsii) error such as "ENOSPC: no space left on device, write", naming
    the file node named, else `folder`; None when the error is not one of the file system's."""
    match = _NODE_OS_ERROR.search(str(exc))
    number = getattr(errno, match[1], None) if match else None
    if match is None or not isinstance(number, int):
        return None
    return OSError(number, os.strerror(number), match[3] or os.fspath(folder))


def _write_built(app: LandingZoneApp, folder: Path) -> None:
    """cdktf's synth of `app` into `folder` (its out_dir), checked, with each stack's import blocks."""
    try:
        app.synth()
    except Exception as exc:  # cdktf writes from node: its filesystem errors arrive as JavaScriptError
        os_error = node_os_error(exc, folder)
        if os_error is None:
            raise
        raise os_error from exc
    outputs = {  # one document parsed at a time: all of a part's at once held hundreds of MB at the memory peak
        s.stack_name: {
            "output": json.loads((folder / "stacks" / s.stack_name / "cdk.tf.json").read_text(encoding="utf-8")).get("output")
        }
        for s in app.stacks
    }
    check_published(outputs, app.stacks)  # no stack's JSON depends on what another stack reads from it
    for stack in app.stacks:  # import blocks as HCL beside cdk.tf.json (checkov's JSON parser fails on them)
        write_imports(stack, folder / "stacks" / stack.stack_name)


def _build_part(loaded: LoadedEnvironment, options: AppOptions, group: tuple[str, ...]) -> dict[str, float]:
    """Build `group` (with the producers it reads from) and write it to `options.out_dir`; its build seconds.
    Only `group`'s folders are kept: a management stack outside it is built in its read-only form (about a
    tenth of its resources at 1,000 accounts), which gives its readers the same references."""
    app = build_app(loaded, options, build_set(loaded, group), read_only=frozenset({MANAGEMENT}) - set(group))
    _write_built(app, Path(options.out_dir))
    return {name: app.build_seconds[name] for name in group}


def _fields(options: AppOptions) -> dict[str, Any]:
    return {f.name: getattr(options, f.name) for f in dataclasses.fields(options)}


def _parallel(loaded: LoadedEnvironment, options: AppOptions, tmp: Path, rebuilt: list[str], jobs: int) -> tuple[dict, dict]:
    """Build and write `rebuilt` in `jobs` parts, each a contiguous part of the deploy order in a folder beside
    `tmp` (same depth: relative state paths agree); their stack folders move into `tmp`. This process, which has
    cdktf loaded already, builds the first part while `jobs` - 1 worker processes build the others (a worker
    more would cost another cdktf in memory, and its import, for no core to run it on).
    Returns (build seconds by stack, manifest entry by stack)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(rebuilt) // jobs)
    groups = [tuple(rebuilt[i : i + size]) for i in range(0, len(rebuilt), size)]
    parts = [tmp.parent / f"{tmp.name}.part-{i}" for i in range(len(groups))]
    seconds: dict[str, float] = {}
    entries: dict[str, dict] = {}
    try:
        with ProcessPoolExecutor(max_workers=max(1, len(groups) - 1), mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [  # the options as fields: unpickling an AppOptions would import this module, and cdktf, first
                pool.submit(synth_part, loaded.file, {**_fields(options), "out_dir": part}, group)
                for part, group in zip(parts[1:], groups[1:])
            ]
            try:
                seconds.update(_build_part(loaded, dataclasses.replace(options, out_dir=parts[0]), groups[0]))
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
            for future in futures:
                seconds.update(future.result())
        for part, group in zip(parts, groups):
            written = json.loads((part / "manifest.json").read_text(encoding="utf-8"))
            for name in group:
                entries[name] = written["stacks"][name]
                os.replace(part / "stacks" / name, tmp / "stacks" / name)
            entries.setdefault("", {key: value for key, value in written.items() if key != "stacks"})
    finally:
        for part in parts:
            shutil.rmtree(part, ignore_errors=True)
    return seconds, entries


def _write_accounts_alone(loaded: LoadedEnvironment, options: AppOptions, accounts: list[str]) -> None:
    """Write a management stack that holds the organization, the OUs and `accounts` alone (nothing else is built:
    no other stack reads it) to `options.out_dir`, for their resources (management_splice)."""
    app = App(outdir=str(options.out_dir), stack_traces=False)
    ManagementStack(app, stack_settings(loaded, options), read_only=True, only_accounts=frozenset(accounts))
    app.synth()
