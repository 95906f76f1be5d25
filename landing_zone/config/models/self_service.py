"""The `self_service:` section: a Service Catalog portfolio of the blueprints in `modules/`, shared to OUs."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from .base import StrictModel

PRODUCT_TYPES = ("cloudformation", "terraform")


class ProductVersion(StrictModel):
    """One version of a product: a provisioning artifact built from a blueprint folder in `modules/`."""

    name: str = Field(description="Version name shown to teams, such as 'v1' or '2026.12'; unique within the product.")
    blueprint: str = Field(description="Blueprint folder under the blueprints folder (such as 'ec2-instance').")
    description: str = Field("", description="What changed in this version (default empty).")
    default: bool = Field(
        False,
        description="The version teams get unless they choose (exactly one per product; a product with one version needs no flag).",
    )
    deprecated: bool = Field(
        False, description="Still provisioned where launched, but no longer offered for new launches (default false)."
    )


class Product(StrictModel):
    """A product teams launch from the portfolio."""

    name: str = Field(description="Product name, unique (case-insensitive); also its stable id in the stack.")
    owner: str = Field(description="Team or person that owns the product.")
    type: Literal["cloudformation", "terraform"] = Field(
        description="'cloudformation' (the blueprint's cloudformation/template.yaml) or 'terraform' (its terraform/ module, Service Catalog's Terraform product type)."
    )
    description: str = Field("", description="What the product makes (default empty).")
    distributor: str = Field("", description="Distributor shown to teams (default empty).")
    support_email: Optional[str] = Field(None, description="Support contact e-mail (default none).")
    support_url: Optional[str] = Field(None, description="Support web page, https:// (default none).")
    support_description: str = Field("", description="How to get support (default empty).")
    versions: list[ProductVersion] = Field(default_factory=list, description="Versions, each a blueprint; at least one.")


class TagOption(StrictModel):
    """A tag option: a key and the values teams may choose for it when they launch."""

    key: str = Field(description="Tag key.")
    values: list[str] = Field(description="Allowed values.")


class Portfolio(StrictModel):
    """A portfolio of products, shared to OUs and accounts through Organizations."""

    name: str = Field(description="Portfolio name, unique (case-insensitive); also its stable id in the stack.")
    provider: str = Field(description="Provider name shown to teams (such as 'Platform team').")
    description: str = Field("", description="What the portfolio offers (default empty).")
    products: list[str] = Field(default_factory=list, description="Product names (defined under self_service.products).")
    share_to_ous: list[str] = Field(
        default_factory=list,
        description="OU paths the portfolio is shared to: every account in the OU, now and later (default none).",
    )
    share_to_accounts: list[str] = Field(
        default_factory=list, description="Member account names the portfolio is shared to (default none)."
    )
    share_principals: bool = Field(
        True, description="Share the principal associations with the recipients (OU shares only; default true)."
    )
    share_tag_options: bool = Field(True, description="Share the tag options with the recipients (default true).")
    tag_options: list[TagOption] = Field(default_factory=list, description="Tag options of the portfolio (default none).")
    permission_sets: list[str] = Field(
        default_factory=list,
        description="Identity Center permission sets whose users may launch (IAM_PATTERN on the reserved SSO path only) (default none).",
    )


class SelfService(StrictModel):
    """Self-service: blueprints as Service Catalog products in the management account, shared through Organizations."""

    blueprints_dir: str = Field(
        "modules",
        description="Folder of the blueprints, relative to the project folder (the one with cdktf.json, else the working folder) (default 'modules').",
    )
    launch_role_name: str = Field(
        "lz-catalog-launch",
        description="Name of the launch role in every account the portfolios reach; each product launches through it (default 'lz-catalog-launch').",
    )
    catalog_account: Optional[str] = Field(
        None,
        description="Account (by name) that holds the products and portfolios: a member account is registered as Service Catalog's delegated administrator, and shares to OUs from there; Organizations access stays with the management account (default: the management account).",
    )
    terraform_engine_account: Optional[str] = Field(
        None,
        description="Account (by name) that runs Service Catalog's Terraform engine; launch roles trust it (default: the catalog account).",
    )
    products: list[Product] = Field(default_factory=list, description="Products (default none).")
    portfolios: list[Portfolio] = Field(default_factory=list, description="Portfolios (default none).")
