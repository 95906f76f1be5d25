"""Run several Prowler scans side by side from one start-up (the audit virtualenv's python runs this file).

Where Prowler's time went on the local API (cProfile of one CIS 3.0 run, 2 regions, 2-core machine at load 20,
README "What an auditor sees"): over half was start-up that does not depend on the account scanned. Its
argument parser imports every provider (some 20 s), and it loads every compliance framework of every provider
and matches each check against each requirement (some 100 s), although the run reads one framework. Three
accounts in three processes paid that three times on two cores.

This launcher pays it once: it imports Prowler and builds the parser, loads the checks' metadata, the AWS
compliance frameworks and the universal ones, then forks one child per scan. The children share that work
(copy-on-write) and run Prowler's own entry point with their own arguments, output and log file, in parallel.
Prowler's code is not changed: the three loaders Prowler's main calls answer with what the parent loaded.

    python prowler_fork.py SCANS_JSON   # [{"name": ..., "argv": [...], "log": path}, ...]; prints JSON results
"""

from __future__ import annotations

import json
import os
import sys
import time


def _compliance(scans: list[dict]) -> set[str]:
    """The frameworks the scans ask for (`--compliance`); empty: not every scan names its frameworks."""
    wanted: set[str] = set()
    for scan in scans:
        argv = scan["argv"]
        if "--compliance" not in argv:
            return set()
        rest = argv[argv.index("--compliance") + 1 :]
        wanted.update(rest[: next((i for i, a in enumerate(rest) if a.startswith("-")), len(rest))])
    return wanted


def _preload(wanted: set[str]) -> None:
    """Import Prowler and load, once, what every scan's start-up loads again (pinned Prowler 5.46). With `wanted`,
    only those frameworks are matched against the checks (the rest of Prowler's hundred-odd are never read)."""
    import prowler.__main__ as main
    from prowler.lib.check.compliance import update_checks_metadata_with_compliance
    from prowler.lib.check.compliance_models import Compliance, get_bulk_compliance_frameworks_universal
    from prowler.lib.check.models import CheckMetadata
    from prowler.lib.cli.parser import ProwlerArgumentParser

    ProwlerArgumentParser()  # imports every provider's argument module
    frameworks = {k: v for k, v in Compliance.get_bulk("aws").items() if not wanted or k in wanted}
    metadata = update_checks_metadata_with_compliance(frameworks, CheckMetadata.get_bulk("aws"))
    universal = {k: v for k, v in get_bulk_compliance_frameworks_universal("aws").items() if not wanted or k in wanted}
    main.update_checks_metadata_with_compliance = lambda _frameworks, _metadata: metadata  # type: ignore[attr-defined]
    main.get_bulk_compliance_frameworks_universal = lambda _provider: universal  # type: ignore[attr-defined]
    Compliance.get_bulk = staticmethod(lambda _provider: frameworks)  # type: ignore[method-assign]


def _child(argv: list[str], log: str) -> None:
    import prowler.__main__ as main

    handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(handle, 1)
    os.dup2(handle, 2)
    sys.argv = ["prowler", *argv]
    code = 0
    try:
        main.prowler()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:  # noqa: BLE001  # the child's traceback goes to its log; the parent reports the exit
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str]) -> int:
    scans = json.loads(argv[0])
    started = time.monotonic()
    _preload(_compliance(scans))
    preload = round(time.monotonic() - started, 1)
    children = {}
    for scan in scans:
        pid = os.fork()
        if pid == 0:
            _child(scan["argv"], scan["log"])
        children[pid] = scan["name"]
    results = {"preload_seconds": preload, "scans": {}}
    while children:
        pid, status = os.wait()
        name = children.pop(pid)
        results["scans"][name] = {"exit": os.waitstatus_to_exitcode(status), "seconds": round(time.monotonic() - started, 1)}
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
