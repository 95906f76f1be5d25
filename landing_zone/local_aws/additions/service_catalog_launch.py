"""Service Catalog on the local API: the end user's side in a member account (search, launch paths,
provisioning through the launch constraint, records); see service_catalog.py."""

from __future__ import annotations

import fnmatch
import json
import re
import uuid
from urllib.parse import urlparse

from ._helpers import state
from .service_catalog import (
    PARTITION,
    _artifact,
    _artifacts,
    _backend,
    _invalid,
    _not_found,
    _now,
    _params,
)
from .service_catalog_portfolios import _constraints, _members, _principals, _shares


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
        out: set[str] = set()
        node: str | None = account.parent_id
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
    found = s3_backends[owner][PARTITION].get_object(bucket, key)
    if found is None:
        raise _invalid(f"Template {url} is not readable: no object {key}")
    return found.value.decode("utf-8")


def _run_stack(self, name: str, template: str, parameters: list[dict], role_arn: str | None) -> tuple[str, str, dict]:
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
            self,
            f"SC-{self.current_account}-{pp_id}",
            _template(art["TemplateUrl"]),
            params.get("ProvisioningParameters", []),
            role_arn,
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
    accept_portfolio_share,
    search_products,
    list_launch_paths,
    provision_product,
    describe_record,
    search_provisioned_products,
)
