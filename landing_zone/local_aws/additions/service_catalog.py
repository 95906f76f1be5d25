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

import fnmatch
import json
import re
import uuid
from datetime import datetime, timezone
from urllib.parse import urlparse

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
def _organizations(account_id: str):
    from moto.organizations.models import organizations_backends

    return organizations_backends[account_id][PARTITION]


def enable_aws_organizations_access(self) -> str:
    org = _organizations(self.current_account).org
    if org is None or org.master_account_id != self.current_account:
        # Only the management account can (a delegated administrator cannot).
        raise json_error("InvalidStateException", "Only the organization's management account can enable AWS Organizations access")
    state(_backend(self), "organizations_access")["status"] = "ENABLED"
    return "{}"


def disable_aws_organizations_access(self) -> str:
    state(_backend(self), "organizations_access")["status"] = "DISABLED"
    return "{}"


def get_aws_organizations_access_status(self) -> str:
    return json.dumps({"AccessStatus": state(_backend(self), "organizations_access").get("status", "DISABLED")})


# -- portfolio associations: products, principals, tag options, constraints ---------------------
def _portfolio(backend, portfolio_id: str):
    portfolio = backend.portfolios.get(portfolio_id)
    if portfolio is None:
        raise _not_found(f"Portfolio {portfolio_id} not found")
    return portfolio


def _portfolio_dict(portfolio) -> dict:
    return {**portfolio.to_dict(), "CreatedTime": portfolio.created_time.timestamp()}


def _members(backend, portfolio_id: str) -> list[str]:
    return state(backend, "portfolio_products").setdefault(portfolio_id, [])


def associate_product_with_portfolio(self) -> str:
    params = _params(self)
    backend = _backend(self)
    _portfolio(backend, params["PortfolioId"])
    _product(backend, params["ProductId"])
    members = _members(backend, params["PortfolioId"])
    if params["ProductId"] not in members:
        members.append(params["ProductId"])
    return "{}"


def disassociate_product_from_portfolio(self) -> str:
    params = _params(self)
    backend = _backend(self)
    members = _members(backend, params["PortfolioId"])
    if params["ProductId"] not in members:
        raise _not_found(f"Product {params['ProductId']} is not in portfolio {params['PortfolioId']}")
    if any(c["ProductId"] == params["ProductId"] for c in _constraints(backend, params["PortfolioId"])):
        raise json_error("ResourceInUseException", "Delete the product's constraints in this portfolio first")
    members.remove(params["ProductId"])
    return "{}"


def list_portfolios_for_product(self) -> str:
    params = _params(self)
    backend = _backend(self)
    table = state(backend, "portfolio_products")
    found = [_portfolio_dict(backend.portfolios[p]) for p, products in table.items() if params["ProductId"] in products]
    return json.dumps({"PortfolioDetails": found})


def _principals(backend, portfolio_id: str) -> list[dict]:
    return state(backend, "principals").setdefault(portfolio_id, [])


def associate_principal_with_portfolio(self) -> str:
    params = _params(self)
    backend = _backend(self)
    _portfolio(backend, params["PortfolioId"])
    arn, kind = params["PrincipalARN"], params["PrincipalType"]
    if kind == "IAM_PATTERN" and not re.match(r"^arn:[a-z-]+:iam:::(role|user|group)/", arn):
        raise _invalid("An IAM_PATTERN principal has no account id: arn:<partition>:iam:::<type>/<pattern>")
    principals = _principals(backend, params["PortfolioId"])
    if not any(p["PrincipalARN"] == arn for p in principals):
        principals.append({"PrincipalARN": arn, "PrincipalType": kind})
    return "{}"


def disassociate_principal_from_portfolio(self) -> str:
    params = _params(self)
    principals = _principals(_backend(self), params["PortfolioId"])
    kept = [p for p in principals if p["PrincipalARN"] != params["PrincipalARN"]]
    if len(kept) == len(principals):
        raise _not_found(f"Principal {params['PrincipalARN']} is not associated with portfolio {params['PortfolioId']}")
    principals[:] = kept
    return "{}"


def list_principals_for_portfolio(self) -> str:
    params = _params(self)
    return json.dumps({"Principals": list(_principals(_backend(self), params["PortfolioId"]))})


def _constraints(backend, portfolio_id: str | None = None) -> list[dict]:
    table = state(backend, "constraints")
    return [c for c in table.values() if portfolio_id is None or c["PortfolioId"] == portfolio_id]


def _constraint_out(c: dict) -> str:
    detail = {k: c[k] for k in ("ConstraintId", "Type", "Description", "Owner", "ProductId", "PortfolioId")}
    return json.dumps({"ConstraintDetail": detail, "ConstraintParameters": c["Parameters"], "Status": "AVAILABLE"})


def create_constraint(self) -> str:
    params = _params(self)
    backend = _backend(self)
    _portfolio(backend, params["PortfolioId"])
    if params["ProductId"] not in _members(backend, params["PortfolioId"]):
        # AWS refuses a constraint on a product the portfolio does not hold yet.
        raise _not_found(f"Product {params['ProductId']} is not associated with portfolio {params['PortfolioId']}")
    if params["Type"] == "LAUNCH":
        launch = json.loads(params["Parameters"])
        if len({"RoleArn", "LocalRoleName"} & set(launch)) != 1:
            raise _invalid("A LAUNCH constraint names exactly one of RoleArn and LocalRoleName")
        if any(
            c["Type"] == "LAUNCH" and c["ProductId"] == params["ProductId"] for c in _constraints(backend, params["PortfolioId"])
        ):
            raise json_error("DuplicateResourceException", "The product already has a launch constraint in this portfolio")
    cid = f"cons-{uuid.uuid4().hex[:13]}"
    constraint = {
        "ConstraintId": cid,
        "Type": params["Type"],
        "Description": params.get("Description", ""),
        "Owner": self.current_account,
        "ProductId": params["ProductId"],
        "PortfolioId": params["PortfolioId"],
        "Parameters": params["Parameters"],
    }
    state(backend, "constraints")[cid] = constraint
    return _constraint_out(constraint)


def _constraint(backend, cid: str) -> dict:
    constraint = state(backend, "constraints").get(cid)
    if constraint is None:
        raise _not_found(f"Constraint {cid} not found")
    return constraint


def describe_constraint(self) -> str:
    return _constraint_out(_constraint(_backend(self), _params(self)["Id"]))


def update_constraint(self) -> str:
    params = _params(self)
    constraint = _constraint(_backend(self), params["Id"])
    if "Description" in params:
        constraint["Description"] = params["Description"]
    if "Parameters" in params:
        constraint["Parameters"] = params["Parameters"]
    return _constraint_out(constraint)


def delete_constraint(self) -> str:
    params = _params(self)
    backend = _backend(self)
    _constraint(backend, params["Id"])
    del state(backend, "constraints")[params["Id"]]
    return "{}"


def list_constraints_for_portfolio(self) -> str:
    params = _params(self)
    found = [
        c
        for c in _constraints(_backend(self), params["PortfolioId"])
        if not params.get("ProductId") or c["ProductId"] == params["ProductId"]
    ]
    keys = ("ConstraintId", "Type", "Description", "Owner", "ProductId", "PortfolioId")
    return json.dumps({"ConstraintDetails": [{k: c[k] for k in keys} for c in found]})


def _tag_options(backend) -> dict:
    return state(backend, "tag_options")


def create_tag_option(self) -> str:
    params = _params(self)
    options = _tag_options(_backend(self))
    if any(o["Key"] == params["Key"] and o["Value"] == params["Value"] for o in options.values()):
        raise json_error("DuplicateResourceException", f"Tag option {params['Key']}={params['Value']} already exists")
    tid = f"tag-{uuid.uuid4().hex[:13]}"
    options[tid] = {"Id": tid, "Key": params["Key"], "Value": params["Value"], "Active": True, "Owner": self.current_account}
    return json.dumps({"TagOptionDetail": options[tid]})


def _tag_option(backend, tid: str) -> dict:
    option = _tag_options(backend).get(tid)
    if option is None:
        raise _not_found(f"Tag option {tid} not found")
    return option


def describe_tag_option(self) -> str:
    return json.dumps({"TagOptionDetail": _tag_option(_backend(self), _params(self)["Id"])})


def update_tag_option(self) -> str:
    params = _params(self)
    option = _tag_option(_backend(self), params["Id"])
    for key in ("Value", "Active"):
        if key in params:
            option[key] = params[key]
    return json.dumps({"TagOptionDetail": option})


def delete_tag_option(self) -> str:
    params = _params(self)
    backend = _backend(self)
    _tag_option(backend, params["Id"])
    if state(backend, "tag_option_resources").get(params["Id"]):
        raise json_error("ResourceInUseException", "The tag option is still associated with resources")
    del _tag_options(backend)[params["Id"]]
    return "{}"


def associate_tag_option_with_resource(self) -> str:
    params = _params(self)
    backend = _backend(self)
    _tag_option(backend, params["TagOptionId"])
    resources = state(backend, "tag_option_resources").setdefault(params["TagOptionId"], [])
    if params["ResourceId"] not in resources:
        resources.append(params["ResourceId"])
    return "{}"


def disassociate_tag_option_from_resource(self) -> str:
    params = _params(self)
    resources = state(_backend(self), "tag_option_resources").get(params["TagOptionId"], [])
    if params["ResourceId"] not in resources:
        raise _not_found(f"Tag option {params['TagOptionId']} is not associated with {params['ResourceId']}")
    resources.remove(params["ResourceId"])
    return "{}"


def list_resources_for_tag_option(self) -> str:
    params = _params(self)
    backend = _backend(self)
    out = []
    for rid in state(backend, "tag_option_resources").get(params["TagOptionId"], []):
        item = backend.portfolios.get(rid) or backend.products.get(rid)
        if item is not None:
            out.append({"Id": rid, "ARN": item.arn, "Name": getattr(item, "display_name", None) or getattr(item, "name", "")})
    return json.dumps({"ResourceDetails": out})


# -- shares ---------------------------------------------------------------------------------------
def _shares(backend) -> dict:
    """(portfolio id, type, principal id) -> share detail; types as DescribePortfolioShares names them."""
    return state(backend, "shares")


SHARE_TYPES = {"ACCOUNT": "ORGANIZATION_MEMBER_ACCOUNT", "ORGANIZATIONAL_UNIT": "ORGANIZATIONAL_UNIT", "ORGANIZATION": "ORGANIZATION"}


def _share_key(params: dict) -> tuple[str, str, str]:
    node = params.get("OrganizationNode")
    if node:
        return params["PortfolioId"], SHARE_TYPES[node["Type"]], node["Value"]
    return params["PortfolioId"], "ACCOUNT", params["AccountId"]


def _install_share_tracking() -> None:
    """Keep every share's flags (moto reports an account share's as false, and forgets OU shares' types)."""
    from moto.servicecatalog.responses import ServiceCatalogResponse

    if getattr(ServiceCatalogResponse, "_lz_shares", False):
        return
    create, delete = ServiceCatalogResponse.create_portfolio_share, ServiceCatalogResponse.delete_portfolio_share

    def create_portfolio_share(self):
        params = _params(self)
        backend = _backend(self)
        _portfolio(backend, params["PortfolioId"])
        key = _share_key(params)
        if key[1] != "ACCOUNT" and state(backend, "organizations_access").get("status") != "ENABLED":
            raise _invalid("Enable AWS Organizations access before sharing to an organization node")
        result = create(self)
        _shares(backend)[key] = {
            "PrincipalId": key[2],
            "Type": key[1],
            # Shares through Organizations need no acceptance; an account share waits for the recipient.
            "Accepted": key[1] != "ACCOUNT",
            "ShareTagOptions": bool(params.get("ShareTagOptions")),
            "SharePrincipals": bool(params.get("SharePrincipals")),
        }
        return result

    def delete_portfolio_share(self):
        params = _params(self)
        if _shares(_backend(self)).pop(_share_key(params), None) is None:
            raise _not_found("No such portfolio share")
        return delete(self)

    ServiceCatalogResponse.create_portfolio_share = create_portfolio_share
    ServiceCatalogResponse.delete_portfolio_share = delete_portfolio_share
    ServiceCatalogResponse.describe_portfolio_shares = describe_portfolio_shares
    ServiceCatalogResponse._lz_shares = True


def describe_portfolio_shares(self) -> str:
    params = _params(self)
    found = [
        dict(detail)
        for (pid, kind, _), detail in _shares(_backend(self)).items()
        if pid == params["PortfolioId"] and kind == params["Type"]
    ]
    return json.dumps({"PortfolioShareDetails": found})


def describe_portfolio_share_status(self) -> str:
    token = _params(self)["PortfolioShareToken"]
    for (pid, kind, principal), _ in _shares(_backend(self)).items():
        if token.startswith(f"share-{pid}-") and principal in token:
            return json.dumps(
                {
                    "PortfolioShareToken": token,
                    "PortfolioId": pid,
                    "OrganizationNodeValue": principal,
                    "Status": "COMPLETED",
                    "ShareDetails": {"SuccessfulShares": [principal], "ShareErrors": []},
                }
            )
    raise _not_found(f"Portfolio share {token} not found")


def update_portfolio_share(self) -> str:
    params = _params(self)
    detail = _shares(_backend(self)).get(_share_key(params))
    if detail is None:
        raise _not_found("No such portfolio share")
    for key in ("ShareTagOptions", "SharePrincipals"):
        if key in params:
            detail[key] = bool(params[key])
    return json.dumps({"Status": "COMPLETED"})


# -- the end user's side (a member account) -------------------------------------------------------
def _catalog_backends(region: str):
    from moto.servicecatalog.models import servicecatalog_backends

    for account_id in list(servicecatalog_backends.keys()):
        backend = servicecatalog_backends[account_id].get(region) if region in servicecatalog_backends[account_id] else None
        if backend is not None:
            yield backend


def _ancestors(account_id: str) -> set[str]:
    """The account's OU ids up to the root, from whichever organization holds it."""
    from moto.organizations.models import organizations_backends

    for owner in list(organizations_backends.keys()):
        org = organizations_backends[owner][PARTITION]
        account = next((a for a in org.accounts if a.id == account_id), None)
        if account is None or org.org is None:
            continue
        parents = {ou.id: getattr(ou, "parent_id", None) for ou in org.ou}
        out, node = set(), account.parent_id
        while node:
            out.add(node)
            node = parents.get(node)
        return out
    return set()


def _caller_arn(self) -> str | None:
    from moto.sts.models import sts_backends

    role = sts_backends[self.current_account][PARTITION].get_assumed_role_from_access_key(self.get_access_key())
    return role.role_arn if role else None


def _matches(principal: dict, arn: str | None) -> bool:
    if not arn:
        return False
    if principal["PrincipalType"] == "IAM_PATTERN":
        # The pattern has no account id: it matches the same path and name in any account.
        return fnmatch.fnmatchcase(re.sub(r"^(arn:[a-z-]+:iam::)\d{12}(:)", r"\1\2", arn), principal["PrincipalARN"])
    return principal["PrincipalARN"] == arn


def _reachable(self) -> list[tuple]:
    """(backend, portfolio, share detail or None) of every portfolio the caller's account may launch from."""
    account = self.current_account
    ous = None
    caller = _caller_arn(self)
    out = []
    for backend in _catalog_backends(self.region):
        for portfolio in backend.portfolios.values():
            if backend.account_id == account:
                principals = _principals(backend, portfolio.id)
            else:
                share = None
                for (pid, kind, principal), detail in _shares(backend).items():
                    if pid != portfolio.id or not detail["Accepted"]:
                        continue
                    if kind in ("ACCOUNT", "ORGANIZATION_MEMBER_ACCOUNT") and principal == account:
                        share = detail
                    elif kind in ("ORGANIZATIONAL_UNIT", "ORGANIZATION"):
                        ous = _ancestors(account) if ous is None else ous
                        if principal.rsplit("/", 1)[-1] in ous:
                            share = detail
                    if share:
                        break
                if share is None:
                    continue
                # Only a share that carries the owner's principals lets them launch (recipients'
                # own associations are not modelled here).
                principals = _principals(backend, portfolio.id) if share["SharePrincipals"] else []
            if any(_matches(p, caller) for p in principals):
                out.append((backend, portfolio))
    return out


def accept_portfolio_share(self) -> str:
    params = _params(self)
    for backend in _catalog_backends(self.region):
        detail = _shares(backend).get((params["PortfolioId"], "ACCOUNT", self.current_account))
        if detail is not None:
            detail["Accepted"] = True
            return "{}"
    raise _not_found(f"No share of portfolio {params['PortfolioId']} to account {self.current_account}")


def _launchable(self) -> list[tuple]:
    """(backend, portfolio, product) the caller may launch."""
    return [
        (backend, portfolio, backend.products[pid])
        for backend, portfolio in _reachable(self)
        for pid in _members(backend, portfolio.id)
        if pid in backend.products
    ]


def search_products(self) -> str:
    seen, views = set(), []
    for _, _, product in _launchable(self):
        if product.id not in seen:
            seen.add(product.id)
            views.append(product.to_dict())
    return json.dumps({"ProductViewSummaries": views, "ProductViewAggregations": {}})


def _launch_constraint(backend, portfolio, product) -> dict | None:
    for c in _constraints(backend, portfolio.id):
        if c["ProductId"] == product.id and c["Type"] == "LAUNCH":
            return json.loads(c["Parameters"])
    return None


def list_launch_paths(self) -> str:
    product_id = _params(self)["ProductId"]
    paths = []
    for backend, portfolio, product in _launchable(self):
        if product.id != product_id:
            continue
        launch = _launch_constraint(backend, portfolio, product)
        summaries = [{"Type": "LAUNCH", "Description": json.dumps(launch)}] if launch else []
        paths.append({"Id": portfolio.id, "Name": portfolio.display_name, "ConstraintSummaries": summaries, "Tags": []})
    if not paths:
        raise _not_found(f"Product {product_id} is not available to the caller")
    return json.dumps({"LaunchPathSummaries": paths})


def describe_product(self) -> str:
    """The end user's view of a product (moto's own answers only in the owner's account, without artifacts)."""
    params = _params(self)
    for backend, _, product in _launchable(self):
        if product.id == params.get("Id") or product.name == params.get("Name"):
            arts = [a for a in _artifacts(backend, product) if a["Active"]]
            return json.dumps(
                {
                    "ProductViewSummary": product.to_dict(),
                    "ProvisioningArtifacts": [
                        {k: a[k] for k in ("Id", "Name", "Description", "CreatedTime", "Guidance")} for a in arts
                    ],
                    "Budgets": [],
                    "LaunchPaths": [{"Id": p.id, "Name": p.display_name} for b, p, pr in _launchable(self) if pr is product],
                }
            )
    raise _not_found(f"Product {params.get('Id') or params.get('Name')} not found")


def _records(self) -> dict:
    return state(_backend(self), "records")


def _template(url: str) -> str:
    from moto.s3.models import s3_backends

    parsed = urlparse(url)
    bucket, key = parsed.netloc.split(".s3", 1)[0], parsed.path.lstrip("/")
    partition_account = s3_backends.bucket_accounts.get(bucket)
    if partition_account is None:
        raise _invalid(f"Template {url} is not readable: no bucket {bucket}")
    _, owner = partition_account
    return s3_backends[owner][PARTITION].get_object(bucket, key).value.decode("utf-8")


def _run_stack(self, name: str, template: str, parameters: list[dict], role_arn: str) -> tuple[str, str, dict]:
    """Create the product's stack in the caller's account as the launch role: (status, message, outputs)."""
    from moto.cloudformation.models import cloudformation_backends

    cfn = cloudformation_backends[self.current_account][self.region]
    try:
        stack = cfn.create_stack(
            name=name, template=template, parameters={p["Key"]: p["Value"] for p in parameters}, role_arn=role_arn
        )
    except Exception as error:  # the record carries why, as AWS's does
        return "FAILED", f"{type(error).__name__}: {error}", {}
    if not stack.status.endswith("_COMPLETE") or "ROLLBACK" in stack.status:
        return "FAILED", stack.status, {}
    return "SUCCEEDED", "", {k: v for k, v in stack.stack_outputs.items()} if hasattr(stack, "stack_outputs") else {}


def provision_product(self) -> str:
    from moto.iam.models import iam_backends

    params = _params(self)
    match = [
        (b, p, pr)
        for b, p, pr in _launchable(self)
        if pr.id == params.get("ProductId") and (not params.get("PathId") or p.id == params["PathId"])
    ]
    if not match:
        raise _not_found(f"Product {params.get('ProductId')} is not available to the caller")
    backend, portfolio, product = match[0]
    art = _artifact(backend, product, params.get("ProvisioningArtifactId"), params.get("ProvisioningArtifactName"))
    if not art["Active"]:
        raise _invalid(f"Provisioning artifact {art['Id']} is not active")
    launch = _launch_constraint(backend, portfolio, product)
    role_arn = None
    if launch:
        iam = iam_backends[self.current_account][PARTITION]
        if "LocalRoleName" in launch:
            role = next((r for r in iam.roles.values() if r.name == launch["LocalRoleName"]), None)
            if role is None:
                raise _invalid(f"The launch role {launch['LocalRoleName']} does not exist in account {self.current_account}")
            role_arn = role.arn
        else:
            role_arn = launch["RoleArn"]
    pp_id = f"pp-{uuid.uuid4().hex[:13]}"
    record_id = f"rec-{uuid.uuid4().hex[:13]}"
    name = params["ProvisionedProductName"]
    if art["Type"] == "CLOUD_FORMATION_TEMPLATE":
        status, message, outputs = _run_stack(
            self, f"SC-{self.current_account}-{pp_id}", _template(art["TemplateUrl"]), params.get("ProvisioningParameters", []), role_arn
        )
    else:
        status, message, outputs = "IN_PROGRESS", "no Terraform engine on the local API: record only", {}
    record = {
        "RecordId": record_id,
        "ProvisionedProductName": name,
        "Status": status,
        "CreatedTime": _now(),
        "UpdatedTime": _now(),
        "ProvisionedProductType": art["Type"],
        "RecordType": "PROVISION_PRODUCT",
        "ProvisionedProductId": pp_id,
        "ProductId": product.id,
        "ProvisioningArtifactId": art["Id"],
        "PathId": portfolio.id,
        "RecordErrors": [{"Code": "LOCAL", "Description": message}] if status == "FAILED" else [],
        "RecordTags": params.get("Tags", []),
        "LaunchRoleArn": role_arn,
        "_outputs": outputs,
        "_note": message,
    }
    _records(self)[record_id] = record
    state(_backend(self), "provisioned")[pp_id] = record_id
    return json.dumps({"RecordDetail": {k: v for k, v in record.items() if not k.startswith("_")}})


def describe_record(self) -> str:
    record = _records(self).get(_params(self)["Id"])
    if record is None:
        raise _not_found("Record not found")
    outputs = [{"OutputKey": k, "OutputValue": str(v)} for k, v in record["_outputs"].items()]
    return json.dumps({"RecordDetail": {k: v for k, v in record.items() if not k.startswith("_")}, "RecordOutputs": outputs})


def search_provisioned_products(self) -> str:
    records = _records(self)
    out = []
    for pp_id, record_id in state(_backend(self), "provisioned").items():
        r = records[record_id]
        out.append(
            {
                "Name": r["ProvisionedProductName"],
                "Id": pp_id,
                "Type": r["ProvisionedProductType"],
                "Status": "AVAILABLE" if r["Status"] == "SUCCEEDED" else "ERROR" if r["Status"] == "FAILED" else "UNDER_CHANGE",
                "LastRecordId": record_id,
                "ProductId": r["ProductId"],
                "ProvisioningArtifactId": r["ProvisioningArtifactId"],
                "CreatedTime": r["CreatedTime"],
            }
        )
    return json.dumps({"ProvisionedProducts": out, "TotalResultsCount": len(out)})


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
    associate_product_with_portfolio,
    disassociate_product_from_portfolio,
    list_portfolios_for_product,
    associate_principal_with_portfolio,
    disassociate_principal_from_portfolio,
    list_principals_for_portfolio,
    create_constraint,
    describe_constraint,
    update_constraint,
    delete_constraint,
    list_constraints_for_portfolio,
    create_tag_option,
    describe_tag_option,
    update_tag_option,
    delete_tag_option,
    associate_tag_option_with_resource,
    disassociate_tag_option_from_resource,
    list_resources_for_tag_option,
    describe_portfolio_share_status,
    update_portfolio_share,
    accept_portfolio_share,
    search_products,
    list_launch_paths,
    provision_product,
    describe_record,
    search_provisioned_products,
)


def install() -> None:
    from moto.servicecatalog.responses import ServiceCatalogResponse

    add_actions(ServiceCatalogResponse, *ACTIONS)
    _install_share_tracking()
    if not getattr(ServiceCatalogResponse, "_lz_describe_product", False):
        owner_describe = ServiceCatalogResponse.describe_product

        def describe_product_any(self):
            params = _params(self)
            backend = _backend(self)
            if params.get("Id") in backend.products or (params.get("Name") and backend.lookup_by_name(params["Name"])):
                return owner_describe(self)
            return describe_product(self)

        ServiceCatalogResponse.describe_product = describe_product_any
        ServiceCatalogResponse._lz_describe_product = True
