"""The self-service catalog in the management stack (`self_service:`): one call from ManagementStack."""

from __future__ import annotations

from typing import Optional

from ..constructs.service_catalog import ServiceCatalog, catalog_props
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


def add_service_catalog(stack) -> Optional[ServiceCatalog]:
    """The catalog of `stack` (a ManagementStack), or None without a `self_service:` section.

    Blueprints are read from `<project folder>/<self_service.blueprints_dir>`.
    """
    settings = stack.settings
    env = settings.env
    if env.self_service is None:
        return None
    org = env.organization
    account_ids = {name: account.account_id for name, account in stack.accounts.items()}
    management_id = org.management_account.id or stack.organization.management_account_id
    root = (settings.project_dir or project_dir()) / env.self_service.blueprints_dir
    return ServiceCatalog(
        stack,
        "service_catalog",
        catalog_props(
            env,
            root,
            stack.organization,
            stack.organizational_units,
            management_id,
            account_ids,
            LandingZoneNames.of(env).prefix,
            prevent_destroy=not settings.allow_destroy,
            force_destroy=settings.allow_destroy,
        ),
    )
