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


def deliver_targets(flag: str, ours, deliver) -> None:
    """Patch moto's EventBridge delivery (once per `flag`): the targets `ours(target)` picks go to
    `deliver(rule, target, event)` when the event matches the rule; moto delivers to the others as before."""
    from moto.events.models import Rule

    original = Rule.send_to_targets
    if getattr(original, flag, False):
        return

    def send_to_targets(self, original_event, transform_input: bool = True) -> None:
        picked = [t for t in self.targets if ours(t)]
        if picked and self.event_pattern.matches_event(original_event):
            for target in picked:
                deliver(self, target, original_event)
        if len(picked) == len(self.targets):
            return
        targets = self.targets
        self.targets = [t for t in targets if not ours(t)]
        try:
            original(self, original_event, transform_input)
        finally:
            self.targets = targets

    setattr(send_to_targets, flag, True)  # marks moto's patched code so it is patched once
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]  # patches moto's class at run time
