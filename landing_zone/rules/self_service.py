"""Rules on the `self_service:` section (Service Catalog products and portfolios)."""

from __future__ import annotations

import difflib

from ..config.problems import Problem
from ..self_service.blueprints import blueprint_names, has_kind, project_dir
from .context import RuleContext


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _defined(known: list[str]) -> str:
    return ", ".join(known) or "none"


def self_service_names(ctx: RuleContext) -> list[Problem]:
    """Products, portfolios and each product's versions have unique names (case-insensitive)."""
    section = ctx.env.self_service
    if section is None:
        return []
    out = []

    def unique(items, base, kind):
        seen = {}
        for i, item in enumerate(items):
            where = base + (i, "name")
            key = item.name.lower()
            if key in seen:
                out.append(
                    ctx.problem(
                        where,
                        f"{kind} name {item.name!r} is used twice (first at line {seen[key].line}); names are unique, case-insensitively",
                        "self_service_names",
                    )
                )
            else:
                seen[key] = ctx.location(where)

    unique(section.products, ("self_service", "products"), "product")
    unique(section.portfolios, ("self_service", "portfolios"), "portfolio")
    for i, product in enumerate(section.products):
        unique(product.versions, ("self_service", "products", i, "versions"), "version")
    return out


def self_service_versions(ctx: RuleContext) -> list[Problem]:
    """Each product has versions, each naming a blueprint that comes in the product's type, and exactly one default."""
    section = ctx.env.self_service
    if section is None:
        return []
    root = project_dir(ctx.file) / section.blueprints_dir
    known = blueprint_names(root)
    out = []
    for i, product in enumerate(section.products):
        base = ("self_service", "products", i)
        if not product.versions:
            out.append(
                ctx.problem(
                    base,
                    f"product {product.name!r} has no versions (expected at least one under 'versions', "
                    f"each naming a blueprint: {_defined(known)})",
                    "self_service_versions",
                )
            )
            continue
        for j, version in enumerate(product.versions):
            where = base + ("versions", j, "blueprint")
            if version.blueprint not in known:
                out.append(
                    ctx.problem(
                        where,
                        f"blueprint {version.blueprint!r} is not in {section.blueprints_dir}/{_suggest(version.blueprint, known)} "
                        f"(defined: {_defined(known)})",
                        "self_service_versions",
                    )
                )
            elif not has_kind(root, version.blueprint, product.type):
                out.append(
                    ctx.problem(
                        where,
                        f"blueprint {version.blueprint!r} has no {product.type} form "
                        f"(expected {section.blueprints_dir}/{version.blueprint}/"
                        f"{'cloudformation/template.yaml' if product.type == 'cloudformation' else 'terraform/*.tf'})",
                        "self_service_versions",
                    )
                )
        defaults = [j for j, v in enumerate(product.versions) if v.default]
        if len(defaults) > 1:
            first = ctx.location(base + ("versions", defaults[0], "default"))
            for j in defaults[1:]:
                out.append(
                    ctx.problem(
                        base + ("versions", j, "default"),
                        f"product {product.name!r} has two default versions ({product.versions[defaults[0]].name!r} at line {first.line} "
                        f"and {product.versions[j].name!r}); exactly one is the default",
                        "self_service_versions",
                    )
                )
        elif not defaults and len(product.versions) > 1:
            out.append(
                ctx.problem(
                    base + ("versions",),
                    f"product {product.name!r} has {len(product.versions)} versions and none is the default "
                    "(mark one with 'default: true')",
                    "self_service_versions",
                )
            )
        if product.versions[0].deprecated and not product.versions[0].default:
            out.append(
                ctx.problem(
                    base + ("versions", 0, "deprecated"),
                    f"version {product.versions[0].name!r} is the product's first version, which the product itself carries "
                    "and Service Catalog cannot mark deprecated there; deprecate a later version, or list a newer one first",
                    "self_service_versions",
                )
            )
        for j, version in enumerate(product.versions):
            if version.default and version.deprecated:
                out.append(
                    ctx.problem(
                        base + ("versions", j, "deprecated"),
                        f"version {version.name!r} is the default and cannot be deprecated",
                        "self_service_versions",
                    )
                )
    return out


def self_service_references(ctx: RuleContext) -> list[Problem]:
    """Portfolios name defined products, OUs, member accounts (not the catalog's own) and permission sets; the catalog's
    and the Terraform engine's accounts exist."""
    section = ctx.env.self_service
    if section is None:
        return []
    products = [p.name for p in section.products]
    ous = [ou.path for ou in ctx.env.organizational_units]
    management = ctx.env.organization.management_account.name
    members = [a.name for a in ctx.env.accounts]
    catalog = section.catalog_account or management
    permission_sets = [p.name for p in ctx.facts.identity_plan.permission_sets] if ctx.env.identity is not None else []
    out = []
    for i, portfolio in enumerate(section.portfolios):
        base = ("self_service", "portfolios", i)
        for j, name in enumerate(portfolio.products):
            if name not in products:
                out.append(
                    ctx.problem(
                        base + ("products", j),
                        f"product {name!r} is not defined{_suggest(name, products)} (defined: {_defined(products)})",
                        "self_service_references",
                    )
                )
        for j, path in enumerate(portfolio.share_to_ous):
            if path not in ous:
                out.append(
                    ctx.problem(
                        base + ("share_to_ous", j),
                        f"OU {path!r} is not defined{_suggest(path, ous)} (defined: {_defined(ous)})",
                        "self_service_references",
                    )
                )
        for j, name in enumerate(portfolio.share_to_accounts):
            if name not in members or name == catalog:
                why = (
                    f"the portfolio lives in the {'management' if name == management else 'catalog'} account already"
                    if name in (management, catalog)
                    else f"not a member account{_suggest(name, members)} (defined: {_defined(members)})"
                )
                out.append(
                    ctx.problem(base + ("share_to_accounts", j), f"cannot share to {name!r}: {why}", "self_service_references")
                )
        for j, name in enumerate(portfolio.permission_sets):
            if name not in permission_sets:
                known = "no identity: section, so none" if ctx.env.identity is None else _defined(permission_sets)
                out.append(
                    ctx.problem(
                        base + ("permission_sets", j),
                        f"permission set {name!r} is not defined{_suggest(name, permission_sets)} (defined: {known})",
                        "self_service_references",
                    )
                )
    for key in ("catalog_account", "terraform_engine_account"):
        name = getattr(section, key)
        if name is not None and name not in [management] + members:
            out.append(
                ctx.problem(
                    ("self_service", key),
                    f"account {name!r} is not defined{_suggest(name, members)} (defined: {_defined([management] + members)})",
                    "self_service_references",
                )
            )
    return out


RULES = [self_service_names, self_service_versions, self_service_references]
