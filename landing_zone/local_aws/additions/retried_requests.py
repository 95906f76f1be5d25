"""A request the SDK sends again is answered once: the local server replays the first answer.

Under load an SDK may miss the answer to a call the server already carried out and send it
again (same `amz-sdk-invocation-id`, a higher attempt in `amz-sdk-request`). AWS makes most
such retries harmless; moto runs each one again, so a create is done twice or a delete fails
on the thing it already deleted. Seen in CI: two identical account assignments, a subnet in
conflict with itself, and DeleteTransitGateway failing with 500 (KeyError) five times.

So the server remembers each invocation's successful answer (2xx, at most 1 MB) and answers
a repeat of the same invocation with it; a repeat that arrives while the first attempt still
runs waits for it. An attempt that failed is run again, as before. Requests without the
header (boto3 in tests, curl) are served as they always were.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable

HEADER = "HTTP_AMZ_SDK_INVOCATION_ID"
KEEP = 4096  # invocations remembered (the newest)
MAX_BODY = 1 << 20
WAIT_SECONDS = 300


class _Answer:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []
        self.body = b""

    @property
    def replayable(self) -> bool:
        return self.status is not None and self.status.startswith("2")


def replaying(app: Callable[..., Any]) -> Callable[..., Any]:
    """WSGI `app` with repeated SDK invocations answered from the first attempt."""
    lock = threading.Lock()
    answers: OrderedDict[str, _Answer] = OrderedDict()

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        invocation = environ.get(HEADER)
        if not invocation:
            return app(environ, start_response)
        with lock:
            answer = answers.get(invocation)
            first = answer is None
            if first:
                answer = answers[invocation] = _Answer()
                while len(answers) > KEEP:
                    answers.popitem(last=False)
        assert answer is not None
        if not first:
            answer.done.wait(WAIT_SECONDS)
            if answer.replayable:
                start_response(answer.status, answer.headers)
                return [answer.body]
            return app(environ, start_response)  # the first attempt failed: run this one
        captured: dict[str, Any] = {}

        def remember(status: str, headers: list, exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, list(headers)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        try:
            result = app(environ, remember)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            if str(captured.get("status", "")).startswith("2") and len(body) <= MAX_BODY:
                answer.status, answer.headers, answer.body = captured["status"], captured["headers"], body
            return [body]
        finally:
            answer.done.set()

    return serve


_SETUP = threading.Lock()


def install() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    if getattr(DomainDispatcherApplication.__call__, "_lz_replaying", False):
        return
    original = DomainDispatcherApplication.__call__

    def __call__(self: Any, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        serve = self.__dict__.get("_lz_serve")
        if serve is None:
            with _SETUP:  # one memory per server, even when its first requests come at once
                serve = self.__dict__.get("_lz_serve") or replaying(lambda e, s: original(self, e, s))
                self._lz_serve = serve
        return serve(environ, start_response)

    __call__._lz_replaying = True  # type: ignore[attr-defined]  # marks moto's patched code so it is patched once
    DomainDispatcherApplication.__call__ = __call__  # type: ignore[method-assign]  # patches moto's class at run time
