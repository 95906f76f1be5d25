"""What a team in each account can launch from the self-service catalog (no cdktf): `lz catalog`."""

from __future__ import annotations

from dataclasses import dataclass

from ..derived.org_tree import OrgTree


@dataclass(frozen=True)
class Launchable:
    """One product one account can launch, with how."""

    account: str
    portfolio: str
    product: str
    type: str  # cloudformation | terraform
    versions: tuple[str, ...]  # offered versions, the default first, deprecated ones left out
    default_version: str
    launch_role: str
    permission_sets: tuple[str, ...]
    via: str  # "OU <path>" or "account share"


def _default(product) -> str:
    marked = [v.name for v in product.versions if v.default]
    return marked[0] if marked else product.versions[0].name


def launchable(env, tree: OrgTree | None = None, account: str | None = None) -> list[Launchable]:
    """Rows of (account, product) for every account a portfolio reaches; only `account` when given."""
    section = env.self_service
    if section is None:
        return []
    tree = tree or OrgTree(env)
    products = {p.name: p for p in section.products}
    rows = []
    for portfolio in section.portfolios:
        reach: dict[str, str] = {}
        for path in portfolio.share_to_ous:
            for acct in tree.subtree_accounts(path):
                reach.setdefault(acct.name, f"OU {path}")
        for name in portfolio.share_to_accounts:
            reach.setdefault(name, "account share")
        for name in sorted(reach):
            if account is not None and name != account:
                continue
            for product_name in portfolio.products:
                product = products[product_name]
                default = _default(product)
                offered = [default] + [v.name for v in product.versions if v.name != default and not v.deprecated]
                rows.append(
                    Launchable(
                        name,
                        portfolio.name,
                        product.name,
                        product.type,
                        tuple(offered),
                        default,
                        section.launch_role_name,
                        tuple(portfolio.permission_sets),
                        reach[name],
                    )
                )
    return sorted(rows, key=lambda r: (r.account, r.portfolio, r.product))


def launchable_lines(rows: list[Launchable]) -> list[str]:
    """Plain text: one line per row, columns separated by two spaces."""
    header = ("ACCOUNT", "PORTFOLIO", "PRODUCT", "TYPE", "VERSIONS (default first)", "LAUNCH ROLE", "PERMISSION SETS", "VIA")
    table = [header] + [
        (
            r.account,
            r.portfolio,
            r.product,
            r.type,
            ", ".join(r.versions),
            r.launch_role,
            ", ".join(r.permission_sets) or "-",
            r.via,
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
