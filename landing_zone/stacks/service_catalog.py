"""The self-service catalog (`self_service:`): its organization part in the management stack, and the catalog
itself there or, with `self_service.catalog_account` naming a member account, in that account's stack."""

from __future__ import annotations

from typing import Optional

from ..constructs.catalog_organization import CatalogOrganization, catalog_organization_props
from ..constructs.service_catalog import ServiceCatalog, catalog_props
from ..derived.stack_layout import delegated_catalog_account
from ..naming import LandingZoneNames
from ..self_service.blueprints import project_dir

CATALOG_SERVICE_PRINCIPALS = (
    "servicecatalog.amazonaws.com",  # portfolio shares to OUs
    "member.org.stacksets.cloudformation.amazonaws.com",  # the launch role's service-managed stack set
)


def catalog_service_principals(env) -> tuple[str, ...]:
    """Trusted access the catalog needs on top of the landing zone's (none without `self_service:`).

    The organization resource owns the whole list: without these, the next plan would take away
    what Service Catalog's Organizations access and the stack set turned on.
    """
    return CATALOG_SERVICE_PRINCIPALS if env.self_service is not None else ()


def _root(stack):
    return (stack.settings.project_dir or project_dir()) / stack.settings.env.self_service.blueprints_dir


def _catalog(stack, management, account_id: str, share_depends_on: tuple, lifecycles_elsewhere: bool = False) -> ServiceCatalog:
    env = stack.settings.env
    account_ids = {name: account.account_id for name, account in management.accounts.items()}
    return ServiceCatalog(
        stack,
        "service_catalog",
        catalog_props(
            env,
            _root(stack),
            management.organizational_units,
            account_id,
            account_ids,
            LandingZoneNames.of(env).prefix,
            share_depends_on=share_depends_on,
            prevent_destroy=not stack.settings.allow_destroy,
            force_destroy=stack.settings.allow_destroy,
            lifecycles_elsewhere=lifecycles_elsewhere,
        ),
    )


def add_service_catalog(stack) -> tuple[Optional[CatalogOrganization], Optional[ServiceCatalog]]:
    """The catalog's organization part and, unless a member account holds it, the catalog itself, in `stack` (a
    ManagementStack); (None, None) without a `self_service:` section.

    Blueprints are read from `<project folder>/<self_service.blueprints_dir>`.
    """
    env = stack.settings.env
    if env.self_service is None:
        return None, None
    management_id = env.organization.management_account.id or stack.organization.management_account_id
    delegated = delegated_catalog_account(env)
    account_ids = {name: account.account_id for name, account in stack.accounts.items()}
    catalog_id = account_ids[delegated] if delegated else management_id
    organization = CatalogOrganization(
        stack,
        "catalog_organization",
        catalog_organization_props(
            env,
            _root(stack),
            stack.organization,
            stack.organizational_units,
            catalog_id,
            account_ids,
            LandingZoneNames.of(env).prefix,
            delegated_admin=stack.account(delegated) if delegated else None,
        ),
    )
    if delegated:
        return organization, None
    # The buckets' lifecycle configurations go to the management-lifecycle stack (stacks/lifecycle.py).
    return organization, _catalog(stack, stack, management_id, tuple(organization.ready), lifecycles_elsewhere=True)


def add_delegated_service_catalog(stacks, required: bool = True) -> Optional[ServiceCatalog]:
    """The catalog in the stack of `self_service.catalog_account` (the first built for that account: `log-archive`,
    `audit` or `account-<name>`) when that is a member account (None otherwise). That stack is applied after the management stack, which turned Organizations access on and
    registered the delegated administrator. `required` false: None when that stack is not among `stacks`."""
    first = stacks[0]
    delegated = delegated_catalog_account(first.settings.env)
    if delegated is None:
        return None
    stack = next((s for s in stacks if getattr(s, "account_name", None) == delegated), None)
    if stack is None and not required:  # an incremental synth that does not build that stack
        return None
    if stack is None:  # every member account has a stack: the layout promises it
        raise AssertionError(f"no stack for the catalog account {delegated!r}")
    stack.service_catalog = _catalog(stack, stack.management, stack.account_id, ())
    return stack.service_catalog
