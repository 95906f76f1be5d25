"""`lz`: entry point that discovers the subcommands in cli/commands/."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from ..config.problems import ConfigError
from ..fs_errors import EXIT_FS, FsError, describe
from ..interrupts import Interrupted, exit_code_for
from ..render import print_problems
from ..run_lock import EXIT_BUSY, RunLockBusy
from . import commands


def _command_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(module, "NAME"):
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lz", description="AWS landing zone from one YAML file per environment.")
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in sorted(_command_modules(), key=lambda m: getattr(m, "ORDER", 50)):
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except ConfigError as exc:
        print_problems(exc.problems, getattr(args, "format", "text"))
        return 2
    except FsError as exc:  # OutputPathError included: one line naming the path and the OS reason
        print(f"lz {args.command}: {exc}", file=sys.stderr)
        return EXIT_FS
    except RunLockBusy as exc:
        print(f"lz {args.command}: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except (KeyboardInterrupt, Interrupted) as exc:
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
