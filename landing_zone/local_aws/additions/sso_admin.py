"""IAM Identity Center (sso-admin): tags, permissions boundaries, provisioning status.

moto 5.2 stores a permission set's tags at creation but has no
ListTagsForResource / TagResource / UntagResource, so terraform cannot read
a permission set back; has no permissions-boundary calls; answers
ProvisionPermissionSet (SUCCEEDED, at once) without
DescribePermissionSetProvisioningStatus, which the provider polls
afterwards; and refuses AWS managed policies below a path such as
arn:aws:iam::aws:policy/job-function/ViewOnlyAccess (it reads the policy's
path from a lower-case key its data does not have).
"""

from __future__ import annotations

import json

from ._helpers import add_actions


def _permission_set(self, params: dict):
    return self.ssoadmin_backend._find_permission_set(params["InstanceArn"], params["ResourceArn"])


def list_tags_for_resource(self) -> str:
    params = json.loads(self.body)
    return json.dumps({"Tags": list(_permission_set(self, params).tags or [])})


def tag_resource(self) -> str:
    params = json.loads(self.body)
    permission_set = _permission_set(self, params)
    tags = {t["Key"]: t["Value"] for t in permission_set.tags or []}
    tags.update({t["Key"]: t["Value"] for t in params.get("Tags", [])})
    permission_set.tags = [{"Key": k, "Value": v} for k, v in tags.items()]
    return "{}"


def untag_resource(self) -> str:
    params = json.loads(self.body)
    permission_set = _permission_set(self, params)
    drop = set(params.get("TagKeys", []))
    permission_set.tags = [t for t in permission_set.tags or [] if t["Key"] not in drop]
    return "{}"


def describe_permission_set_provisioning_status(self) -> str:
    params = json.loads(self.body)
    return json.dumps(
        {
            "PermissionSetProvisioningStatus": {
                "AccountId": self.current_account,
                "RequestId": params["ProvisionPermissionSetRequestId"],
                "Status": "SUCCEEDED",
            }
        }
    )


def _boundary_target(self, params: dict):
    return self.ssoadmin_backend._find_permission_set(params["InstanceArn"], params["PermissionSetArn"])


def put_permissions_boundary_to_permission_set(self) -> str:
    params = json.loads(self.body)
    _boundary_target(self, params)._lz_boundary = params["PermissionsBoundary"]
    return "{}"


def get_permissions_boundary_for_permission_set(self) -> str:
    from moto.ssoadmin.exceptions import ResourceNotFoundException

    boundary = getattr(_boundary_target(self, json.loads(self.body)), "_lz_boundary", None)
    if boundary is None:
        raise ResourceNotFoundException(message="The permission set has no permissions boundary")
    return json.dumps({"PermissionsBoundary": boundary})


def delete_permissions_boundary_from_permission_set(self) -> str:
    permission_set = _boundary_target(self, json.loads(self.body))
    permission_set.__dict__.pop("_lz_boundary", None)
    return "{}"


def _find_managed_policy(self, managed_policy_arn: str):
    """moto's lookup, reading the policy path from the key its data really has ("Path")."""
    from moto.ssoadmin.exceptions import ResourceNotFoundException
    from moto.ssoadmin.models import ManagedPolicy, aws_managed_policies_data

    if self.aws_managed_policies is None:
        self.aws_managed_policies = json.loads(aws_managed_policies_data)
    name = managed_policy_arn.split("/")[-1]
    policy = self.aws_managed_policies.get(name)
    if policy is not None:
        path = policy.get("Path") or policy.get("path") or "/"
        if managed_policy_arn == f"arn:{self.partition}:iam::aws:policy{path}{name}":
            return ManagedPolicy(managed_policy_arn, name)
    raise ResourceNotFoundException(message=f"Policy does not exist with ARN: {managed_policy_arn}")


def _create_account_assignment_once(original):
    """An identical assignment is not created twice (AWS answers a repeated create with the existing one).

    Under load the provider's SDK may resend a create whose first answer it missed; moto would keep both,
    and the provider's read after the create then fails with "too many results: wanted 1, got 2".
    """

    def create_account_assignment(self, instance_arn, target_id, target_type, permission_set_arn, principal_type, principal_id):
        for existing in self.account_assignments:
            if (
                existing.instance_arn,
                existing.target_id,
                existing.target_type,
                existing.permission_set_arn,
                existing.principal_type,
                existing.principal_id,
            ) == (instance_arn, target_id, target_type, permission_set_arn, principal_type, principal_id):
                return existing.to_json(include_creation_date=True, include_request_id=True)
        return original(self, instance_arn, target_id, target_type, permission_set_arn, principal_type, principal_id)

    return create_account_assignment


def install() -> None:
    from moto.ssoadmin.models import SSOAdminBackend
    from moto.ssoadmin.responses import SSOAdminResponse

    add_actions(
        SSOAdminResponse,
        list_tags_for_resource,
        tag_resource,
        untag_resource,
        describe_permission_set_provisioning_status,
        put_permissions_boundary_to_permission_set,
        get_permissions_boundary_for_permission_set,
        delete_permissions_boundary_from_permission_set,
    )
    SSOAdminBackend._find_managed_policy = _find_managed_policy  # type: ignore[method-assign]  # patches moto's class at run time
    if not getattr(SSOAdminBackend.create_account_assignment, "_lz_once", False):
        once = _create_account_assignment_once(SSOAdminBackend.create_account_assignment)
        once._lz_once = True  # install() may run more than once per process
        SSOAdminBackend.create_account_assignment = once  # type: ignore[method-assign]  # patches moto's class at run time
