"""The self-service catalog in the management account: blueprints as Service Catalog products in
portfolios shared to OUs through Organizations (props are built from `self_service:` by
`catalog_props`, the only part that reads the config)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.s3_object import S3Object
from cdktf_cdktf_provider_aws.servicecatalog_constraint import ServicecatalogConstraint
from cdktf_cdktf_provider_aws.servicecatalog_portfolio import ServicecatalogPortfolio
from cdktf_cdktf_provider_aws.servicecatalog_portfolio_share import ServicecatalogPortfolioShare
from cdktf_cdktf_provider_aws.servicecatalog_principal_portfolio_association import ServicecatalogPrincipalPortfolioAssociation
from cdktf_cdktf_provider_aws.servicecatalog_product import (
    ServicecatalogProduct,
    ServicecatalogProductProvisioningArtifactParameters,
)
from cdktf_cdktf_provider_aws.servicecatalog_product_portfolio_association import ServicecatalogProductPortfolioAssociation
from cdktf_cdktf_provider_aws.servicecatalog_provisioning_artifact import ServicecatalogProvisioningArtifact
from cdktf_cdktf_provider_aws.servicecatalog_tag_option import ServicecatalogTagOption
from cdktf_cdktf_provider_aws.servicecatalog_tag_option_resource_association import ServicecatalogTagOptionResourceAssociation
from constructs import Construct

from ..self_service.blueprints import ARTIFACT_TYPE, PRODUCT_TYPE, Artifact, artifact
from .ids import logical_id
from .logging.policies import access_log_bucket_statements, deny_insecure_transport, policy_json
from .logging.secure_bucket import SecureBucket, SecureBucketProps, access_logged_bucket
from .organizational_units import OrganizationalUnits


def sso_role_pattern(permission_set: str) -> str:
    """IAM_PATTERN for the roles Identity Center makes for `permission_set`, on its reserved path only.

    A bare role name would let anyone who can create a role of that name in a
    recipient account launch; the reserved path cannot be written by IAM users.
    The 16 `?` match the role's random suffix exactly, so permission set `Dev`
    does not also match `Dev_Admin`'s roles.
    """
    return f"arn:aws:iam:::role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_{permission_set}_{'?' * 16}"


@dataclass(frozen=True, kw_only=True)
class VersionSpec:
    """One version of a product: a provisioning artifact."""

    name: str
    description: str
    artifact: Artifact
    deprecated: bool = False
    """Offered no more for new launches (guidance DEPRECATED) (default false)."""


@dataclass(frozen=True, kw_only=True)
class ProductSpec:
    name: str
    owner: str
    kind: str
    """cloudformation | terraform."""
    versions: tuple[VersionSpec, ...]
    """The first is the product's initial artifact; later ones are separate provisioning artifacts, so adding one never replaces the product."""
    description: str = ""
    distributor: str = ""
    support_email: Optional[str] = None
    support_url: Optional[str] = None
    support_description: str = ""


@dataclass(frozen=True, kw_only=True)
class PortfolioSpec:
    name: str
    provider: str
    description: str = ""
    products: tuple[str, ...] = ()
    ou_paths: tuple[str, ...] = ()
    """OU shares (every account in the OU, later ones included)."""
    account_ids: tuple[tuple[str, str], ...] = ()
    """(account name, account id) shares."""
    share_principals: bool = True
    share_tag_options: bool = True
    tag_options: tuple[tuple[str, str], ...] = ()
    permission_sets: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ServiceCatalogProps:
    organizational_units: OrganizationalUnits
    """The OU tree the portfolios are shared to (by the OUs' ARNs)."""
    account_id: str
    """The catalog account's id: names the templates bucket."""
    name_prefix: str
    """Prefix of the bucket names and key alias (such as 'acme-lz-')."""
    launch_role_name: str
    """Launch constraint: the role of this name in the account a product is launched in."""
    products: tuple[ProductSpec, ...]
    portfolios: tuple[PortfolioSpec, ...]
    share_depends_on: tuple = ()
    """What the shares wait for in the same stack (Organizations access, the delegated administrator); in a delegated
    catalog account's stack, the management stack's apply comes first instead (default none)."""
    prevent_destroy: bool = True
    force_destroy: bool = False
    lifecycles_elsewhere: bool = False
    """Leave the buckets' lifecycle configurations to another stack of the account (`lifecycle_buckets`,
    SecureBucket.add_lifecycle_in; default false: built here)."""


class ServiceCatalog(Construct):
    """The templates bucket (versioned, SSE-KMS, access-logged), products with their versions, portfolios with
    product associations, launch constraints, tag options, principal associations and shares, in the catalog
    account (the management account or Service Catalog's delegated administrator; Organizations access and the
    launch role are `CatalogOrganization`'s, in the management stack). Attributes: `products` and `portfolios`
    (by name), `shares` ((portfolio, target) -> share), `templates_bucket`."""

    def __init__(self, scope: Construct, id: str, props: ServiceCatalogProps) -> None:
        super().__init__(scope, id)
        self.props = props
        protect = TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy)
        self._bucket(props)
        self.products: dict[str, ServicecatalogProduct] = {}
        self.artifacts: dict[tuple[str, str], object] = {}
        for product in props.products:
            self._product(product, protect)
        self.portfolios: dict[str, ServicecatalogPortfolio] = {}
        self.shares: dict[tuple[str, str], ServicecatalogPortfolioShare] = {}
        self._tag_options: dict[tuple[str, str], ServicecatalogTagOption] = {}
        for portfolio in props.portfolios:
            self._portfolio(portfolio, protect)

    def _bucket(self, props: ServiceCatalogProps) -> None:
        account = props.account_id
        self.key = KmsKey(
            self,
            "key",
            description="Encrypts the self-service catalog's templates",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=policy_json(
                [
                    {
                        "Sid": "KeyAdministration",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ]
            ),
        )
        self.key.override_logical_id("catalog_key")
        KmsAlias(self, "alias", name=f"alias/{props.name_prefix}catalog", target_key_id=self.key.key_id).override_logical_id(
            "catalog_key_alias"
        )
        bucket_name = f"{props.name_prefix}catalog-{account}"
        self.templates_bucket, self.access_log_bucket = access_logged_bucket(
            self,
            "templates",
            SecureBucketProps(
                bucket_name=bucket_name,
                logical_name="catalog_templates_bucket",
                policy_statements=lambda arn: [deny_insecure_transport(arn)],
                # Templates of versions still offered must stay: only replaced versions expire.
                retention_days=36500,
                noncurrent_retention_days=365,
                kms_key_arn=self.key.arn,
                prevent_destroy=props.prevent_destroy,
                force_destroy=props.force_destroy,
                lifecycle_elsewhere=props.lifecycles_elsewhere,
            ),
            SecureBucketProps(
                bucket_name=f"{props.name_prefix}catalog-access-{account}",
                logical_name="catalog_access_log_bucket",
                policy_statements=lambda arn: access_log_bucket_statements(arn, f"arn:aws:s3:::{bucket_name}", account),
                retention_days=365,
                prevent_destroy=props.prevent_destroy,
                force_destroy=props.force_destroy,
                lifecycle_elsewhere=props.lifecycles_elsewhere,
            ),
            "catalog_templates_access_logging",
        )

    @property
    def lifecycle_buckets(self) -> list[SecureBucket]:
        """The buckets whose lifecycle configuration another stack builds (with `lifecycles_elsewhere`)."""
        return [b for b in (self.templates_bucket, self.access_log_bucket) if b.props.lifecycle_elsewhere]

    def _object(self, art: Artifact) -> S3Object:
        found = self.artifacts.get((art.blueprint, art.key))
        if found is None:
            # Terraform would read the template's ${...} (CloudFormation's !Sub) as its own interpolation.
            body = (
                dict(content=art.content.decode("utf-8").replace("${", "$${").replace("%{", "%%{"), content_type="text/yaml")
                if art.is_text
                else dict(content_base64=base64.b64encode(art.content).decode("ascii"), content_type="application/gzip")
            )
            found = S3Object(
                self,
                logical_id("catalog_artifact", art.key),
                bucket=self.templates_bucket.bucket.id,
                key=art.key,
                server_side_encryption="aws:kms",
                kms_key_id=self.key.arn,
                depends_on=[self.templates_bucket.policy],
                **body,
            )
            found.override_logical_id(logical_id("catalog_artifact", f"{art.blueprint}_{art.kind}_{art.sha256[:16]}"))
            self.artifacts[(art.blueprint, art.key)] = found
        return found

    def _url(self, art: Artifact) -> str:
        return f"https://{self.templates_bucket.bucket.bucket_regional_domain_name}/{art.key}"

    def _product(self, spec: ProductSpec, protect) -> None:
        first, *later = spec.versions
        obj = self._object(first.artifact)
        product = ServicecatalogProduct(
            self,
            logical_id("catalog_product", spec.name),
            name=spec.name,
            owner=spec.owner,
            type=PRODUCT_TYPE[spec.kind],
            description=spec.description or None,
            distributor=spec.distributor or None,
            support_email=spec.support_email,
            support_url=spec.support_url,
            support_description=spec.support_description or None,
            provisioning_artifact_parameters=ServicecatalogProductProvisioningArtifactParameters(
                name=first.name,
                description=first.description or None,
                type=ARTIFACT_TYPE[spec.kind],
                template_url=self._url(first.artifact),
                disable_template_validation=True if spec.kind == "terraform" else None,
            ),
            # Provider 5.100.0 replaces a product whose initial artifact changes: later versions are their own resources.
            lifecycle=TerraformResourceLifecycle(
                prevent_destroy=protect.prevent_destroy, ignore_changes=["provisioning_artifact_parameters"]
            ),
            depends_on=[obj],
        )
        product.override_logical_id(logical_id("catalog_product", spec.name))
        self.products[spec.name] = product
        for version in later:
            art = ServicecatalogProvisioningArtifact(
                self,
                logical_id("catalog_version", f"{spec.name}_{version.name}"),
                product_id=product.id,
                name=version.name,
                description=version.description or None,
                type=ARTIFACT_TYPE[spec.kind],
                template_url=self._url(version.artifact),
                guidance="DEPRECATED" if version.deprecated else "DEFAULT",
                active=True,
                disable_template_validation=True if spec.kind == "terraform" else None,
                depends_on=[self._object(version.artifact)],
            )
            art.override_logical_id(logical_id("catalog_version", f"{spec.name}_{version.name}"))

    def _portfolio(self, spec: PortfolioSpec, protect) -> None:
        pid = logical_id("catalog_portfolio", spec.name)
        portfolio = ServicecatalogPortfolio(
            self, pid, name=spec.name, provider_name=spec.provider, description=spec.description or None, lifecycle=protect
        )
        portfolio.override_logical_id(pid)
        self.portfolios[spec.name] = portfolio
        for name in spec.products:
            key = f"{spec.name}_{name}"
            association = ServicecatalogProductPortfolioAssociation(
                self, logical_id("catalog_association", key), portfolio_id=portfolio.id, product_id=self.products[name].id
            )
            association.override_logical_id(logical_id("catalog_association", key))
            # A constraint on a product not yet in the portfolio is refused: after the association.
            constraint = ServicecatalogConstraint(
                self,
                logical_id("catalog_launch", key),
                portfolio_id=portfolio.id,
                product_id=self.products[name].id,
                type="LAUNCH",
                parameters=json.dumps({"LocalRoleName": self.props.launch_role_name}, separators=(",", ":")),
                description=f"Launch {name} through {self.props.launch_role_name} in the launching account",
                depends_on=[association],
            )
            constraint.override_logical_id(logical_id("catalog_launch", key))
        for tag_key, value in spec.tag_options:
            option = self._tag_option(tag_key, value)
            assoc = ServicecatalogTagOptionResourceAssociation(
                self,
                logical_id("catalog_tag_option_association", f"{spec.name}_{tag_key}_{value}"),
                resource_id=portfolio.id,
                tag_option_id=option.id,
            )
            assoc.override_logical_id(logical_id("catalog_tag_option_association", f"{spec.name}_{tag_key}_{value}"))
        for permission_set in spec.permission_sets:
            principal = ServicecatalogPrincipalPortfolioAssociation(
                self,
                logical_id("catalog_principal", f"{spec.name}_{permission_set}"),
                portfolio_id=portfolio.id,
                principal_type="IAM_PATTERN",
                principal_arn=sso_role_pattern(permission_set),
            )
            principal.override_logical_id(logical_id("catalog_principal", f"{spec.name}_{permission_set}"))
        for path in spec.ou_paths:
            # Provider 5.100.0 accepts an OU share only by the OU's ARN (an id fails its validation).
            self._share(spec, portfolio, path, self.props.organizational_units.ou_arn(path), "ORGANIZATIONAL_UNIT")
        for name, account_id in spec.account_ids:
            self._share(spec, portfolio, name, account_id, "ACCOUNT")

    def _tag_option(self, key: str, value: str) -> ServicecatalogTagOption:
        # Tag options are per account: one resource per key and value, whichever portfolios use it.
        if (key, value) not in self._tag_options:
            option = ServicecatalogTagOption(self, logical_id("catalog_tag_option", f"{key}_{value}"), key=key, value=value)
            option.override_logical_id(logical_id("catalog_tag_option", f"{key}_{value}"))
            self._tag_options[(key, value)] = option
        return self._tag_options[(key, value)]

    def _share(self, spec: PortfolioSpec, portfolio, target: str, principal_id: str, kind: str) -> None:
        sid = logical_id("catalog_share", f"{spec.name}_{target}")
        share = ServicecatalogPortfolioShare(
            self,
            sid,
            portfolio_id=portfolio.id,
            principal_id=principal_id,
            type=kind,
            share_principals=spec.share_principals if kind != "ACCOUNT" else None,
            share_tag_options=spec.share_tag_options,
            depends_on=list(self.props.share_depends_on) or None,
        )
        share.override_logical_id(sid)
        self.shares[(spec.name, target)] = share


def catalog_props(
    env,
    root: Path,
    organizational_units: OrganizationalUnits,
    account_id: str,
    account_ids: dict[str, str],
    name_prefix: str,
    share_depends_on: tuple = (),
    prevent_destroy: bool = True,
    force_destroy: bool = False,
    lifecycles_elsewhere: bool = False,
) -> ServiceCatalogProps:
    """ServiceCatalogProps from a validated `self_service:` section; blueprints are read from `root`; `account_id`
    is the catalog account's."""
    section = env.self_service
    products = tuple(
        ProductSpec(
            name=p.name,
            owner=p.owner,
            kind=p.type,
            description=p.description,
            distributor=p.distributor,
            support_email=p.support_email,
            support_url=p.support_url,
            support_description=p.support_description,
            versions=tuple(
                VersionSpec(
                    name=v.name, description=v.description, deprecated=v.deprecated, artifact=artifact(root, v.blueprint, p.type)
                )
                for v in p.versions
            ),
        )
        for p in section.products
    )
    portfolios = tuple(
        PortfolioSpec(
            name=p.name,
            provider=p.provider,
            description=p.description,
            products=tuple(p.products),
            ou_paths=tuple(p.share_to_ous),
            account_ids=tuple((name, account_ids[name]) for name in p.share_to_accounts),
            share_principals=p.share_principals,
            share_tag_options=p.share_tag_options,
            tag_options=tuple((t.key, v) for t in p.tag_options for v in t.values),
            permission_sets=tuple(p.permission_sets),
        )
        for p in section.portfolios
    )
    return ServiceCatalogProps(
        organizational_units=organizational_units,
        account_id=account_id,
        name_prefix=name_prefix,
        launch_role_name=section.launch_role_name,
        products=products,
        portfolios=portfolios,
        share_depends_on=share_depends_on,
        prevent_destroy=prevent_destroy,
        force_destroy=force_destroy,
        lifecycles_elsewhere=lifecycles_elsewhere,
    )
