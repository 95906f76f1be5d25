"""The checkov gate: check the input, run checkov, build the result.

`scan()` raises ScanInputError for input it cannot scan (exit 2 in the CLI);
otherwise the result's `passed` says whether the gate opens (no failed check and
no file checkov could not read).
"""

from __future__ import annotations

from pathlib import Path

from ..output_paths import OutputPathError, check_output_file
from . import checkov_config
from .check_support import LIMIT_ENV_VARS, limit_problems
from .checkov_runner import CheckovFailed, run_checkov
from .report import ScanResult, build
from .stacks import read_stacks


class ScanInputError(Exception):
    """Input the gate cannot scan; the message says what and how to fix it."""


def scan(
    directory: str | Path, config: str | None = None, sarif: str | Path | None = None, limits: dict[str, int] | None = None
) -> ScanResult:
    """Scan the synthesized output in `directory`.

    `limits` (quota name -> value, e.g. from an environment's `limits:`) is passed
    to the custom checks through LZ_SCP_SIZE_LIMIT / LZ_SCPS_PER_TARGET."""
    root = Path(directory)
    if sarif:
        try:
            check_output_file(sarif, make_parents=True, what="SARIF report")  # before checkov runs for a minute
        except OutputPathError as exc:
            raise ScanInputError(str(exc)) from None
    if not root.is_dir():
        raise ScanInputError(f"{root}: no such directory (synthesize first: lz synth ENV_FILE --out {root})")
    stacks = read_stacks(root)
    if not stacks:
        raise ScanInputError(f"{root}: no *.tf.json files to scan (is this a cdktf.out folder?)")
    problems = [f"{s.path}: {p}" for s in stacks for p in s.problems] + limit_problems()
    try:
        cfg = checkov_config.read(checkov_config.locate(config))
    except ValueError as exc:
        problems.append(str(exc))
        cfg = None
    if cfg is not None and cfg.unexplained_skips:
        problems.append(
            f"{cfg.path}: every skip-check needs its reason as a comment on its line; "
            f"missing for {', '.join(cfg.unexplained_skips)}"
        )
    if problems:
        raise ScanInputError("\n".join(problems))
    assert cfg is not None  # a config that could not be read is one of the problems raised above
    env = {LIMIT_ENV_VARS[name]: str(value) for name, value in (limits or {}).items() if name in LIMIT_ENV_VARS}
    sarif_path = Path(sarif) if sarif else None
    try:
        run = run_checkov(root, cfg, sarif=sarif_path, extra_env=env)
    except CheckovFailed as exc:
        raise ScanInputError(str(exc)) from exc
    return build(root, stacks, run.report, cfg, run.seconds, sarif_path)
