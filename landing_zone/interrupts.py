"""SIGINT and SIGTERM, handled alike: the children a command started stop with it, and no traceback.

- `install_top_level()` (the `lz` entry point calls it): SIGINT raises
  KeyboardInterrupt even when the process was started with SIGINT ignored
  (a background job of a non-interactive shell, as CI runners start it);
  SIGTERM raises `Interrupted(SIGTERM)`, a KeyboardInterrupt too, so every
  `finally` runs. Exit handlers that fail on a closed pipe (jsii's, after
  Ctrl-C killed its node process) stay silent.
- `popen(args, ...)`: start a child (terraform) in a session of its own and
  remember it, so a terminal's Ctrl-C reaches it once, through us, and a
  second signal can end its whole process group (provider plugins included).
- `graceful(progress)`: around work whose children must stop cleanly. The first
  signal is passed on (SIGINT) to every live child, which lets terraform save
  its state; a message says so and what a second signal does, then a
  heartbeat line every few seconds until the block ends. The second signal
  ends every child's process group with SIGKILL. When the block ends, the
  signal is raised as `Interrupted`, and `exit_code_for` gives 130 (SIGINT) or
  143 (SIGTERM).
- `describe_returncode(code)`: "exit 3", or "killed by SIGKILL (signal 9): out of memory?".
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Iterator

HEARTBEAT_SECONDS = float(os.environ.get("LZ_HEARTBEAT_SECONDS", "5"))

_children: dict[int, subprocess.Popen] = {}
_lock = threading.Lock()
_stop: list[int] = []  # the signals received while graceful() is active


class Interrupted(KeyboardInterrupt):
    """The command was asked to stop by `signum` (SIGINT or SIGTERM)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_code_for(exc: BaseException) -> int:
    """128 + the signal's number: 130 for SIGINT (and a plain KeyboardInterrupt), 143 for SIGTERM."""
    return 128 + int(getattr(exc, "signum", signal.SIGINT))


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


_SIGNAL_HINTS: dict[int, str] = {
    signal.SIGKILL: "out of memory, or killed by hand?",
    signal.SIGSEGV: "a crash",
    signal.SIGABRT: "it aborted",
    signal.SIGTERM: "asked to stop",
    signal.SIGINT: "interrupted",
}


def describe_returncode(code: int | None) -> str:
    """`exit N` for a normal exit; the signal's name when the child was killed by one."""
    if code is None:
        return "still running"
    if code >= 0:
        return f"exit {code}"
    hint = _SIGNAL_HINTS.get(-code)
    return f"killed by {signal_name(-code)} (signal {-code})" + (f": {hint}" if hint else "")


def _raise(signum, frame) -> None:
    raise Interrupted(signum)


def _quiet_unraisable(unraisable) -> None:
    if isinstance(unraisable.exc_value, (BrokenPipeError, ConnectionResetError)):
        return  # an exit handler (jsii's) writing to a node process Ctrl-C already ended
    sys.__unraisablehook__(unraisable)


def install_top_level() -> None:
    """SIGINT and SIGTERM raise Interrupted (a KeyboardInterrupt) in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return
    signal.signal(signal.SIGINT, _raise)  # also when started with SIGINT ignored (background job)
    signal.signal(signal.SIGTERM, _raise)
    sys.unraisablehook = _quiet_unraisable


def ending() -> None:
    """The command is ending on a signal: a further one must not end the process by the signal itself.

    Raised after main returned, or delivered once the interpreter's finalization has put the default
    handlers back (SIG_DFL: the process dies by SIGINT, -2), it would replace the exit code 128+N and skip
    the exit handlers. Blocked, it stays pending and dies with the process. Every child was already
    stopped: the command only gets here when its work has unwound.
    """
    if threading.current_thread() is threading.main_thread():
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def popen(args, **kwargs) -> subprocess.Popen:
    """`subprocess.Popen` in a new session, remembered until `forget`; refused once a stop was asked."""
    with _lock:
        if _stop:
            raise Interrupted(_stop[0])
        proc = subprocess.Popen(args, start_new_session=True, **kwargs)
        _children[proc.pid] = proc
    return proc


def forget(proc: subprocess.Popen) -> None:
    with _lock:
        _children.pop(proc.pid, None)


def live_children() -> list[subprocess.Popen]:
    with _lock:
        return [p for p in _children.values() if p.poll() is None]


def kill_all() -> list[int]:
    """SIGKILL the process group of every remembered child; returns their pids."""
    killed = []
    for proc in live_children():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # a child of popen() leads its own group
            killed.append(proc.pid)
    return killed


def _say(message: str) -> None:
    # os.write, not print: a signal handler must not wait for a lock a worker thread holds.
    with contextlib.suppress(OSError):
        os.write(2, (message + "\n").encode("utf-8", "replace"))


class _Graceful:
    def __init__(self, command: str, heartbeat: float) -> None:
        self.command = command
        self.heartbeat = heartbeat
        self.signum: int | None = None
        self.first_at = 0.0
        self.done = threading.Event()
        self.thread: threading.Thread | None = None

    def handle(self, signum, frame) -> None:
        name = signal_name(signum)
        if self.signum is None:
            self.signum = signum
            self.first_at = time.monotonic()
            with _lock:
                _stop.append(signum)
            children = live_children()
            for proc in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGINT)  # terraform: stop gracefully, write the state
            _say(
                f"lz {self.command}: {name} received: asked {len(children)} terraform run(s) to stop and save "
                "their state; no new stack starts. Press Ctrl-C again (or send another signal) to kill them "
                "at once: state is then restored from the last good copy."
            )
            self.thread = threading.Thread(target=self._beat, daemon=True)
            self.thread.start()
        else:
            killed = kill_all()
            _say(f"lz {self.command}: second signal ({name}): killed {len(killed)} process group(s) {killed}")

    def _beat(self) -> None:
        while not self.done.wait(self.heartbeat):
            running = live_children()
            _say(
                f"lz {self.command}: still stopping, {time.monotonic() - self.first_at:.0f} s since the signal: "
                f"waiting for {len(running)} terraform run(s) to save state (Ctrl-C again to kill them)"
            )


@contextlib.contextmanager
def graceful(command: str, heartbeat: float | None = None) -> Iterator[_Graceful]:
    """Pass the first signal to the children and let them finish; raise Interrupted when the block ends."""
    state = _Graceful(command, HEARTBEAT_SECONDS if heartbeat is None else heartbeat)
    if threading.current_thread() is not threading.main_thread():
        yield state
        return
    previous = {s: signal.signal(s, state.handle) for s in (signal.SIGINT, signal.SIGTERM)}
    failed: BaseException | None = None
    try:
        yield state
    except Exception as exc:
        failed = exc
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        state.done.set()
        with _lock:
            _stop.clear()
    if state.signum is not None:
        raise Interrupted(state.signum) from None
    if failed is not None:
        raise failed
