# terraform test for a synthesized spoke stack (`account-payments-prod`), with
# mocked providers for the spoke account and (aliased) the network account.
# Proves the cross-account hand-over the local AWS API only imitates: the
# spoke attaches to the gateway shared with it, the network account accepts
# that attachment, then associates and propagates the accepted one.

run "spoke_attachment_is_accepted_and_wired_by_the_network_account" {
  command = apply

  assert {
    condition     = aws_ec2_transit_gateway_vpc_attachment.tgw_attachment_payments-prod_hub.transit_gateway_id == data.terraform_remote_state.cross-stack-reference-input-network.outputs["cross-stack-output-aws_ec2_transit_gatewaytgw_hubid"]
    error_message = "the spoke attaches to the network stack's transit gateway"
  }
  assert {
    condition     = aws_ec2_transit_gateway_vpc_attachment_accepter.tgw_accepter_hub_vpc_payments-prod.transit_gateway_attachment_id == aws_ec2_transit_gateway_vpc_attachment.tgw_attachment_payments-prod_hub.id
    error_message = "the network account accepts exactly this attachment"
  }
  assert {
    condition     = aws_ec2_transit_gateway_vpc_attachment_accepter.tgw_accepter_hub_vpc_payments-prod.transit_gateway_default_route_table_association == false && aws_ec2_transit_gateway_vpc_attachment_accepter.tgw_accepter_hub_vpc_payments-prod.transit_gateway_default_route_table_propagation == false
    error_message = "no default route table: only the segment decides"
  }
  assert {
    condition     = aws_ec2_transit_gateway_route_table_association.tgw_association_hub_vpc_payments-prod.transit_gateway_attachment_id == aws_ec2_transit_gateway_vpc_attachment_accepter.tgw_accepter_hub_vpc_payments-prod.id
    error_message = "the association waits for the acceptance"
  }
  assert {
    condition     = aws_ec2_transit_gateway_route_table_association.tgw_association_hub_vpc_payments-prod.transit_gateway_route_table_id == data.terraform_remote_state.cross-stack-reference-input-network.outputs["cross-stack-output-aws_ec2_transit_gateway_route_tabletgw_rt_hub_prodid"]
    error_message = "payments-prod sits in the prod segment"
  }
  assert {
    condition = toset([
      aws_ec2_transit_gateway_route_table_propagation.tgw_propagation_hub_vpc_payments-prod_prod.transit_gateway_route_table_id,
      aws_ec2_transit_gateway_route_table_propagation.tgw_propagation_hub_vpc_payments-prod_shared.transit_gateway_route_table_id,
      aws_ec2_transit_gateway_route_table_propagation.tgw_propagation_hub_vpc_payments-prod_egress.transit_gateway_route_table_id,
      ]) == toset([
      data.terraform_remote_state.cross-stack-reference-input-network.outputs["cross-stack-output-aws_ec2_transit_gateway_route_tabletgw_rt_hub_prodid"],
      data.terraform_remote_state.cross-stack-reference-input-network.outputs["cross-stack-output-aws_ec2_transit_gateway_route_tabletgw_rt_hub_sharedid"],
      data.terraform_remote_state.cross-stack-reference-input-network.outputs["cross-stack-output-aws_ec2_transit_gateway_route_tabletgw_rt_hub_egressid"],
    ])
    error_message = "prod propagates into prod, shared and egress, never nonprod"
  }
  assert {
    condition     = aws_ec2_transit_gateway_route.tgw_blackhole_hub_nonprod_10-10-0-0_16.blackhole == true && aws_ec2_transit_gateway_route.tgw_blackhole_hub_nonprod_10-10-0-0_16.transit_gateway_route_table_id == data.terraform_remote_state.cross-stack-reference-input-network.outputs["cross-stack-output-aws_ec2_transit_gateway_route_tabletgw_rt_hub_nonprodid"]
    error_message = "nonprod drops payments-prod's addresses instead of reaching them through the egress VPC"
  }
  assert {
    condition     = aws_route.route_payments-prod_private_tgw_0-0-0-0_0.transit_gateway_id == aws_ec2_transit_gateway_vpc_attachment.tgw_attachment_payments-prod_hub.transit_gateway_id
    error_message = "private subnets default to the hub"
  }
}
