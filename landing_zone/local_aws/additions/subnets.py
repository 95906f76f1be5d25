"""EC2: a subnet outside the default VPC is never a default subnet.

AWS (EC2 User Guide, "Default subnets"): only the default VPC's subnets are
default for their Availability Zone and give instances public addresses; a
subnet created in any other VPC has DefaultForAz and MapPublicIpOnLaunch
false. moto 5.2 makes the first subnet of an Availability Zone in the
account and region the default one, in whatever VPC, so after the account
baseline deletes the default VPC, the first new subnet of each zone came
back with MapPublicIpOnLaunch true: terraform set it to false again and the
provider waited its fixed 10 s for that change, on the VPC stacks' path.
"""

from __future__ import annotations


def install() -> None:
    from moto.ec2.models.subnets import SubnetBackend

    if getattr(SubnetBackend, "_lz_not_default", False):
        return
    SubnetBackend._lz_not_default = True  # type: ignore[attr-defined]  # marks moto's patched code so it is patched once
    original = SubnetBackend.create_subnet

    def create_subnet(self, vpc_id: str, *args, **kwargs):
        subnet = original(self, vpc_id, *args, **kwargs)
        if not self.get_vpc(vpc_id).is_default:
            subnet.default_for_az = False
            subnet.map_public_ip_on_launch = False
        return subnet

    SubnetBackend.create_subnet = create_subnet  # type: ignore[method-assign]  # wraps moto's at run time
