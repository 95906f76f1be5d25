"""Each account's alternate contacts: its own, else the organization's default, per type. Pure Python."""

from __future__ import annotations

from typing import Optional

from ..config.models import AlternateContacts, Contact, Environment

CONTACT_KINDS = ("billing", "operations", "security")


def merged_contacts(default: Optional[AlternateContacts], own: Optional[AlternateContacts]) -> dict[str, Contact]:
    """Contact type (billing, operations, security) -> contact; the account's own replaces the default."""
    out = {}
    for kind in CONTACT_KINDS:
        contact = (getattr(own, kind) if own else None) or (getattr(default, kind) if default else None)
        if contact is not None:
            out[kind] = contact
    return out


def account_contacts(env: Environment, account: str) -> dict[str, Contact]:
    """The alternate contacts of a member account, by type."""
    own = next((a.alternate_contacts for a in env.accounts if a.name == account), None)
    return merged_contacts(env.organization.alternate_contacts, own)


def management_contacts(env: Environment) -> dict[str, Contact]:
    """The management account's alternate contacts: the organization's default."""
    return merged_contacts(env.organization.alternate_contacts, None)
