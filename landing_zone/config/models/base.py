"""Base for every config model: strict, frozen, documented."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class StrictModel(BaseModel):
    """Unknown keys are errors, values are never coerced between types, models are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=False)


_ACCOUNT_ID = re.compile(r"^\d{12}$")


def _account_id(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(
            f"{value!r} must be written in quotes, as a 12-digit string such as '123456789012' "
            "(unquoted, YAML reads a number and drops leading zeros)"
        )
    if isinstance(value, str) and not _ACCOUNT_ID.match(value):
        raise ValueError(f"{value!r} is not an AWS account id (expected exactly 12 digits)")
    return value


AccountId = Annotated[str, BeforeValidator(_account_id)]


# The patterns of Account Management's PutAlternateContact (API reference): an email address and a
# phone number of digits, spaces, parentheses, + and -.
_CONTACT_EMAIL = re.compile(r"^[\w+=.#|!&-]+@[\w.-]+\.\w+$")
_CONTACT_PHONE = re.compile(r"^[0-9()+ -]+$")


def _contact_email(value: Any) -> Any:
    if isinstance(value, str) and (len(value) > 254 or not _CONTACT_EMAIL.match(value)):
        raise ValueError(f"{value!r} is not an email address AWS accepts for a contact (name@domain.tld, at most 254 characters)")
    return value


def _contact_phone(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f"{value!r} must be written in quotes, such as '+44 20 7946 0000' (unquoted, YAML reads a number)")
    if isinstance(value, str) and (len(value) > 25 or not _CONTACT_PHONE.match(value) or not any(c.isdigit() for c in value)):
        raise ValueError(
            f"{value!r} is not a phone number AWS accepts for a contact (digits, spaces, parentheses, + and -; at most 25 characters)"
        )
    return value


ContactEmail = Annotated[str, BeforeValidator(_contact_email)]
ContactPhone = Annotated[str, BeforeValidator(_contact_phone)]

_IAM_PRINCIPAL = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(user|role)/\S+$")


def _iam_principal(value: Any) -> Any:
    if isinstance(value, str) and not _IAM_PRINCIPAL.match(value):
        raise ValueError(
            f"{value!r} is not an IAM user or role ARN (arn:aws:iam::<12-digit id>:user/<path/name> or :role/...; "
            "wildcards allowed in the path and name)"
        )
    return value


IamPrincipalArn = Annotated[str, BeforeValidator(_iam_principal)]
"""An IAM user or role ARN, as a trust's aws:PrincipalArn condition matches it (wildcards allowed)."""


# Organizations' tag pattern (TagResource API reference): ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$ for keys and values.
_TAG_PUNCTUATION = frozenset("_.:/=+-@")


def _tag_bad_character(text: str) -> str | None:
    for ch in text:
        if ch not in _TAG_PUNCTUATION and unicodedata.category(ch)[0] not in "LZN":
            return ch
    return None


_TAG_ALLOWED = "letters, digits, spaces and _ . : / = + - @"


def _tag_map(value: Any) -> Any:
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(v, str):
                raise ValueError(f"tag {k!r} has the value {v!r}; tag values must be strings (quote it)")
            if len(k) > 128 or not k:
                raise ValueError(f"tag key {k!r} must be 1-128 characters")
            if len(v) > 256:
                raise ValueError(f"tag {k!r} value is {len(v)} characters; at most 256 are allowed")
            bad = _tag_bad_character(k)
            if bad is not None:
                raise ValueError(f"tag key {k!r} has the character {bad!r}, which AWS refuses in tags (allowed: {_TAG_ALLOWED})")
            bad = _tag_bad_character(v)
            if bad is not None:
                raise ValueError(
                    f"tag {k!r} value {v!r} has the character {bad!r}, which AWS refuses in tags (allowed: {_TAG_ALLOWED})"
                )
            if k.lower().startswith("aws:"):
                raise ValueError(f"tag key {k!r} uses the reserved prefix 'aws:'")
    return value


Tags = Annotated[dict[str, str], BeforeValidator(_tag_map), Field(default_factory=dict)]
