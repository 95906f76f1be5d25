"""EventBridge targets that are SNS topics (`arn:aws:sns:<region>:<account>:<topic>`).

moto 5.2 raises NotImplementedError on delivery to an SNS target, which fails the whole PutEvents, and so
every other target of the rule and every later rule. The landing zone's security rules all notify the
security topic, so an event on the audit account's buses could reach no rule's other targets (the e2e drill's
test queue). Here a matching event is published to the topic (the target's input, or its InputTransformer
applied as moto renders it for its other targets, as the message), in the topic's account and region; a
missing topic drops the invocation, as AWS does (it would count a FailedInvocation).
"""

from __future__ import annotations

import json
from typing import Any

from ._helpers import deliver_targets
from .event_automation import _parameters


def _publish(rule: Any, target: dict, event: dict) -> None:
    from moto.sns.models import sns_backends

    arn = target["Arn"]
    _, _, _, region, account, _ = arn.split(":", 5)
    message: Any = _parameters(target, event) if ("Input" in target or "InputTransformer" in target) else event
    try:
        sns_backends[account][region].publish(message if isinstance(message, str) else json.dumps(message), arn=arn)
    except Exception:  # noqa: BLE001, S110  # AWS drops a failed invocation
        pass


def install() -> None:
    deliver_targets("_lz_topics", lambda target: target["Arn"].startswith("arn:aws:sns:"), _publish)
