"""CloudFormation stack sets: keep AutoDeployment and Capabilities.

moto 5.2 accepts both on CreateStackSet and UpdateStackSet but does not keep
them, so DescribeStackSet answers without them and terraform plans to replace
a service-managed stack set (the self-service launch role's) on every run.
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


def install() -> None:
    from moto.cloudformation.responses import CloudFormationResponse

    if getattr(CloudFormationResponse, "_lz_stack_sets", False):
        return
    create, update = CloudFormationResponse.create_stack_set, CloudFormationResponse.update_stack_set

    def create_stack_set(self):
        result = create(self)
        _keep(self)
        return result

    def update_stack_set(self):
        result = update(self)
        _keep(self)
        return result

    CloudFormationResponse.create_stack_set = create_stack_set
    CloudFormationResponse.update_stack_set = update_stack_set
    CloudFormationResponse._lz_stack_sets = True
