"""Run the synthesizing commands under `python -O`.

The AWS provider binding checks every argument of every constructor and
property at run time (`typing.get_type_hints` plus typeguard, generated under
`if __debug__:`). At 1,000 accounts those checks were a quarter of the synth's
Python time; `python -O` compiles them out and writes byte-identical stacks
(the tests synthesize with the checks on, so a wrong argument type still
fails there). LZ_PYTHON_CHECKS=1 (or LZ_SPEED_OFF=optimized_python) keeps them
on, e.g. while writing a construct.

-O reads its own bytecode files (*.opt-1.pyc). Where Python may not write
bytecode (PYTHONDONTWRITEBYTECODE, a read-only install) and `make setup` has
not written them, -O would compile the binding's large modules on every run,
which costs more than the checks; then the command runs as it is.

Pure Python: imported by `lz` and main.py before anything slow.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Optional

from . import switched_off

CHECKS_VAR = "LZ_PYTHON_CHECKS"
SYNTHESIZING_COMMANDS = frozenset({"synth", "deploy", "affected", "plan", "drift"})
"""The `lz` commands that load cdktf (cli/entry.py reruns them)."""
BINDING = "cdktf_cdktf_provider_aws"
SENTINEL_MODULE = ("vpc", "__init__.py")
"""A binding module every synth imports: its -O bytecode stands for the rest."""


def _sentinel_source() -> Optional[Path]:
    spec = importlib.util.find_spec(BINDING)  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).joinpath(*SENTINEL_MODULE)


def optimized_bytecode_ready() -> bool:
    """True when `python -O` will not have to compile the binding on every run."""
    source = _sentinel_source()
    if source is None or not source.is_file():
        return False
    cache = Path(importlib.util.cache_from_source(str(source), optimization=1))
    if cache.is_file():
        return True
    # Not there yet: the first -O run writes it, if Python may and can.
    return not sys.dont_write_bytecode and os.access(cache.parent if cache.parent.is_dir() else source.parent, os.W_OK)


def optimized_argv(environ=None) -> Optional[list[str]]:
    """The command line that runs this process again under -O, or None to go on as it is."""
    environ = os.environ if environ is None else environ
    if (
        not __debug__
        or environ.get(CHECKS_VAR, "") == "1"
        or switched_off("optimized_python", environ)
        or not optimized_bytecode_ready()
    ):
        return None
    # orig_argv keeps the interpreter's own options and `-m module`; the script path is absolute or
    # relative to the same working folder, which exec keeps.
    return [sys.executable, "-O", *sys.orig_argv[1:]]


def type_checks_note() -> str:
    """For progress lines: whether this process checks the binding's argument types."""
    return "type checks on" if __debug__ else f"type checks off: python -O, {CHECKS_VAR}=1 keeps them"


def rerun_optimized() -> None:
    """Replace this process with the same command under `python -O` when that pays (returns otherwise)."""
    argv = optimized_argv()
    if argv is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)
