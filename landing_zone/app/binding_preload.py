"""Load cdktf and the AWS provider binding in a background thread while the command reads its input.

Most of the import floor (about 2.5 of its 3 s on this machine) is the jsii
runtime's node process reading the three assemblies (constructs, cdktf, the
AWS provider); the Python thread that asked waits on a pipe, with the GIL
released. `lz synth` spends over a second of Python before it needs cdktf:
loading and validating the environment (1 s at 1,000 accounts), the stacks'
keys, the copies of unchanged stacks. Started first, the load runs on the
other core meanwhile; `wait()` joins it where the synth first needs cdktf and
re-raises what it raised. A synth that needs no cdktf at all (a tag edit) or
stops early (bad input, a signal) calls `abandon()`: the node process is
stopped at once, instead of the exit waiting for a load nobody uses.

The thread imports third-party modules only (jsii, constructs, cdktf's
assembly, the binding's package: speed/binding_subset.py); the landing
zone's modules are imported by the main thread alone, so no module is
half-imported by two. `LZ_SPEED_OFF=binding_preload` loads in the calling
thread, at `wait()`, as before.
"""

from __future__ import annotations

import atexit
import threading
import time
from typing import Any, Optional

from ..speed import binding_subset, switched_off


def _start_node() -> Any:
    """Start the jsii runtime's node process now (it starts at the first request otherwise) and return jsii's
    handle on it (jsii 1.x, pinned: the kernel's process provider), so that `abandon` can stop it."""
    from jsii._runtime import kernel

    return kernel.provider._process  # type: ignore[attr-defined]  # ProcessProvider, the only provider jsii has


class Preload:
    """The background load; `wait()` joins it and re-raises its exception, if any."""

    def __init__(self) -> None:
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name="lz-binding-preload", daemon=True)
        self._began = self._ended = 0.0
        self._lock = threading.Lock()
        self._abandoned = False
        self._node: Any = None

    def _run(self) -> None:
        try:
            with self._lock:  # abandon() either stops this before node starts or stops the node started
                if self._abandoned:
                    return
                self._node = _start_node()
                if self._abandoned:  # abandon() gave up waiting for the lock meanwhile
                    self._stop_node()
                    return
            binding_subset.apply()  # the package's own import loads the three assemblies
        except BaseException as exc:  # re-raised in the main thread by wait()
            self._error = exc
        finally:
            self._ended = time.perf_counter()

    def _stop_node(self) -> None:
        node = self._node
        if node is not None:
            atexit.unregister(node.stop)  # it would write to a closed pipe and wait for the process
            node._process.kill()
            node._process.wait()

    def start(self) -> "Preload":
        self._began = time.perf_counter()
        self._thread.start()
        return self

    def pending(self) -> bool:
        """Still loading."""
        return self._thread.is_alive()

    def seconds(self) -> float:
        """How long the load took (so far, while pending)."""
        return (time.perf_counter() if self.pending() else self._ended) - self._began

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def abandon(self) -> None:
        """Nothing will use cdktf: stop a load still running (its node process is killed and forgotten by jsii's
        exit handler) and let the thread end. A finished load is left alone: jsii stops it at exit, as always."""
        # Bounded: a signal that interrupted this thread inside an import can leave the global import lock held by
        # it, and the thread, starting node under our lock, then waits on that import for ever (seen under load).
        # Nothing runs yet to stop; the thread stops what it starts (flag below), and the exit does not wait for it.
        if not self._lock.acquire(timeout=2):
            self._abandoned = True
            return
        try:
            if not self.pending():
                return
            self._abandoned = True
            self._stop_node()
        finally:
            self._lock.release()
        self._thread.join(timeout=2)  # the thread reads end-of-file from the killed process and ends
        self._error = None


class _Inline:
    """The trick switched off: nothing runs until wait(), which loads in the calling thread."""

    def __init__(self) -> None:
        self._seconds = 0.0

    def pending(self) -> bool:
        return False

    def wait(self) -> None:
        began = time.perf_counter()
        if binding_subset.apply():
            self._seconds = time.perf_counter() - began

    def seconds(self) -> float:
        return self._seconds

    def abandon(self) -> None:
        pass


def start() -> Preload | _Inline:
    """Start loading the binding (after prepare_node_runtime's settings: the node process reads them at start)."""
    if switched_off("binding_preload"):
        return _Inline()
    return Preload().start()
