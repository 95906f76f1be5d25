# terraform test for the synthesized `network` stack, with a mocked AWS provider.
# Proves what the local AWS API cannot show as AWS would: the RAM share reaches
# the OUs without an invitation to accept, and Direct Connect is wired into the
# shared segment. tests/network/test_tftest.py prepends the mock providers and
# the remote-state overrides, then runs `terraform test` in a copy of the stack.

run "transit_gateway_is_shared_with_the_two_ous_and_nobody_else" {
  command = apply

  assert {
    condition     = aws_ec2_transit_gateway.tgw_hub.auto_accept_shared_attachments == "disable"
    error_message = "shared attachments must wait for the network account to accept them"
  }
  assert {
    condition     = aws_ram_resource_share.ram_share_tgw_hub.allow_external_principals == false
    error_message = "the share must stay inside the organization"
  }
  assert {
    condition     = aws_ram_resource_association.ram_resource_tgw_hub_transit_gateway.resource_arn == aws_ec2_transit_gateway.tgw_hub.arn
    error_message = "the transit gateway is the shared resource"
  }
  assert {
    condition = toset([
      aws_ram_principal_association.ram_principal_tgw_hub_Infrastructure.principal,
      aws_ram_principal_association.ram_principal_tgw_hub_Workloads.principal,
      ]) == toset([
      data.terraform_remote_state.cross-stack-reference-input-management.outputs["cross-stack-output-aws_organizations_organizational_unitou_Infrastructurearn"],
      data.terraform_remote_state.cross-stack-reference-input-management.outputs["cross-stack-output-aws_organizations_organizational_unitou_Workloadsarn"],
    ])
    error_message = "principals are the OU ARNs of the management stack: members see the gateway without accepting"
  }
  assert {
    condition     = aws_ram_principal_association.ram_principal_tgw_hub_Workloads.resource_share_arn == aws_ram_resource_share.ram_share_tgw_hub.arn
    error_message = "principal associations belong to the hub's share"
  }
  assert {
    condition     = aws_ram_sharing_with_organization.ram_sharing_with_organization.id != ""
    error_message = "sharing with the organization is switched on"
  }
}

run "direct_connect_gateway_reaches_the_shared_segment_and_what_it_connects_to" {
  command = apply

  assert {
    condition     = aws_dx_gateway.dx_gateway_corp-dx.amazon_side_asn == "64600"
    error_message = "the Direct Connect gateway keeps its own ASN"
  }
  assert {
    condition     = aws_dx_gateway_association.dx_association_corp-dx_hub.associated_gateway_id == aws_ec2_transit_gateway.tgw_hub.id
    error_message = "the gateway is associated with the hub"
  }
  assert {
    condition     = toset(aws_dx_gateway_association.dx_association_corp-dx_hub.allowed_prefixes) == toset(["10.0.0.0/8"])
    error_message = "only the configured prefixes are advertised on-premises"
  }
  assert {
    condition     = aws_ec2_transit_gateway_route_table_association.tgw_association_hub_dx_corp-dx.transit_gateway_attachment_id == data.aws_ec2_transit_gateway_dx_gateway_attachment.dx_attachment_corp-dx_hub.id
    error_message = "the association wires the gateway's own attachment"
  }
  assert {
    condition     = aws_ec2_transit_gateway_route_table_association.tgw_association_hub_dx_corp-dx.transit_gateway_route_table_id == aws_ec2_transit_gateway_route_table.tgw_rt_hub_shared.id
    error_message = "on-premises sits in the shared segment"
  }
  assert {
    condition = toset([
      aws_ec2_transit_gateway_route_table_propagation.tgw_propagation_hub_dx_corp-dx_prod.transit_gateway_route_table_id,
      aws_ec2_transit_gateway_route_table_propagation.tgw_propagation_hub_dx_corp-dx_nonprod.transit_gateway_route_table_id,
      aws_ec2_transit_gateway_route_table_propagation.tgw_propagation_hub_dx_corp-dx_shared.transit_gateway_route_table_id,
      aws_ec2_transit_gateway_route_table_propagation.tgw_propagation_hub_dx_corp-dx_egress.transit_gateway_route_table_id,
      ]) == toset([
      aws_ec2_transit_gateway_route_table.tgw_rt_hub_prod.id, aws_ec2_transit_gateway_route_table.tgw_rt_hub_nonprod.id,
      aws_ec2_transit_gateway_route_table.tgw_rt_hub_shared.id, aws_ec2_transit_gateway_route_table.tgw_rt_hub_egress.id,
    ])
    error_message = "on-premises routes reach prod, nonprod and shared, and return through egress"
  }
  assert {
    condition     = aws_ec2_transit_gateway_route.tgw_route_hub_prod_0-0-0-0_0.transit_gateway_attachment_id == aws_ec2_transit_gateway_vpc_attachment.tgw_attachment_hub-egress_tgw.id
    error_message = "prod's default route goes to the egress VPC"
  }
}
