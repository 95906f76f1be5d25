"""Service Catalog on the local API: portfolio associations (products, principals, tag options),
constraints and shares; see service_catalog.py for what moto lacks and why."""

from __future__ import annotations

import json
import re
import uuid

from ._helpers import json_error, state
from .service_catalog import (
    _backend,
    _invalid,
    _not_found,
    _params,
    _product,
    organization_share_refusal,
)


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


SHARE_TYPES = {
    "ACCOUNT": "ORGANIZATION_MEMBER_ACCOUNT",
    "ORGANIZATIONAL_UNIT": "ORGANIZATIONAL_UNIT",
    "ORGANIZATION": "ORGANIZATION",
}


def _share_key(params: dict) -> tuple[str, str, str]:
    node = params.get("OrganizationNode")
    if node:
        return params["PortfolioId"], SHARE_TYPES[node["Type"]], node["Value"]
    return params["PortfolioId"], "ACCOUNT", params["AccountId"]


def install_share_tracking() -> None:
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
        refusal = organization_share_refusal(self.current_account, self.region) if key[1] != "ACCOUNT" else None
        if refusal:
            raise _invalid(refusal)
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
        backend = _backend(self)
        key = _share_key(params)
        if _shares(backend).pop(key, None) is None:
            raise _not_found("No such portfolio share")
        node = params.get("OrganizationNode")
        if node:
            # The deletion's token (moto's own spelling) reports COMPLETED, as AWS's does once the share is gone.
            state(backend, "share_tokens_done")[f"share-{key[0]}-{node['Type']}-{node['Value']}"] = key
        return delete(self)

    ServiceCatalogResponse.create_portfolio_share = create_portfolio_share  # type: ignore[method-assign]  # patches moto's class at run time
    ServiceCatalogResponse.delete_portfolio_share = delete_portfolio_share  # type: ignore[method-assign]  # patches moto's class at run time
    ServiceCatalogResponse.describe_portfolio_shares = describe_portfolio_shares  # type: ignore[method-assign, assignment]  # patches moto's class at run time
    ServiceCatalogResponse._lz_shares = True  # type: ignore[attr-defined]  # marks moto's patched class so it is patched once


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
    for (pid, _kind, principal), _ in _shares(_backend(self)).items():
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
    done = state(_backend(self), "share_tokens_done").get(token)
    if done is not None:
        return json.dumps(
            {
                "PortfolioShareToken": token,
                "PortfolioId": done[0],
                "OrganizationNodeValue": done[2],
                "Status": "COMPLETED",
                "ShareDetails": {"SuccessfulShares": [done[2]], "ShareErrors": []},
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


ACTIONS = (
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
)
