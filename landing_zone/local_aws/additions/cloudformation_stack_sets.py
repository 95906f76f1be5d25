"""CloudFormation stack sets: keep AutoDeployment and Capabilities; delete instances by deployment targets.

moto 5.2 accepts AutoDeployment and Capabilities on CreateStackSet and
UpdateStackSet but does not keep them, so DescribeStackSet answers without
them and terraform plans to replace a service-managed stack set (the
self-service launch role's) on every run. Its DeleteStackInstances ignores
DeploymentTargets, which is how terraform removes a service-managed stack
set's instances, so the stack set then refuses to be deleted (not empty).
"""

from __future__ import annotations


def _keep(self) -> None:
    name = self._get_param("StackSetName")
    stack_set = self.cloudformation_backend.describe_stack_set(name)
    auto = self._get_param("AutoDeployment")
    if auto is not None:
        stack_set.auto_deployment = auto
    capabilities = self._get_param("Capabilities")
    if capabilities is not None:
        stack_set.capabilities = capabilities


def _target_accounts(self, targets: dict) -> list[str]:
    """The accounts DeploymentTargets name: OUs (with every OU below them), combined with Accounts by the filter."""
    from moto.organizations.models import organizations_backends

    org = organizations_backends[self.current_account]["aws"]
    ous = set(targets.get("OrganizationalUnitIds", []))
    grew = True
    while grew:
        below = {ou.id for ou in org.ou if getattr(ou, "parent_id", None) in ous} - ous
        ous |= below
        grew = bool(below)
    in_ous = {a.id for a in org.accounts if a.parent_id in ous}
    listed = set(targets.get("Accounts", []))
    combine = {
        "INTERSECTION": in_ous & listed,
        "DIFFERENCE": in_ous - listed,
    }
    return sorted(combine.get(targets.get("AccountFilterType", ""), in_ous | listed))


def install() -> None:
    from moto.cloudformation.responses import CloudFormationResponse

    if getattr(CloudFormationResponse, "_lz_stack_sets", False):
        return
    create, update = CloudFormationResponse.create_stack_set, CloudFormationResponse.update_stack_set
    delete_instances = CloudFormationResponse.delete_stack_instances

    def create_stack_set(self):
        result = create(self)
        _keep(self)
        return result

    def update_stack_set(self):
        result = update(self)
        _keep(self)
        return result

    def delete_stack_instances(self):
        from moto.core.responses import ActionResult

        targets = self._get_param("DeploymentTargets")
        if not targets or self._get_param("Accounts"):
            return delete_instances(self)
        stack_set = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
        stack_set.delete_stack_instances(_target_accounts(self, targets), self._get_param("Regions", []))
        return ActionResult({"OperationId": stack_set.operations[-1]["OperationId"]})

    CloudFormationResponse.delete_stack_instances = delete_stack_instances  # type: ignore[method-assign]  # patches moto's class at run time
    CloudFormationResponse.create_stack_set = create_stack_set  # type: ignore[method-assign]  # patches moto's class at run time
    CloudFormationResponse.update_stack_set = update_stack_set  # type: ignore[method-assign]  # patches moto's class at run time
    CloudFormationResponse._lz_stack_sets = True  # type: ignore[attr-defined]  # marks moto's patched class so it is patched once
