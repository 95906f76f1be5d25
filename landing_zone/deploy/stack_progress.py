"""What `lz deploy` prints while terraform runs the stacks.

By default one line per stack, when it is done, and a heartbeat line while a
long command runs (what it has done so far and what terraform waits on);
`-v` adds a line per terraform command and per resource done (the runner's
`LineProgress`), `-vv` every line of terraform's own output. Pure Python: it
is fed the runner's `Event`s, and a clock, so tests drive it with fakes.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..terraform.runner import Event, LineProgress

HEARTBEAT_SECONDS = 20.0
"""A running stack says what it does after this long without a line of its own."""
RESOURCE_LINES = 1
"""The verbosity (`-v`) that prints a line per terraform command and per resource done."""
TERRAFORM_OUTPUT = 2
"""The verbosity (`-vv`) that prints every line of terraform's output."""

_DOING = {"init": "initializing", "apply": "applying", "destroy": "destroying", "plan": "planning", "import": "importing"}
_RESOURCES = re.compile(r"^(?:Apply|Destroy) complete! Resources: (?P<counts>.*?)\.?$")
_CHANGING = re.compile(r"^(?P<address>\S+): (?:Creating|Modifying|Destroying|Importing)\.\.\.")


@dataclass
class _Running:
    command: str
    since: float
    said: float
    resources: int = 0
    waiting_on: str = ""
    changing: bool = False
    """Terraform has begun to change resources (before that it plans: loads the provider, reads state)."""


@dataclass
class StackProgress:
    """Listens to the terraform runs of every stack of one deploy and prints through `say`."""

    say: Callable[[str], None]
    verbosity: int = 0
    clock: Callable[[], float] = time.monotonic
    heartbeat: float = HEARTBEAT_SECONDS
    _running: dict[str, _Running] = field(default_factory=dict)
    _summaries: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._lines = LineProgress(self.say, verbose=self.verbosity >= TERRAFORM_OUTPUT)

    def __call__(self, event: Event) -> None:
        """A `Terraform.listener`."""
        if self.verbosity >= RESOURCE_LINES:
            self._lines(event)
        with self._lock:
            now = self.clock()
            if event.kind == "start":
                self._running[event.stack] = _Running(event.command, now, now)
                return
            running = self._running.get(event.stack)
            if event.kind == "resource" and running is not None:
                running.resources += 1
                running.waiting_on = ""
            elif event.kind == "still" and running is not None:
                running.waiting_on = event.text
            elif event.kind == "line" and running is not None and _CHANGING.match(event.text):
                running.changing = True
            elif event.kind == "done":
                self._running.pop(event.stack, None)
                if event.summary:
                    self._summaries[event.stack] = event.summary

    def tick(self) -> None:
        """A heartbeat line for each stack whose command has run `heartbeat` seconds since its last line."""
        if self.verbosity >= TERRAFORM_OUTPUT:
            return  # terraform's own output says it every 10 s
        lines = []
        with self._lock:
            now = self.clock()
            for stack, running in sorted(self._running.items()):
                if now - running.said < self.heartbeat:
                    continue
                running.said = now
                doing = _DOING.get(running.command, f"running terraform {running.command}")
                line = f"[{stack}] still {doing} after {now - running.since:.0f} s"
                if running.command in ("apply", "destroy") and not (running.changing or running.resources):
                    line += ": planning (the provider loads, the state is read)"
                elif running.command in ("apply", "destroy"):
                    line += f": {running.resources} resource(s) done"
                if running.waiting_on:
                    line += f", waiting on {running.waiting_on}"
                lines.append(line)
        for line in lines:
            self.say(line)

    def stack_done(self, stack: str, timings: Mapping[str, float], destroy: bool = False) -> None:
        """The one line of a stack when its commands are done: what terraform did, and how long each took."""
        if self.verbosity >= RESOURCE_LINES:
            return  # the runner's lines said it
        summary = self._summaries.pop(stack, "")
        match = _RESOURCES.match(summary)
        what = match["counts"] if match else summary.rstrip(".") or "no changes"
        phases = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in timings.items())
        verb = "destroyed" if destroy else "deployed"
        total = sum(timings.values())
        self.say(f"[{stack}] {verb} in {total:.1f} s ({phases}): {what}")

    def forget(self, stack: str) -> None:
        """`stack` runs no more (done or failed): no heartbeat for it."""
        with self._lock:
            self._running.pop(stack, None)

    def ticking(self, interval: float = 1.0) -> threading.Event:
        """Start a thread that calls `tick` every `interval` seconds until the returned event is set."""
        stop = threading.Event()

        def run() -> None:
            while not stop.wait(interval):
                self.tick()

        threading.Thread(target=run, name="deploy-heartbeat", daemon=True).start()
        return stop
