"""IAM Identity Center (sso-admin): attributes for access control (ABAC), which moto 5.2 lacks.

`aws_ssoadmin_instance_access_control_attributes` calls Create-, Describe-,
Update- and DeleteInstanceAccessControlAttributeConfiguration. The
configuration is kept per instance ARN on moto's sso-admin backend (so a
reset clears it) and described as ENABLED at once, as AWS reports it once
the configuration is in place.
"""

from __future__ import annotations

import json

from ._helpers import add_actions, state


def _configurations(self) -> dict:
    return state(self.ssoadmin_backend, "access_control_attributes")


def _attributes(params: dict) -> list:
    return list((params.get("InstanceAccessControlAttributeConfiguration") or {}).get("AccessControlAttributes") or [])


def create_instance_access_control_attribute_configuration(self) -> str:
    from moto.ssoadmin.exceptions import ConflictException

    params = json.loads(self.body)
    configurations = _configurations(self)
    if params["InstanceArn"] in configurations:
        raise ConflictException(message="The instance already has an access control attribute configuration")
    configurations[params["InstanceArn"]] = _attributes(params)
    return "{}"


def describe_instance_access_control_attribute_configuration(self) -> str:
    from moto.ssoadmin.exceptions import ResourceNotFoundException

    params = json.loads(self.body)
    attributes = _configurations(self).get(params["InstanceArn"])
    if attributes is None:
        raise ResourceNotFoundException(message="The instance has no access control attribute configuration")
    return json.dumps(
        {
            "Status": "ENABLED",
            "StatusReason": "",
            "InstanceAccessControlAttributeConfiguration": {"AccessControlAttributes": attributes},
        }
    )


def update_instance_access_control_attribute_configuration(self) -> str:
    from moto.ssoadmin.exceptions import ResourceNotFoundException

    params = json.loads(self.body)
    configurations = _configurations(self)
    if params["InstanceArn"] not in configurations:
        raise ResourceNotFoundException(message="The instance has no access control attribute configuration")
    configurations[params["InstanceArn"]] = _attributes(params)
    return "{}"


def delete_instance_access_control_attribute_configuration(self) -> str:
    from moto.ssoadmin.exceptions import ResourceNotFoundException

    params = json.loads(self.body)
    if _configurations(self).pop(params["InstanceArn"], None) is None:
        raise ResourceNotFoundException(message="The instance has no access control attribute configuration")
    return "{}"


def install() -> None:
    from moto.ssoadmin.responses import SSOAdminResponse

    add_actions(
        SSOAdminResponse,
        create_instance_access_control_attribute_configuration,
        describe_instance_access_control_attribute_configuration,
        update_instance_access_control_attribute_configuration,
        delete_instance_access_control_attribute_configuration,
    )
