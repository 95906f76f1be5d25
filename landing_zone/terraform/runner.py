"""Run the terraform binary in one synthesized stack folder.

Each method runs one terraform command with `-input=false -no-color`,
reports progress on stderr (through `progress`), keeps the full output in
`<stack>/.terraform-<command>.log` and raises TerraformError, whose message
ends with the tail of terraform's output, when the command fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import interrupts
from .cli_config import terraform_env

TAIL_LINES = 25
_DONE = re.compile(r"^(?P<address>\S+): (?P<what>Creation|Modifications|Destruction) complete after")
_VERB = {"Creation": "created", "Modifications": "changed", "Destruction": "destroyed"}
_SUMMARY = re.compile(r"^(Apply complete!|Destroy complete!|Plan:|No changes\.).*")
_STILL = re.compile(r"^(?P<address>\S+): Still (?P<what>creating|modifying|destroying|reading)\.\.\.")


@dataclass(frozen=True)
class Event:
    """What a (not quiet) terraform command reports as it runs, for a `Terraform.listener`."""

    stack: str
    command: str
    kind: str
    """start; line (each line of terraform's output); resource (one done: `verb` and `address`); still
    (terraform waits on `address`); done (`seconds`, `summary`)."""
    text: str = ""
    """line: the line; resource and still: the address."""
    summary: str = ""
    """done: terraform's summary line (may be empty)."""
    verb: str = ""
    """resource: created, changed or destroyed."""
    seconds: float = 0.0


@dataclass
class LineProgress:
    """The default listener: a line when a command starts and when it is done, and one per resource done;
    `verbose`: every line of terraform's output instead of the resource lines."""

    say: Callable[[str], None]
    verbose: bool = False
    _done: dict = field(default_factory=dict)

    def __call__(self, event: Event) -> None:
        name = event.stack
        if event.kind == "start":
            self._done[(name, event.command)] = 0
            self.say(f"[{name}] terraform {event.command} ...")
        elif event.kind == "line" and self.verbose:
            self.say(f"[{name}]   {event.text}")
        elif event.kind == "resource" and not self.verbose:
            count = self._done[(name, event.command)] = self._done.get((name, event.command), 0) + 1
            self.say(f"[{name}]   {count:>3} {event.verb} {event.text}")
        elif event.kind == "done":
            summary = f": {event.summary}" if event.summary else ""
            self.say(f"[{name}] terraform {event.command} done in {event.seconds:.1f} s{summary}")


class TerraformError(RuntimeError):
    """A terraform command failed, or terraform is missing (message for people)."""


def find_terraform(binary: str | None = None) -> str:
    found = shutil.which(binary or "terraform")
    if not found:
        raise TerraformError(
            "terraform is not installed or not on PATH: install Terraform >= 1.6 "
            "(https://developer.hashicorp.com/terraform/install) and retry"
        )
    return found


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _stop(proc: subprocess.Popen) -> None:
    """Ask terraform to stop (SIGINT), then end its whole process group if it does not within 30 s."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # provider plugins share terraform's group
    proc.wait()


@dataclass
class Result:
    """What one terraform command did."""

    command: str
    returncode: int
    seconds: float
    output: str
    summary: str = ""


@dataclass
class Terraform:
    """terraform commands for one stack folder (`cdktf.out/stacks/<name>`)."""

    directory: Path
    env: dict | None = None
    progress: Callable[[str], None] = stderr_progress
    verbose: bool = False
    binary: str | None = None
    timings: dict = field(default_factory=dict)
    listener: Callable[[Event], None] | None = None
    """Gets every Event of the commands that are not quiet; default LineProgress(progress, verbose)."""

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)
        self.name = self.directory.name
        if self.listener is None:
            self.listener = LineProgress(self.progress, self.verbose)
        self._binary = find_terraform(self.binary)
        self._env = terraform_env(self.env)

    # -- commands ---------------------------------------------------------
    def init(self) -> Result:
        return self._run("init", ["init", "-input=false", "-no-color"])

    def validate(self) -> Result:
        return self._run("validate", ["validate", "-no-color"])

    def plan(self, destroy: bool = False) -> Result:
        """`plan -detailed-exitcode`: returncode 0 = no changes, 2 = changes."""
        args = ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-lock-timeout=60s"]
        return self._run("plan", args + (["-destroy"] if destroy else []), ok_codes=(0, 2))

    def apply(self) -> Result:
        return self._run("apply", ["apply", "-input=false", "-no-color", "-auto-approve", "-lock-timeout=60s"])

    def destroy(self, refresh: bool = True) -> Result:
        args = ["destroy", "-input=false", "-no-color", "-auto-approve", "-lock-timeout=60s"]
        return self._run("destroy", args + ([] if refresh else ["-refresh=false"]))

    def plan_to(self, plan_file: Path, *, destroy: bool = False, refresh_only: bool = False) -> Result:
        """`plan -detailed-exitcode -out=PLAN_FILE` (returncode 0: no changes, 2: changes), for `apply_saved`;
        `refresh_only`: what changed outside terraform (`lz drift`)."""
        args = [
            "plan",
            "-input=false",
            "-no-color",
            "-detailed-exitcode",
            "-lock-timeout=60s",
            f"-out={Path(plan_file).resolve()}",
        ]
        args += (["-destroy"] if destroy else []) + (["-refresh-only"] if refresh_only else [])
        return self._run("plan", args, ok_codes=(0, 2))

    def show_plan(self, plan_file: Path) -> dict:
        """`show -json PLAN_FILE`: the saved plan as `lz plan-review` reads it."""
        return json.loads(self._run("show", ["show", "-json", "-no-color", str(Path(plan_file).resolve())], quiet=True).output)

    def apply_saved(self, plan_file: Path) -> Result:
        """`apply PLAN_FILE`: exactly the reviewed plan (terraform refuses it when the state moved since: stale)."""
        return self._run("apply", ["apply", "-input=false", "-no-color", "-lock-timeout=60s", str(Path(plan_file).resolve())])

    def state_pull(self) -> dict:
        """The raw state (`terraform state pull`, any backend); empty when there is none."""
        result = self._run("state", ["state", "pull"], ok_codes=(0, 1), quiet=True)
        try:
            return json.loads(result.output) if result.returncode == 0 and result.output.strip() else {}
        except ValueError:
            return {}

    def untaint(self, address: str) -> Result:
        return self._run("untaint", ["untaint", "-no-color", "-lock-timeout=60s", address])

    def import_resource(self, address: str, resource_id: str) -> Result:
        """`terraform import ADDRESS ID`: record an existing resource in the state."""
        args = ["import", "-input=false", "-no-color", "-lock-timeout=60s", address, resource_id]
        return self._run("import", args)

    def plan_json(self, *extra: str) -> dict:
        """`plan -out` then `show -json` of that plan: what `lz plan-review` reads (lock-free: read-only)."""
        plan_file = self.directory / "lz.tfplan"
        try:
            self._run("plan", ["plan", "-input=false", "-no-color", "-lock=false", f"-out={plan_file.name}", *extra])
            return json.loads(self._run("show", ["show", "-json", "-no-color", plan_file.name], quiet=True).output)
        finally:
            plan_file.unlink(missing_ok=True)

    def show_json(self) -> dict:
        """The state as `terraform show -json` (empty dict when there is none)."""
        text = self._run("show", ["show", "-json", "-no-color"], quiet=True).output
        return json.loads(text) if text.strip() else {}

    def output_json(self) -> dict:
        """Outputs as {name: value} (sensitive values included: they are ours)."""
        text = self._run("output", ["output", "-json", "-no-color"], quiet=True).output
        return {k: v.get("value") for k, v in (json.loads(text) if text.strip() else {}).items()}

    # -- machinery --------------------------------------------------------
    def _run(self, command: str, args: list[str], ok_codes=(0,), quiet: bool = False) -> Result:
        if not self.directory.is_dir():
            raise TerraformError(f"{self.directory}: no such stack folder (run `lz synth` first)")
        listen = None if quiet else self.listener
        if listen is not None:
            listen(Event(self.name, command, "start"))
        start = time.monotonic()
        lines: list[str] = []
        stderr_lines: list[str] = []
        # A session of its own: a terminal's Ctrl-C reaches terraform once, passed on by
        # interrupts.graceful (a second SIGINT would make terraform abort without saving state).
        proc = interrupts.popen(
            [self._binary, *args],
            cwd=self.directory,
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        stdout, stderr = proc.stdout, proc.stderr
        assert stdout is not None and stderr is not None  # both are PIPE above
        # stderr in a thread so neither pipe can fill up and block terraform.
        reader = threading.Thread(target=lambda: stderr_lines.extend(stderr), daemon=True)
        reader.start()
        try:
            for line in stdout:
                lines.append(line)
                if listen is None:
                    continue
                text = line.rstrip()
                listen(Event(self.name, command, "line", text))
                if match := _DONE.match(text):
                    listen(Event(self.name, command, "resource", match["address"], verb=_VERB[match["what"]]))
                elif match := _STILL.match(text):
                    listen(Event(self.name, command, "still", match["address"]))
            proc.wait()
        except BaseException:  # interrupted outside interrupts.graceful: leave no terraform behind
            _stop(proc)
            raise
        finally:
            interrupts.forget(proc)
        reader.join()
        seconds = time.monotonic() - start
        output = "".join(lines)
        self.timings[command] = self.timings.get(command, 0.0) + seconds
        if not quiet:
            (self.directory / f".terraform-{command}.log").write_text(output + "".join(stderr_lines), encoding="utf-8")
        summary = next((m.group(0) for m in map(_SUMMARY.match, reversed([l.strip() for l in lines])) if m), "")
        if proc.returncode not in ok_codes:
            tail = "".join((stderr_lines or lines)[-TAIL_LINES:]).rstrip()
            raise TerraformError(
                f"terraform {command} failed in {self.directory} ({interrupts.describe_returncode(proc.returncode)}, "
                f"{seconds:.1f} s); last lines:\n{tail}"
            )
        if listen is not None:
            listen(Event(self.name, command, "done", seconds=seconds, summary=summary))
        return Result(command, proc.returncode, seconds, output, summary)
