"""Synthesize an environment: what the previous output lets a synth copy or patch, and what it must build.

Pure Python until a stack must be built: then `ready()` is called (the command's background load of cdktf
joins there: app/binding_preload.py) and app.build is imported. The copies, the keys and the manifest of a
synth that builds nothing, or little, are done before that, while cdktf loads.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from ..atomic_output import atomic_folder
from ..derived.account_tags import account_tags
from ..derived.stack_layout import DETECTIVE_GUARDRAILS, MANAGEMENT, delegated_catalog_account, recorder_stacks
from ..environment import LoadedEnvironment
from ..speed.management_splice import SpliceError, retag, splice
from ..speed.synth_cache import (
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
from .options import AppOptions
from .stack_sets import build_set


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
    from ..review.affected import stack_files

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


class _SpliceMismatch(Exception):
    """The management stack could not be patched: the synth starts again, building it (atomic_folder drops its work)."""


def _earlier_text(path: Path) -> str | None:
    """The previous output's file `path`, None when unreadable (the patch then does not match: the stack is built)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _retagged_management(loaded: LoadedEnvironment, previous: str | None, accounts: list[str]) -> str | None:
    """The previous management stack's cdk.tf.json (its text `previous`) with `accounts`' new tags written in place
    (management_splice.retag), without a build; None when that cannot be done (an account gains or loses all its
    tags: it is patched from a build)."""
    if previous is None:
        return None
    by_name = {account.name: account for account in loaded.env.accounts}
    tags = {name: account_tags(by_name[name].tags, by_name[name].close_on_deletion) for name in accounts}
    try:
        return retag(previous, MANAGEMENT, tags)
    except (SpliceError, ValueError, KeyError):
        return None


def _patched_management(tmp: Path, previous: str | None, accounts: list[str]) -> str | None:
    """The previous management stack's cdk.tf.json (its text `previous`) with `accounts`' resources from the read-only
    build in `tmp` (management_splice); None when they do not match."""
    built = json.loads((tmp / "stacks" / MANAGEMENT / "cdk.tf.json").read_text(encoding="utf-8"))
    shutil.rmtree(tmp / "stacks" / MANAGEMENT)
    if previous is None:
        return None
    try:
        return splice(previous, built, MANAGEMENT, accounts)
    except (SpliceError, ValueError):
        return None


def _reusable_manifest_entries(
    loaded: LoadedEnvironment, out_dir: Path, copied: set[str], built: list[str], docs: Mapping[str, dict], listed: dict
) -> dict[str, dict]:
    """The review manifest entries of the copied stacks that the previous synth in `out_dir` wrote and that
    still hold (review/manifest.reusable_entries): the same stacks as before, and each rebuilt stack with
    the outputs it had (the previous synth's files are still in `out_dir`)."""
    from ..review.facts import review_facts
    from ..review.manifest import MANIFEST_FILE, reusable_entries

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
    ready: Callable[[], None] = lambda: None,
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
    management stack is patched: the new tags written in place when each
    account keeps some (management_splice.retag), else from its read-only
    form built with those accounts (splice); should that not match, the synth
    starts again and builds it.
    `jobs` > 1 with at least PARALLEL_MIN_STACKS to build: this process and
    `jobs` - 1 workers build and write contiguous parts of them (the same bytes).
    `ready`: called once before cdktf is first needed (app.build), after the
    copies and, when nothing else is built, the keys and the manifest; not at
    all when nothing is built (a tag edit's new tags are written in place).
    """
    try:
        return _synthesize(loaded, options, progress, incremental, jobs, ready, patch=True)
    except _SpliceMismatch:
        progress(f"could not patch stack {MANAGEMENT} from its read-only form: building it")
        return _synthesize(loaded, options, progress, incremental, jobs, ready, patch=False)


def _build_module(ready: Callable[[], None]):
    """app.build (cdktf), once `ready()` returned."""
    ready()
    from . import build

    return build


def _synthesize(
    loaded: LoadedEnvironment,
    options: AppOptions | None,
    progress: Callable[[str], None],
    incremental: bool,
    jobs: int,
    ready: Callable[[], None],
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
    previous_manifest: dict | None = None  # cdktf's manifest.json of the previous synth, read once
    listed: dict = {}
    spliced: list[str] = []  # accounts whose own fields alone changed: the management stack is patched, not built
    if incremental and (out_dir / "manifest.json").is_file():
        previous_manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        listed = previous_manifest.get("stacks") or {}
        present = [name for name in order if name in listed and (stacks_dir / name / "cdk.tf.json").is_file()]
        recorded = read_previous(out_dir)  # the keys file, read once
        reused = reusable(keys, recorded.stacks, present)
        if patch and MANAGEMENT not in reused and MANAGEMENT in present:
            spliced = own_changes(parts, recorded) or []
            reused |= {MANAGEMENT} if spliced else set()
    rebuilt = [name for name in order if name not in reused]
    parallel = jobs > 1 and len(rebuilt) >= PARALLEL_MIN_STACKS
    if spliced and parallel:  # the parts build no management stack to patch from
        spliced, rebuilt = [], [name for name in order if name not in reused - {MANAGEMENT}]
        reused.discard(MANAGEMENT)
        parallel = len(rebuilt) >= PARALLEL_MIN_STACKS
    only = build_set(loaded, rebuilt) if reused else None
    # What cdktf writes (the app checks its stacks are these): the rest is copied from the previous output
    if parallel:
        built = list(rebuilt)
    elif rebuilt:
        built = [name for name in order if (only is None or name in only) and not (spliced and name == MANAGEMENT)]
    else:
        built = []
    copied = reused - set(built)  # a patched management stack among them
    removed: list[str] = []
    skip = _stale_stack(Path(os.path.abspath(out_dir)) / "stacks", set(order), removed)
    with atomic_folder(out_dir, skip=skip) as tmp:
        # Copies first (pure Python, while a command's background load of cdktf runs): cdktf adds its folders
        for name in sorted(copied - ({MANAGEMENT} if spliced else set())):
            _reuse_stack(stacks_dir / name, tmp / "stacks" / name)
        known = recorded.counts
        counts: dict[str, list[int]] = {name: known[name] for name in order if name in copied and name in known}
        docs = _StackDocs(tmp / "stacks", order)

        def write_keys() -> bool:
            """The keys file; True when the earlier review manifest was written again (every stack copied)."""
            (tmp / KEYS_FILE).write_text(keys_document(keys, parts, counts), encoding="utf-8")
            return copied == set(order) and _keep_manifest(tmp, loaded, docs, out_dir)

        kept = False
        if not built and set(counts) == set(order):  # nothing to build: the manifests and keys now, while cdktf loads
            _merge_cdktf_manifest(tmp, previous_manifest, {}, rebuilt, order)
            kept = write_keys()
        build_seconds: dict[str, float] = {}
        entries: dict[str, dict] = {}
        # The tags alone changed: written in place without a build when they can be (no cdktf at all)
        earlier = _earlier_text(stacks_dir / MANAGEMENT / "cdk.tf.json") if spliced else None  # read once for either patch
        patched = _retagged_management(loaded, earlier, spliced) if spliced and not rebuilt else None
        build = _build_module(ready) if parallel or rebuilt or (spliced and patched is None) else None  # cdktf
        retagged = patched is not None
        start = time.perf_counter()
        if build is None:
            pass
        elif parallel:
            workers = f"{jobs - 1} worker{'s' if jobs > 2 else ''}"
            progress(f"building {len(rebuilt)} stacks in {jobs} processes (this one and {workers})")
            (tmp / "stacks").mkdir(parents=True, exist_ok=True)
            build_seconds, entries = build._parallel(loaded, options, tmp, rebuilt, jobs)
        elif spliced and not rebuilt:  # the patched accounts' resources alone
            build._write_accounts_alone(loaded, dataclasses.replace(options, out_dir=tmp), spliced)
        else:
            app = build.build_app(  # patching: the management stack in its read-only form, which has every account
                loaded, dataclasses.replace(options, out_dir=tmp), only, read_only=frozenset({MANAGEMENT} if spliced else ())
            )
            if [stack.stack_name for stack in app.stacks if not (spliced and stack.stack_name == MANAGEMENT)] != built:
                raise AssertionError(f"stacks built {[s.stack_name for s in app.stacks]} differ from those planned {built}")
            build_seconds = app.build_seconds
            for name in built:
                progress(f"built stack {name} ({build_seconds[name]:.2f} s)")
            start = time.perf_counter()
            build._write_built(app, tmp)
            written = json.loads((tmp / "manifest.json").read_text(encoding="utf-8"))
            entries = {"": {key: value for key, value in written.items() if key != "stacks"}, **written["stacks"]}
        synth_seconds = time.perf_counter() - start
        if spliced:
            if patched is None:
                patched = _patched_management(tmp, earlier, spliced)
            if patched is None:  # the read-only build did not match the earlier stack: build it in full
                raise _SpliceMismatch
            _reuse_stack(stacks_dir / MANAGEMENT, tmp / "stacks" / MANAGEMENT)
            _replace_text(tmp / "stacks" / MANAGEMENT / "cdk.tf.json", patched)
            count = f"{len(spliced)} account{'s' if len(spliced) != 1 else ''}"
            how = "new tags written in place, nothing built" if retagged else "from a build of those accounts alone"
            progress(
                f"patched stack {MANAGEMENT}: the own fields ({', '.join(OWN_FIELDS)}) of {count} changed, nothing else ({how})"
            )
        if reused:
            copies = len(reused) - (1 if spliced else 0)
            progress(f"reused {copies} unchanged stacks of {out_dir}, built {len(built)}{', patched 1' if spliced else ''}")
        if (reused or parallel) and built:  # cdktf's manifest.json lacks stacks: merge
            _merge_cdktf_manifest(tmp, previous_manifest if reused else None, entries, rebuilt, order)
        elif not built and (build is not None or not (tmp / "manifest.json").is_file()):  # again: the patch's build wrote its own
            _merge_cdktf_manifest(tmp, previous_manifest, {}, rebuilt, order)
        if not (tmp / KEYS_FILE).is_file():
            # a patched management stack has the counts it had: only tags changed
            counts = {name: counts[name] if name in counts else _counts(docs[name]) for name in order}
            kept = write_keys()
        if not kept:
            from ..review.manifest import write_manifest  # plan review's

            reuse = _reusable_manifest_entries(loaded, out_dir, copied, built, docs, listed) if copied else None
            write_manifest(tmp, loaded, docs, reuse)  # docs: each stack parsed once, if at all
    from ..review.manifest import MANIFEST_FILE

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
                reused=name in copied and not (spliced and name == MANAGEMENT),
                patched=bool(spliced) and name == MANAGEMENT,
            )
        )
    return SynthResult(out_dir, tuple(summaries), synth_seconds, tuple(removed))


def _merge_cdktf_manifest(
    tmp: Path, previous: dict | None, entries: dict[str, dict], rebuilt: list[str], order: list[str]
) -> None:
    """cdktf's manifest.json in `tmp`, of every stack: the entries of the previous synth's (`previous`, parsed; None:
    a full synth) with those of the stacks built (`entries`, by name; "": its top-level fields), in deploy order."""
    previous = previous if previous is not None else {"stacks": {}}
    top = entries.pop("", None) or {key: value for key, value in previous.items() if key != "stacks"}
    stacks = {**previous["stacks"], **{name: entries[name] for name in rebuilt}}
    recorders = recorder_stacks(n for n in order if n != DETECTIVE_GUARDRAILS)
    (tmp / "manifest.json").write_text(
        merged_manifest(top, stacks, order, DETECTIVE_GUARDRAILS, rebuilt, recorders), encoding="utf-8"
    )


def _keep_manifest(tmp: Path, loaded: LoadedEnvironment, docs: Mapping[str, dict], out_dir: Path) -> bool:
    """The earlier review manifest written again (review.manifest.keep_unchanged_manifest), for a synth that copied
    or patched every stack. A patched management stack keeps its entries too: only account resources' own fields
    (tags) changed, and attribution reads an account's name and OU, not its tags
    (tests/synth/test_management_splice.py)."""
    from ..review.manifest import MANIFEST_FILE, keep_unchanged_manifest

    return keep_unchanged_manifest(tmp, loaded, docs, out_dir / MANIFEST_FILE)
