"""`lz`: entry point that discovers the subcommands in cli/commands/.

A command is one module, `cli/commands/<name>.py` for `lz <name>` (a dash in
the name is an underscore in the file: `lz plan-review` is
`plan_review.py`), with `NAME`, `HELP`, `ORDER` (its place in `lz --help`),
`add_arguments(parser)` and `run(args) -> int`. Adding a command is adding
such a file; nothing else lists it. `lz <name> ...` imports that one
module; only `lz --help`, `lz --version` and a mistyped command import them
all (to list them).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from ..config.problems import ConfigError
from ..fs_errors import EXIT_FS, FsError, describe
from ..interrupts import Interrupted, ending, exit_code_for
from ..live.endpoint import AwsReadError
from ..render import print_problems
from ..run_lock import EXIT_BUSY, RunLockBusy, configure
from . import commands


def _command_names() -> list[str]:
    """The command modules' names (file stems), without importing them."""
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__))


def _command_module(stem: str):
    module = importlib.import_module(f"{commands.__name__}.{stem}")
    return module if hasattr(module, "NAME") else None


def _command_modules(only: str | None = None):
    """Every command's module, or only that of command `only` when it has one (see the module's doc)."""
    stems = _command_names()
    if only is not None and only.replace("-", "_") in stems:
        module = _command_module(only.replace("-", "_"))
        if module is not None and module.NAME == only:
            yield module
            return
    for stem in stems:
        module = _command_module(stem)
        if module is not None:
            yield module


class _Version(argparse.Action):
    """`lz --version`: the package and the date of the IAM policy data it validates against."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="print the version and the policy data's date, then exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from .. import __version__
        from ..policy_reference.database import DatabaseError, database

        try:
            data = database().describe()
        except DatabaseError as exc:
            data = f"no IAM policy data: {exc}"
        print(f"lz {__version__}; policies checked against the {data}")
        parser.exit(0)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of `command` alone when it is one (what `main` parses it with)."""
    parser = argparse.ArgumentParser(prog="lz", description="AWS landing zone from one YAML file per environment.")
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in sorted(_command_modules(command), key=lambda m: getattr(m, "ORDER", 50)):
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv[0] if argv and not argv[0].startswith("-") else None
    args = build_parser(command).parse_args(argv)
    configure(args.command, bool(getattr(args, "wait", False)))  # the writers' run locks name the command
    try:
        return int(args._run(args) or 0)
    except ConfigError as exc:
        print_problems(exc.problems, getattr(args, "format", "text"))
        return 2
    except FsError as exc:  # OutputPathError included: one line naming the path and the OS reason
        print(f"lz {args.command}: {exc}", file=sys.stderr)
        return EXIT_FS
    except AwsReadError as exc:  # adopt, preflight, dashboard: a bad endpoint (2) or an AWS error (1)
        print(f"lz {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except RunLockBusy as exc:
        print(f"lz {args.command}: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except (KeyboardInterrupt, Interrupted) as exc:
        ending()  # a second signal arriving now (Ctrl-C twice) keeps the exit code
        code = exit_code_for(exc)
        print(f"lz {args.command}: interrupted ({'SIGTERM' if code == 143 else 'SIGINT'}); exit {code}", file=sys.stderr)
        return code
    except BrokenPipeError:
        # `lz ... | head` closed the pipe: not an error of ours; keep Python
        # from complaining again while it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        # A filesystem error (a full disk, a read-only folder) no command turned into a message:
        # still one line, exit 2.
        print(f"lz {args.command}: {describe(exc)}", file=sys.stderr)
        return EXIT_FS


if __name__ == "__main__":  # pragma: no cover
    from .entry import run  # `python -m landing_zone.cli.main` behaves as `lz`

    sys.exit(run())
