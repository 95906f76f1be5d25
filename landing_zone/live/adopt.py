"""`lz adopt ENV`: Terraform `import` blocks for what already exists in the live organization.

Reads the live organization read-only (boto3 List/Describe/Get) and the
synthesized management stack (`<synth dir>/stacks/management/cdk.tf.json`),
so every import block targets the exact address our stack synthesizes. A
resource of the stack is matched to a live one by its natural key: the
organization; an OU by its path; an account by email; an SCP by name; an
attachment by policy and target; an Identity Center group by display name;
a permission set by name; an assignment by group, permission set and account.
What exists live and the file does not mention is reported, never imported.
Control Tower is recognised by its `aws-controltower-*` / `AWSControlTower*`
resources and its `aws-guardrails-*` SCPs; those stay Control Tower's, and the
environment file's access role becomes `AWSControlTowerExecution`
(`set_control_tower_access_role`, access_role_edit.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..environment import LoadedEnvironment
from ..render import Document
from .access_role_edit import AccessRoleEdit, EditRefused, set_access_role
from .preflight import AwsClients

_REF = re.compile(r"^\$\{(?P<type>[a-z0-9_]+)\.(?P<name>[A-Za-z0-9_-]+)\.(?P<attr>[a-z_\[\]0-9.]+)\}$")
CONTROL_TOWER_EXECUTION = "AWSControlTowerExecution"


@dataclass(frozen=True)
class ImportBlock:
    to: str
    id: str
    what: str
    """People's name of the thing, e.g. `OU Workloads/Prod`."""


@dataclass
class AdoptPlan:
    imports: list[ImportBlock] = field(default_factory=list)
    to_create: list[str] = field(default_factory=list)
    """Addresses of the stack with nothing live to adopt (terraform creates them)."""
    unmanaged: list[str] = field(default_factory=list)
    """What exists live and the file does not mention."""
    control_tower: list[str] = field(default_factory=list)
    """Control Tower's resources found (empty: not a Control Tower organization)."""
    access_role: Optional[tuple[str, str]] = None
    """(the file's access role, Control Tower's) when they differ: `set_control_tower_access_role` writes it."""
    access_role_edit: Optional[AccessRoleEdit] = None
    access_role_advice: Optional[str] = None
    """Why the file could not be edited, and what to set by hand."""

    def as_terraform_json(self) -> dict:
        return {"import": [{"to": b.to, "id": b.id} for b in self.imports]}


def _ref(value: Any) -> Optional[str]:
    """`type.name` of a `${type.name.attr}` reference (None for anything else)."""
    if not isinstance(value, str):
        return None
    match = _REF.match(value)
    return f"{match['type']}.{match['name']}" if match else None


def _pages(client, operation: str, key: str, **kwargs) -> list:
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page[key]]


def read_management_stack(synth_dir: Path) -> dict:
    path = Path(synth_dir) / "stacks" / "management" / "cdk.tf.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `lz synth ENV --out {synth_dir}` first")
    return json.loads(path.read_text(encoding="utf-8"))


def plan_adoption(loaded: LoadedEnvironment, stack: dict, clients: AwsClients) -> AdoptPlan:
    """Match the management stack's resources to the live organization (read-only)."""
    import botocore.exceptions

    resources: dict[str, dict] = stack.get("resource") or {}
    plan = AdoptPlan()
    orgs = clients.client("organizations")
    try:
        organization = orgs.describe_organization()["Organization"]
    except botocore.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "AWSOrganizationsNotInUseException":
            plan.to_create = [f"{t}.{n}" for t, items in resources.items() for n in items]
            return plan
        raise
    live_ids: dict[str, str] = {}  # our address -> live id, for references

    def adopt(address: str, live_id: str, what: str) -> None:
        live_ids[address] = live_id
        plan.imports.append(ImportBlock(address, live_id, what))

    (root,) = orgs.list_roots()["Roots"]
    for name in resources.get("aws_organizations_organization", {}):
        adopt(f"aws_organizations_organization.{name}", organization["Id"], f"organization {organization['Id']}")
        live_ids[f"aws_organizations_organization.{name}#root"] = root["Id"]
        live_ids[f"aws_organizations_organization.{name}#master"] = organization["MasterAccountId"]

    def parent_of(value: Any) -> Optional[str]:
        """The live id a reference of the stack stands for (the root, the management account, an adopted resource)."""
        if isinstance(value, str) and value.endswith(".roots[0].id}"):
            return root["Id"]
        if isinstance(value, str) and value.endswith(".master_account_id}"):
            return organization["MasterAccountId"]
        ref = _ref(value)
        return live_ids.get(ref) if ref else None

    # OUs, parents first (a parent's live id is needed to find its children)
    live_ous: dict[tuple[str, str], dict] = {}
    seen_ou_ids: set[str] = set()

    def children(parent_id: str) -> list[dict]:
        return _pages(orgs, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent_id)

    all_ous: list[tuple[str, dict]] = []
    queue = [(root["Id"], "")]
    while queue:
        parent_id, path = queue.pop(0)
        for ou in children(parent_id):
            ou_path = f"{path}/{ou['Name']}".lstrip("/")
            live_ous[(parent_id, ou["Name"])] = ou
            all_ous.append((ou_path, ou))
            queue.append((ou["Id"], ou_path))
    pending = dict(resources.get("aws_organizations_organizational_unit", {}))
    while pending:
        progressed = False
        for name, body in list(pending.items()):
            parent = body.get("parent_id")
            parent_ref = _ref(parent)
            if parent_ref and parent_ref in (f"aws_organizations_organizational_unit.{n}" for n in pending):
                continue  # its parent is not placed yet
            progressed = True
            del pending[name]
            parent_id = parent_of(parent)
            found = live_ous.get((parent_id, body["name"])) if parent_id else None
            address = f"aws_organizations_organizational_unit.{name}"
            if found:
                adopt(address, found["Id"], f"OU {body['name']}")
                seen_ou_ids.add(found["Id"])
            else:
                plan.to_create.append(address)
        if not progressed:
            plan.to_create.extend(f"aws_organizations_organizational_unit.{n}" for n in pending)
            break
    plan.unmanaged += [f"OU {path} ({ou['Id']})" for path, ou in all_ous if ou["Id"] not in seen_ou_ids]

    # accounts by email
    accounts = _pages(orgs, "list_accounts", "Accounts")
    by_email = {a["Email"].lower(): a for a in accounts}
    seen_accounts = {organization["MasterAccountId"]}
    for name, body in resources.get("aws_organizations_account", {}).items():
        live = by_email.get(str(body.get("email", "")).lower())
        address = f"aws_organizations_account.{name}"
        if live:
            adopt(address, live["Id"], f"account {body.get('name')}")
            seen_accounts.add(live["Id"])
        else:
            plan.to_create.append(address)
    plan.unmanaged += [f"account {a['Name']} ({a['Id']}, {a['Email']})" for a in accounts if a["Id"] not in seen_accounts]

    # SCPs by name, then their attachments
    policies = _pages(orgs, "list_policies", "Policies", Filter="SERVICE_CONTROL_POLICY")
    by_name = {p["Name"]: p for p in policies}
    seen_policies = {"FullAWSAccess"}
    for name, body in resources.get("aws_organizations_policy", {}).items():
        live = by_name.get(body.get("name"))
        address = f"aws_organizations_policy.{name}"
        if live and body.get("type", "SERVICE_CONTROL_POLICY") == "SERVICE_CONTROL_POLICY":
            adopt(address, live["Id"], f"SCP {body.get('name')}")
            seen_policies.add(live["Name"])
        else:
            plan.to_create.append(address)
    for name, body in resources.get("aws_organizations_policy_attachment", {}).items():
        address = f"aws_organizations_policy_attachment.{name}"
        policy_id = live_ids.get(_ref(body.get("policy_id")) or "")
        target_id = parent_of(body.get("target_id"))
        if policy_id and target_id:
            targets = {t["TargetId"] for t in _pages(orgs, "list_targets_for_policy", "Targets", PolicyId=policy_id)}
            if target_id in targets:
                adopt(address, f"{target_id}:{policy_id}", f"SCP attachment {policy_id} on {target_id}")
                continue
        plan.to_create.append(address)
    for policy in policies:
        if policy["Name"] in seen_policies:
            continue
        if policy["Name"].startswith("aws-guardrails-"):
            plan.control_tower.append(f"SCP {policy['Name']} ({policy['Id']})")
        else:
            plan.unmanaged.append(f"SCP {policy['Name']} ({policy['Id']})")

    _adopt_identity_center(resources, clients, plan, adopt, live_ids, parent_of)
    _detect_control_tower(loaded, clients, plan)
    return plan


def _adopt_identity_center(resources, clients, plan: AdoptPlan, adopt, live_ids, parent_of) -> None:
    wanted = [
        t
        for t in ("aws_identitystore_group", "aws_ssoadmin_permission_set", "aws_ssoadmin_account_assignment")
        if resources.get(t)
    ]
    if not wanted:
        return
    sso = clients.client("sso-admin")
    instances = _pages(sso, "list_instances", "Instances")
    if not instances:
        for rtype in wanted:
            plan.to_create.extend(f"{rtype}.{n}" for n in resources[rtype])
        return
    instance_arn, store_id = instances[0]["InstanceArn"], instances[0]["IdentityStoreId"]
    store = clients.client("identitystore")
    groups = {g["DisplayName"]: g for g in _pages(store, "list_groups", "Groups", IdentityStoreId=store_id)}
    seen_groups = set()
    for name, body in resources.get("aws_identitystore_group", {}).items():
        live = groups.get(body.get("display_name"))
        address = f"aws_identitystore_group.{name}"
        if live:
            adopt(address, f"{store_id}/{live['GroupId']}", f"group {live['DisplayName']}")
            seen_groups.add(live["DisplayName"])
        else:
            plan.to_create.append(address)
    plan.unmanaged += [f"group {g}" for g in sorted(groups) if g not in seen_groups]
    sets = {}
    for arn in _pages(sso, "list_permission_sets", "PermissionSets", InstanceArn=instance_arn):
        described = sso.describe_permission_set(InstanceArn=instance_arn, PermissionSetArn=arn)["PermissionSet"]
        sets[described["Name"]] = arn
    seen_sets = set()
    for name, body in resources.get("aws_ssoadmin_permission_set", {}).items():
        arn = sets.get(body.get("name"))
        address = f"aws_ssoadmin_permission_set.{name}"
        if arn:
            adopt(address, f"{arn},{instance_arn}", f"permission set {body.get('name')}")
            seen_sets.add(body.get("name"))
        else:
            plan.to_create.append(address)
    plan.unmanaged += [f"permission set {s}" for s in sorted(sets) if s not in seen_sets]
    group_ids = {f"{store_id}/{g['GroupId']}": g["GroupId"] for g in groups.values()}
    for name, body in resources.get("aws_ssoadmin_account_assignment", {}).items():
        address = f"aws_ssoadmin_account_assignment.{name}"
        set_import = live_ids.get(_ref(body.get("permission_set_arn")) or "")
        group_import = live_ids.get(_ref(body.get("principal_id")) or "")
        account_id = parent_of(body.get("target_id"))
        if set_import and group_import and account_id:
            set_arn, group_id = set_import.split(",")[0], group_ids.get(group_import)
            live = _pages(
                sso,
                "list_account_assignments",
                "AccountAssignments",
                InstanceArn=instance_arn,
                AccountId=account_id,
                PermissionSetArn=set_arn,
            )
            if any(a["PrincipalId"] == group_id and a["PrincipalType"] == "GROUP" for a in live):
                adopt(
                    address,
                    f"{group_id},GROUP,{account_id},AWS_ACCOUNT,{set_arn},{instance_arn}",
                    f"assignment {name.removeprefix('sso_assignment_')}",
                )
                continue
        plan.to_create.append(address)


def _detect_control_tower(loaded: LoadedEnvironment, clients: AwsClients, plan: AdoptPlan) -> None:
    import botocore.exceptions

    iam = clients.client("iam")
    roles = [r["RoleName"] for r in _pages(iam, "list_roles", "Roles")]
    plan.control_tower += [f"IAM role {r}" for r in roles if r.startswith("AWSControlTower")]
    region = loaded.env.organization.home_region
    try:
        trails = clients.client("cloudtrail", region).describe_trails(includeShadowTrails=True)["trailList"]
        plan.control_tower += [f"trail {t['Name']}" for t in trails if t["Name"].startswith("aws-controltower-")]
        recorders = clients.client("config", region).describe_configuration_recorders()["ConfigurationRecorders"]
        plan.control_tower += [f"Config recorder {r['name']}" for r in recorders if r["name"].startswith("aws-controltower-")]
    except botocore.exceptions.ClientError:
        pass
    role = loaded.env.organization.access_role_name
    if plan.control_tower and role != CONTROL_TOWER_EXECUTION:
        plan.access_role = (role, CONTROL_TOWER_EXECUTION)


def set_control_tower_access_role(plan: AdoptPlan, env_file: Path, shown: str) -> None:
    """Write Control Tower's access role into the environment file, which every later command reads
    (member stacks' providers, the guardrails' exemptions); what cannot be edited in one line is advice."""
    if plan.access_role is None:
        return
    try:
        plan.access_role_edit = set_access_role(env_file, plan.access_role[1], shown)
    except EditRefused as exc:
        plan.access_role_advice = (
            f"Control Tower manages this organization: set organization.access_role_name: {plan.access_role[1]} "
            f"in {shown} (it says {plan.access_role[0]}; lz adopt did not edit it: {exc})"
        )


def write_imports(plan: AdoptPlan, path: Path) -> Path:
    from ..atomic_output import atomic_write_text
    from ..run_lock import run_lock

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with run_lock(path):  # one writer at a time (RunLockBusy, exit 75); whole or untouched
        atomic_write_text(path, json.dumps(plan.as_terraform_json(), indent=2) + "\n")
    return path


def adopt_document(env_name: str, plan: AdoptPlan, written: Optional[Path]) -> Document:
    doc = Document().heading(
        f"Adopting {env_name}: {len(plan.imports)} import(s), {len(plan.to_create)} to create, {len(plan.unmanaged)} not in the file"
    )
    if plan.imports:
        doc.table(["address", "import id", "what"], [[b.to, b.id, b.what] for b in plan.imports])
    if written:
        doc.paragraph(f"Wrote the import blocks to {written}: the next plan of the management stack imports them, no create.")
    if plan.unmanaged:
        doc.heading("Exists in the organization, not in the file (left alone)", level=4).bullets(plan.unmanaged)
    if plan.control_tower:
        doc.heading("Control Tower found (left to Control Tower)", level=4).bullets(plan.control_tower)
    if plan.access_role_edit and plan.access_role:
        edit = plan.access_role_edit
        doc.paragraph(
            f"Control Tower manages this organization: set organization.access_role_name: {plan.access_role[1]} "
            f"in {edit.file}:{edit.line} (was {plan.access_role[0]}), the role Control Tower puts in its member accounts. "
            "Synthesize again before you plan: the member stacks and the guardrails' exemptions use it."
        )
    if plan.access_role_advice:
        doc.paragraph(plan.access_role_advice)
    return doc


def adopt_data(plan: AdoptPlan) -> dict:
    return {
        "imports": [{"to": b.to, "id": b.id, "what": b.what} for b in plan.imports],
        "to_create": plan.to_create,
        "unmanaged": plan.unmanaged,
        "control_tower": plan.control_tower,
        "access_role_set": (
            {
                "file": plan.access_role_edit.file,
                "line": plan.access_role_edit.line,
                "from": plan.access_role[0],
                "to": plan.access_role[1],
            }
            if plan.access_role_edit and plan.access_role
            else None
        ),
        "access_role_advice": plan.access_role_advice,
    }
