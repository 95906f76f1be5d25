"""The cdktf App of one environment: every stack, in deploy order.

    loaded = load_environment("environments/example.yaml")
    app = build_app(loaded, AppOptions(out_dir=Path("cdktf.out")))
    app.synth()          # cdktf.out/stacks/<stack>/cdk.tf.json + manifest.json

Imports cdktf (slow); only synthesizing code imports this module.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, TypeVar

from cdktf import App

from .atomic_output import atomic_folder
from .deploy_target import AWS, DeployTarget
from .derived.network_plan import NETWORK_STACK
from .derived.stack_layout import (
    AUDIT,
    DETECTIVE_GUARDRAILS,
    LOG_ARCHIVE,
    MANAGEMENT,
    MANAGEMENT_BASELINE,
    delegated_catalog_account,
    recorder_stacks,
)
from .environment import LoadedEnvironment
from .local_aws.endpoints import ENV_VAR as ENDPOINT_VAR
from .local_aws.target import local_api
from .speed.management_splice import SpliceError, splice
from .speed.synth_cache import (
    KEYS_FILE,
    OWN_FIELDS,
    SynthKeys,
    keys_document,
    merged_manifest,
    own_changes,
    read_previous,
    reusable,
    synth_keys,
    tree_digest,
)
from .stacks.audit import AuditStack
from .stacks.base import LandingZoneStack, write_imports
from .stacks.detective_guardrails import DetectiveGuardrailsStack
from .stacks.factory_accounts import build_factory_stacks
from .stacks.lifecycle import add_lifecycle_stacks
from .stacks.log_archive import LogArchiveStack
from .stacks.management import ManagementStack
from .stacks.management_baseline import ManagementBaselineStack
from .stacks.network_accounts import build_network_stacks
from .stacks.published_outputs import check_published, publish_log_archive, publish_management
from .stacks.service_catalog import add_delegated_service_catalog
from .stacks.settings import StackSettings
from .synth_worker import synth_part

ALLOW_DESTROY_VAR = "LZ_ALLOW_DESTROY"
DEFAULT_OUT = "cdktf.out"


@dataclass(frozen=True, kw_only=True)
class AppOptions:
    """Where to synthesize and which deploy target; the defaults are production-safe."""

    out_dir: Path = Path(DEFAULT_OUT)
    """Synth output folder (default cdktf.out)."""
    project_dir: Path = field(default_factory=Path.cwd)
    """Folder local state paths are relative to (default: the current folder, where cdktf.json is)."""
    target: DeployTarget = AWS
    """Where the stacks deploy: real AWS (default) or `local_aws.target.local_api(url)`."""
    allow_destroy: bool = False
    """Lift prevent_destroy on the organization, OUs and accounts (default false; for local test runs)."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None, **overrides) -> "AppOptions":
        """Options from the environment: CDKTF_OUTDIR (set by the cdktf CLI), LZ_AWS_ENDPOINT, LZ_ALLOW_DESTROY=1."""
        environ = os.environ if environ is None else environ
        endpoint = environ.get(ENDPOINT_VAR, "").strip() or None
        values: dict[str, Any] = dict(
            out_dir=Path(environ.get("CDKTF_OUTDIR") or DEFAULT_OUT),
            target=local_api(endpoint) if endpoint else AWS,
            allow_destroy=environ.get(ALLOW_DESTROY_VAR, "") == "1",
        )
        values.update(overrides)
        return cls(**values)


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


def build_set(loaded: LoadedEnvironment, wanted: Iterable[str]) -> frozenset[str]:
    """The stacks to build so that `wanted` can be written: them, the producers the others read from
    (management, log-archive, network) and, until nothing is added, the stacks of the VPCs their peerings read."""
    out = set(wanted) | {MANAGEMENT, LOG_ARCHIVE}
    if loaded.env.network is not None:
        plan = loaded.facts.network_plan
        out.add(NETWORK_STACK)
        size = 0
        while size != len(out):
            size = len(out)
            for peering in plan.peerings.values():
                if peering.stack in out:
                    out.update(plan.vpcs[side].stack for side in (peering.requester, peering.accepter))
    return frozenset(out)


@dataclass(frozen=True)
class StackSummary:
    """What one synthesized stack holds."""

    name: str
    directory: Path
    resources: int
    data_sources: int
    outputs: int
    seconds: float
    """Time to build the stack's constructs."""
    reused: bool = False
    """Copied unchanged from the previous synth (incremental), not built."""
    patched: bool = False
    """Copied from the previous synth with some accounts' resources replaced (the management stack), not built."""


@dataclass(frozen=True)
class SynthResult:
    out_dir: Path
    stacks: tuple[StackSummary, ...]
    """In deploy order."""
    synth_seconds: float
    """Time cdktf took to write every stack."""
    removed: tuple[str, ...] = ()
    """Stack folders of an earlier synth that no longer exist in the app, removed."""


def _count(block: dict | None) -> int:
    return sum(len(named) for named in (block or {}).values())


def _counts(doc: dict) -> list[int]:
    """A stack document's resources, data sources and outputs (as recorded in the keys file)."""
    return [_count(doc.get("resource")), _count(doc.get("data")), len(doc.get("output") or {})]


class _StackDocs(Mapping[str, dict]):
    """Stack name -> its parsed cdk.tf.json under `stacks_dir`, read the first time it is asked for: an incremental
    synth that keeps the manifest entries and counts of the stacks it copies reads none of them (at 1,000 accounts,
    1,000 files and 60 MB of JSON)."""

    def __init__(self, stacks_dir: Path, names: Iterable[str]) -> None:
        self._dir = stacks_dir
        self._names = list(names)
        self._known = set(self._names)
        self._read: dict[str, dict] = {}

    def __getitem__(self, name: str) -> dict:
        if name not in self._read:
            if name not in self._known:
                raise KeyError(name)
            self._read[name] = json.loads((self._dir / name / "cdk.tf.json").read_text(encoding="utf-8"))
        return self._read[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._known


_NODE_OS_ERROR = re.compile(r"\b(E[A-Z]+): ([^,\n]+), \w+(?: '([^']*)')?")


def node_os_error(exc: BaseException, folder: Path) -> OSError | None:
    """The OSError behind a node (jsii) error such as "ENOSPC: no space left on device, write", naming
    the file node named, else `folder`; None when the error is not one of the file system's."""
    match = _NODE_OS_ERROR.search(str(exc))
    number = getattr(errno, match[1], None) if match else None
    if match is None or not isinstance(number, int):
        return None
    return OSError(number, os.strerror(number), match[3] or os.fspath(folder))


def _stale_stack(stacks_dir: Path, current: set[str], removed: list[str]) -> Callable[[Path], bool]:
    """For `atomic_folder`'s carry-over: drop stack folders a previous synth wrote for stacks the app
    no longer has (recorded in `removed`).

    Only folders that hold a cdk.tf.json (written by cdktf) are dropped, so a
    stray folder of the user's survives; scanners read every stack folder.
    """

    def skip(path: Path) -> bool:
        if path.parent == stacks_dir and path.is_dir() and path.name not in current and (path / "cdk.tf.json").is_file():
            removed.append(path.name)
            return True
        return False

    return skip


def _key_options(loaded: LoadedEnvironment, options: AppOptions, out_dir: Path) -> dict[str, Any]:
    """What of the options shapes a stack's JSON (state paths are relative to the output and project folders;
    the self-service catalog reads its blueprints from the project)."""
    section = loaded.env.self_service
    blueprints = section.blueprints_dir if section is not None else None
    return {
        "target": repr(options.target),
        "allow_destroy": options.allow_destroy,
        "project_dir": os.path.abspath(options.project_dir),
        "project_from_out": os.path.relpath(os.path.abspath(options.project_dir), os.path.abspath(out_dir)),
        "blueprints": tree_digest(Path(options.project_dir) / blueprints) if blueprints else None,
    }


def _reuse_stack(previous: Path, tmp: Path) -> None:
    """Copy a reused stack's synthesized files (not terraform's working files) into the new output."""
    from .review.affected import stack_files

    for relative, source in stack_files(previous).items():
        target = tmp / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:  # a hard link: nothing writes these files in place (a patch replaces its file: `_replace_text`)
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copy2(source, target)


def _replace_text(path: Path, text: str) -> None:
    """Write `text` to `path` as a new file: `path` may be a hard link into the previous output, which must stay as
    it was until the new output replaces it."""
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")


PARALLEL_MIN_STACKS = 300
"""Fewer stacks to build than this: one process. A worker imports cdktf again and builds the producers its
part reads from; measured on 2 cores, it paid off from about 300 accounts (300: 42 s in one process, 40 s
in two; 100: 20-22 s against 31-33 s; 500: 61 s against 54 s)."""


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


class _SpliceMismatch(Exception):
    """The management stack could not be patched: the synth starts again, building it (atomic_folder drops its work)."""


def _patched_management(tmp: Path, previous: Path, accounts: list[str]) -> str | None:
    """The previous management stack's cdk.tf.json (under `previous`) with `accounts`' resources from the read-only
    build in `tmp` (management_splice); None when they do not match."""
    built = json.loads((tmp / "stacks" / MANAGEMENT / "cdk.tf.json").read_text(encoding="utf-8"))
    shutil.rmtree(tmp / "stacks" / MANAGEMENT)
    try:
        return splice((previous / MANAGEMENT / "cdk.tf.json").read_text(encoding="utf-8"), built, MANAGEMENT, accounts)
    except (SpliceError, OSError, UnicodeDecodeError, ValueError):
        return None


def _reusable_manifest_entries(
    loaded: LoadedEnvironment, out_dir: Path, copied: set[str], built: list[str], docs: Mapping[str, dict], listed: dict
) -> dict[str, dict]:
    """The review manifest entries of the copied stacks that the previous synth in `out_dir` wrote and that
    still hold (review/manifest.reusable_entries): the same stacks as before, and each rebuilt stack with
    the outputs it had (the previous synth's files are still in `out_dir`)."""
    from .review.facts import review_facts
    from .review.manifest import MANIFEST_FILE, reusable_entries

    def same_outputs(name: str) -> bool:
        try:
            before = json.loads((out_dir / "stacks" / name / "cdk.tf.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return False
        return isinstance(before, dict) and before.get("output") == docs[name].get("output")

    unchanged = set(listed) == set(docs) and all(same_outputs(name) for name in built)
    return reusable_entries(out_dir / MANIFEST_FILE, copied, unchanged, review_facts(loaded.facts), loaded.name)


def synthesize(
    loaded: LoadedEnvironment,
    options: AppOptions | None = None,
    progress: Callable[[str], None] = lambda message: None,
    incremental: bool = True,
    jobs: int = 1,
) -> SynthResult:
    """Build the app, write it to `options.out_dir` and summarize each stack.

    The output is written whole or not at all (atomic_output): cdktf writes a
    sibling temporary folder, which replaces `out_dir` only once everything,
    the review manifest included, is written; an error or a kill leaves the
    previous output as it was.

    `incremental` (default): a stack whose key (speed/synth_cache.py) is the
    one the previous synth in `out_dir` recorded is copied from there, not
    built; only the others are built, with the producers they read from.
    When only accounts' own fields changed (synth_cache.OWN_FIELDS), the
    management stack is patched from its read-only form (management_splice);
    should that not match, the synth starts again and builds it.
    `jobs` > 1 with at least PARALLEL_MIN_STACKS to build: this process and
    `jobs` - 1 workers build and write contiguous parts of them (the same bytes).
    """
    try:
        return _synthesize(loaded, options, progress, incremental, jobs, patch=True)
    except _SpliceMismatch:
        progress(f"could not patch stack {MANAGEMENT} from its read-only form: building it")
        return _synthesize(loaded, options, progress, incremental, jobs, patch=False)


def _synthesize(
    loaded: LoadedEnvironment,
    options: AppOptions | None,
    progress: Callable[[str], None],
    incremental: bool,
    jobs: int,
    patch: bool,
) -> SynthResult:
    """`synthesize`; `patch`: the management stack may be patched."""
    options = options or AppOptions()
    out_dir = Path(options.out_dir)
    order = list(loaded.facts.deploy_order)
    parts = synth_keys(loaded, _key_options(loaded, options, out_dir), delegated_catalog_account(loaded.env))
    keys = parts.stacks
    stacks_dir = out_dir / "stacks"
    reused: set[str] = set()
    recorded = SynthKeys({})  # what the previous synth recorded in its keys file (nothing: a full synth)
    listed: dict = {}
    spliced: list[str] = []  # accounts whose own fields alone changed: the management stack is patched, not built
    if incremental and (out_dir / "manifest.json").is_file():
        listed = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8")).get("stacks") or {}
        present = [name for name in order if name in listed and (stacks_dir / name / "cdk.tf.json").is_file()]
        recorded = read_previous(out_dir)  # the keys file, read once
        reused = reusable(keys, recorded.stacks, present)
        if patch and MANAGEMENT not in reused and MANAGEMENT in present:
            spliced = own_changes(parts, recorded) or []
            reused |= {MANAGEMENT} if spliced else set()
    rebuilt = [name for name in order if name not in reused]
    if spliced and jobs > 1 and len(rebuilt) >= PARALLEL_MIN_STACKS:  # the parts build no management stack to patch from
        spliced, rebuilt = [], [name for name in order if name not in reused - {MANAGEMENT}]
        reused.discard(MANAGEMENT)
    only = build_set(loaded, rebuilt) if reused else None
    removed: list[str] = []
    skip = _stale_stack(Path(os.path.abspath(out_dir)) / "stacks", set(order), removed)
    with atomic_folder(out_dir, skip=skip) as tmp:
        synth_seconds = 0.0
        built: list[str] = []
        build_seconds: dict[str, float] = {}
        entries: dict[str, dict] = {}
        start = time.perf_counter()
        if jobs > 1 and len(rebuilt) >= PARALLEL_MIN_STACKS:
            workers = f"{jobs - 1} worker{'s' if jobs > 2 else ''}"
            progress(f"building {len(rebuilt)} stacks in {jobs} processes (this one and {workers})")
            (tmp / "stacks").mkdir(parents=True, exist_ok=True)
            build_seconds, entries = _parallel(loaded, options, tmp, rebuilt, jobs)
            built = list(rebuilt)
        elif spliced and not rebuilt:  # the patched accounts' resources alone
            _write_accounts_alone(loaded, dataclasses.replace(options, out_dir=tmp), spliced)
        elif rebuilt:
            app = build_app(  # patching: the management stack in its read-only form, which has every account
                loaded, dataclasses.replace(options, out_dir=tmp), only, read_only=frozenset({MANAGEMENT} if spliced else ())
            )
            built = [stack.stack_name for stack in app.stacks if not (spliced and stack.stack_name == MANAGEMENT)]
            build_seconds = app.build_seconds
            for name in built:
                progress(f"built stack {name} ({build_seconds[name]:.2f} s)")
            start = time.perf_counter()
            _write_built(app, tmp)
            written = json.loads((tmp / "manifest.json").read_text(encoding="utf-8"))
            entries = {"": {key: value for key, value in written.items() if key != "stacks"}, **written["stacks"]}
        synth_seconds = time.perf_counter() - start
        patched = _patched_management(tmp, stacks_dir, spliced) if spliced else None
        if spliced and patched is None:  # the read-only build did not match the earlier stack: build it in full
            raise _SpliceMismatch
        for name in sorted(reused - set(built)):
            _reuse_stack(stacks_dir / name, tmp / "stacks" / name)
        if patched is not None:
            _replace_text(tmp / "stacks" / MANAGEMENT / "cdk.tf.json", patched)
            count = f"{len(spliced)} account{'s' if len(spliced) != 1 else ''}"
            progress(f"patched stack {MANAGEMENT}: the own fields ({', '.join(OWN_FIELDS)}) of {count} changed, nothing else")
        if reused:
            copies = len(reused) - (1 if spliced else 0)
            progress(f"reused {copies} unchanged stacks of {out_dir}, built {len(built)}{', patched 1' if spliced else ''}")
        if reused or jobs > 1 and len(rebuilt) >= PARALLEL_MIN_STACKS:  # cdktf's manifest.json lacks stacks: merge
            previous = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8")) if reused else {"stacks": {}}
            top = entries.pop("", None) or {key: value for key, value in previous.items() if key != "stacks"}
            stacks = {**previous["stacks"], **{name: entries[name] for name in rebuilt}}
            (tmp / "manifest.json").write_text(
                merged_manifest(
                    top,
                    stacks,
                    order,
                    DETECTIVE_GUARDRAILS,
                    rebuilt,
                    recorder_stacks(n for n in order if n != DETECTIVE_GUARDRAILS),
                ),
                encoding="utf-8",
            )
        docs = _StackDocs(tmp / "stacks", order)
        known = recorded.counts
        counts = {
            name: known[name] if name in reused and name not in built and name in known else _counts(docs[name]) for name in order
        }  # a patched management stack has the counts it had: only tags changed
        (tmp / KEYS_FILE).write_text(keys_document(keys, parts, counts), encoding="utf-8")
        from .review.manifest import MANIFEST_FILE, keep_unchanged_manifest, write_manifest  # plan review's

        # A patched management stack keeps its entries too: only account resources' own fields (tags) changed, and
        # attribution reads an account's name and OU, not its tags (tests/synth/test_management_splice.py).
        copied = reused - set(built)
        kept = copied == set(order) and keep_unchanged_manifest(tmp, loaded, docs, out_dir / MANIFEST_FILE)
        if not kept:
            reuse = _reusable_manifest_entries(loaded, out_dir, copied, built, docs, listed) if copied else None
            write_manifest(tmp, loaded, docs, reuse)  # docs: each stack parsed once, if at all
    progress(f"wrote the review manifest {out_dir / MANIFEST_FILE}")
    summaries = []
    for name in order:
        resources, data_sources, outputs = counts[name]
        summaries.append(
            StackSummary(
                name,
                out_dir / "stacks" / name,
                resources,
                data_sources,
                outputs,
                build_seconds.get(name, 0.0),
                reused=name in reused and name not in built and not (spliced and name == MANAGEMENT),
                patched=bool(spliced) and name == MANAGEMENT,
            )
        )
    return SynthResult(out_dir, tuple(summaries), synth_seconds, tuple(removed))
