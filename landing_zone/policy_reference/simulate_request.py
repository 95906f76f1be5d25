"""What `lz simulate` accepts as a request (issue 23 A.8): one concrete action of a known service, an ARN or
'*' as the resource, an IAM or STS principal ARN (or 'root'), a known region. Anything else is refused with
what is allowed, before anything is evaluated: a malformed request would otherwise read as ALLOWED."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from ..package_data import data_yaml

_ACTION = re.compile(r"^(?P<service>[a-z0-9-]+):(?P<name>[A-Za-z0-9]+)$")
_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12}|aws)?:(?P<rest>\S+)$")
_PRINCIPAL = re.compile(
    r"^arn:aws(?:-[a-z]+)*:(?:iam::\d{12}:(?:root|(?:user|role)/\S+)|sts::\d{12}:(?:assumed-role|federated-user)/\S+)$"
)


@lru_cache(maxsize=1)
def _regions() -> frozenset[str]:
    return frozenset(data_yaml("aws_regions.yaml")["regions"])


def _hint(value: str, known) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def action_problem(action: str) -> str | None:
    match = _ACTION.match(action)
    if match is None:
        return (
            f"--action {action!r} is not one API action: expected service:Action, letters and digits only "
            "(such as s3:GetObject); no spaces, no second ':' and no wildcards (a request names one action)"
        )
    from .database import database

    db = database()
    service, name = match["service"], match["name"]
    if not db.has_service(service):
        return f"--action {action!r}: unknown service {service!r}{_hint(service, db.services())}"
    actions = {key.lower(): a.name for key, a in db.actions(service).items()}
    if name.lower() not in actions:
        close = difflib.get_close_matches(name.lower(), list(actions), n=1, cutoff=0.7)
        hint = f" (did you mean '{service}:{actions[close[0]]}'?)" if close else ""
        return f"--action {action!r}: {service} has no action {name!r}{hint} ({db.describe()})"
    return None


def resource_problem(resource: str) -> str | None:
    if resource == "*" or _ARN.match(resource):
        return None
    return (
        f"--resource {resource!r} is not an ARN: expected arn:aws:service:region:account:resource "
        "(such as arn:aws:s3:::my-bucket or arn:aws:cloudtrail:eu-west-1:123456789012:trail/name), or '*'"
    )


def principal_problem(principal: str) -> str | None:
    if principal == "root" or _PRINCIPAL.match(principal):
        return None
    return (
        f"--principal {principal!r} is not a principal ARN: expected 'root', arn:aws:iam::ACCOUNT:role/NAME, "
        ":user/NAME or :root, or arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION"
    )


def region_problem(region: str) -> str | None:
    if region in _regions():
        return None
    return f"--region {region!r} is not an AWS region{_hint(region, _regions())}"


def request_problems(action: str, resource: str, principal: str | None, region: str | None) -> list[str]:
    """Every reason the request cannot be simulated; empty when it can."""
    found = [action_problem(action), resource_problem(resource)]
    found.append(principal_problem(principal) if principal is not None else None)
    found.append(region_problem(region) if region is not None else None)
    return [p for p in found if p is not None]
