"""Shared plumbing of the moto additions."""

from __future__ import annotations


def add_actions(response_class, *functions) -> None:
    """Make each function an action of a moto response class (name = snake_case API action).

    Never replaces an action moto has: when a later moto implements one, its
    own implementation wins.
    """
    for function in functions:
        if not hasattr(response_class, function.__name__):
            setattr(response_class, function.__name__, function)


def state(backend, name: str) -> dict:
    """A dict kept on a moto backend instance, so moto's reset clears it with the backend."""
    key = f"_lz_{name}"
    if not hasattr(backend, key):
        setattr(backend, key, {})
    return getattr(backend, key)


def json_error(error_type: str, message: str):
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(error_type, message)
