"""Service Catalog: what provider 5.100.0 and a team's launch need beyond moto 5.2's portfolios and products.

moto keeps portfolios, products and account shares. It has no Organizations
access, product and principal associations, constraints, provisioning
artifacts, tag options, `DescribeProductAsAdmin` (the provider's product
waiter), OU shares as the provider reads them back (`DescribePortfolioShares`
by type, `DescribePortfolioShareStatus`), nor the end user's side
(`SearchProducts`, `ListLaunchPaths`, `ProvisionProduct`, records).

The end user's side follows AWS's rules as far as the landing zone relies on
them: a member account sees a portfolio shared to it or to an OU above it (an
account share only once accepted); the caller must match a principal
association (IAM_PATTERN on the role's ARN, any account) of a portfolio whose
share carries principals, or of an accepted account share; the launch
constraint's `LocalRoleName` must exist in the launching account. A
CloudFormation product is then run as a stack in that account by moto's own
CloudFormation, and the record says whether the stack was created. A
Terraform product gets its record only (there is no Terraform engine here).
State lives on moto's per-account backends, so `POST /moto-api/reset` clears it.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

from ._helpers import add_actions, json_error, state

PARTITION = "aws"


def _now() -> float:
    return datetime.now(timezone.utc).timestamp()


def _params(self) -> dict:
    return json.loads(self.body or "{}")


def _backend(self):
    return self.servicecatalog_backend


def _not_found(what: str):
    return json_error("ResourceNotFoundException", what)


def _invalid(what: str):
    return json_error("InvalidParametersException", what)


# -- products and their provisioning artifacts ---------------------------------------------------
def _product(backend, product_id: str):
    product = backend.products.get(product_id)
    if product is None:
        raise _not_found(f"Product {product_id} not found")
    return product


def _artifact_detail(art: dict) -> dict:
    keys = ("Id", "Name", "Description", "Type", "CreatedTime", "Active", "Guidance")
    return {k: art[k] for k in keys if art.get(k) is not None}


def _artifacts(backend, product) -> list[dict]:
    """The product's artifacts; the first is the one CreateProduct carried (recorded on first use)."""
    table = state(backend, "artifacts")
    if product.id not in table:
        first = product.provisioning_artifact_parameters or {}
        table[product.id] = [_new_artifact(first)] if first else []
    return table[product.id]


def _new_artifact(parameters: dict) -> dict:
    info = parameters.get("Info") or {}
    return {
        "Id": f"pa-{uuid.uuid4().hex[:13]}",
        "Name": parameters.get("Name"),
        "Description": parameters.get("Description"),
        "Type": parameters.get("Type") or "CLOUD_FORMATION_TEMPLATE",
        "CreatedTime": _now(),
        "Active": True,
        "Guidance": "DEFAULT",
        "TemplateUrl": info.get("LoadTemplateFromURL"),
    }


def _artifact(backend, product, artifact_id: str | None, name: str | None = None) -> dict:
    for art in _artifacts(backend, product):
        if art["Id"] == artifact_id or (name and art["Name"] == name):
            return art
    raise _not_found(f"Provisioning artifact {artifact_id or name} not found for product {product.id}")


def _product_view(product) -> dict:
    return {
        "ProductViewSummary": product.to_dict(),
        "Status": "AVAILABLE",
        "ProductARN": product.arn,
        "CreatedTime": product.created_time.timestamp(),
    }


def describe_product_as_admin(self) -> str:
    params = _params(self)
    backend = _backend(self)
    product = backend.products.get(params.get("Id")) if params.get("Id") else backend.lookup_by_name(params.get("Name"))
    if product is None:
        raise _not_found(f"Product {params.get('Id') or params.get('Name')} not found")
    return json.dumps(
        {
            "ProductViewDetail": _product_view(product),
            "ProvisioningArtifactSummaries": [
                {k: a[k] for k in ("Id", "Name", "Description", "CreatedTime") if a.get(k) is not None}
                for a in _artifacts(backend, product)
            ],
            "Tags": product.tags,
            "TagOptions": [],
            "Budgets": [],
        },
        default=str,
    )


def update_product(self) -> str:
    params = _params(self)
    backend = _backend(self)
    product = _product(backend, params["Id"])
    fields = {
        "Name": "name",
        "Owner": "owner",
        "Description": "description",
        "Distributor": "distributor",
        "SupportDescription": "support_description",
        "SupportEmail": "support_email",
        "SupportUrl": "support_url",
    }
    for key, attr in fields.items():
        if key in params:
            setattr(product, attr, params[key])
    return json.dumps({"ProductViewDetail": _product_view(product), "Tags": product.tags}, default=str)


def create_provisioning_artifact(self) -> str:
    params = _params(self)
    backend = _backend(self)
    product = _product(backend, params["ProductId"])
    arts = _artifacts(backend, product)
    parameters = params.get("Parameters") or {}
    if any(a["Name"] == parameters.get("Name") for a in arts):
        raise json_error("DuplicateResourceException", f"Provisioning artifact {parameters.get('Name')} already exists")
    art = _new_artifact(parameters)
    arts.append(art)
    return json.dumps(
        {"ProvisioningArtifactDetail": _artifact_detail(art), "Info": {"TemplateUrl": art["TemplateUrl"]}, "Status": "AVAILABLE"}
    )


def describe_provisioning_artifact(self) -> str:
    params = _params(self)
    backend = _backend(self)
    product = _product(backend, params["ProductId"])
    art = _artifact(backend, product, params.get("ProvisioningArtifactId"), params.get("ProvisioningArtifactName"))
    return json.dumps(
        {"ProvisioningArtifactDetail": _artifact_detail(art), "Info": {"TemplateUrl": art["TemplateUrl"]}, "Status": "AVAILABLE"}
    )


def update_provisioning_artifact(self) -> str:
    params = _params(self)
    backend = _backend(self)
    art = _artifact(backend, _product(backend, params["ProductId"]), params["ProvisioningArtifactId"])
    for key in ("Name", "Description", "Active", "Guidance"):
        if key in params:
            art[key] = params[key]
    return json.dumps(
        {"ProvisioningArtifactDetail": _artifact_detail(art), "Info": {"TemplateUrl": art["TemplateUrl"]}, "Status": "AVAILABLE"}
    )


def delete_provisioning_artifact(self) -> str:
    params = _params(self)
    backend = _backend(self)
    product = _product(backend, params["ProductId"])
    arts = _artifacts(backend, product)
    art = _artifact(backend, product, params["ProvisioningArtifactId"])
    if len(arts) == 1:
        raise _invalid("A product needs at least one provisioning artifact")
    arts.remove(art)
    return "{}"


def list_provisioning_artifacts(self) -> str:
    params = _params(self)
    backend = _backend(self)
    product = _product(backend, params["ProductId"])
    return json.dumps({"ProvisioningArtifactDetails": [_artifact_detail(a) for a in _artifacts(backend, product)]})


# -- Organizations access -----------------------------------------------------------------------
SERVICE_PRINCIPAL = "servicecatalog.amazonaws.com"


def _organizations(account_id: str):
    from moto.organizations.models import organizations_backends

    return organizations_backends[account_id][PARTITION]


def enable_aws_organizations_access(self) -> str:
    org = _organizations(self.current_account).org
    if org is None or org.master_account_id != self.current_account:
        # Only the management account can (a delegated administrator cannot).
        raise json_error(
            "InvalidStateException", "Only the organization's management account can enable AWS Organizations access"
        )
    state(_backend(self), "organizations_access")["status"] = "ENABLED"
    return "{}"


def organization_share_refusal(account_id: str, region: str) -> str | None:
    """Why `account_id` may not share a portfolio to an organization node, or None when it may: as on AWS, the
    management account and Service Catalog's delegated administrator can, once the management account has turned
    Organizations access on."""
    from moto.organizations.models import organizations_backends
    from moto.servicecatalog.models import servicecatalog_backends

    enable_first = "Enable AWS Organizations access before sharing to an organization node"
    for owner in list(organizations_backends.keys()):
        org = _organizations(owner)
        if org.org is None or (owner != account_id and not any(a.id == account_id for a in org.accounts)):
            continue
        management = org.org.master_account_id
        delegated = any(a.account.id == account_id and SERVICE_PRINCIPAL in a.services for a in org.admins)
        if account_id != management and not delegated:
            return "Only the management account or Service Catalog's delegated administrator can share to an organization node"
        backends = servicecatalog_backends[management]
        backend = backends[region] if region in backends else None
        if backend is None or state(backend, "organizations_access").get("status") != "ENABLED":
            return enable_first
        return None
    return enable_first


def disable_aws_organizations_access(self) -> str:
    state(_backend(self), "organizations_access")["status"] = "DISABLED"
    return "{}"


def get_aws_organizations_access_status(self) -> str:
    return json.dumps({"AccessStatus": state(_backend(self), "organizations_access").get("status", "DISABLED")})


ACTIONS = (
    describe_product_as_admin,
    update_product,
    create_provisioning_artifact,
    describe_provisioning_artifact,
    update_provisioning_artifact,
    delete_provisioning_artifact,
    list_provisioning_artifacts,
    enable_aws_organizations_access,
    disable_aws_organizations_access,
    get_aws_organizations_access_status,
)


def install() -> None:
    from moto.servicecatalog.responses import ServiceCatalogResponse

    from . import service_catalog_launch as launch
    from . import service_catalog_portfolios as portfolios

    add_actions(ServiceCatalogResponse, *ACTIONS, *portfolios.ACTIONS, *launch.ACTIONS)
    portfolios.install_share_tracking()
    if not getattr(ServiceCatalogResponse, "_lz_describe_product", False):
        owner_describe = ServiceCatalogResponse.describe_product

        def describe_product_any(self):
            params = _params(self)
            backend = _backend(self)
            if params.get("Id") in backend.products or (params.get("Name") and backend.lookup_by_name(params["Name"])):
                return owner_describe(self)
            return launch.describe_product(self)

        ServiceCatalogResponse.describe_product = describe_product_any  # type: ignore[method-assign]  # patches moto's class at run time
        ServiceCatalogResponse._lz_describe_product = True  # type: ignore[attr-defined]  # marks moto's patched class so it is patched once
