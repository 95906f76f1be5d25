output "instance_id" {
  description = "Id of the instance (i-...); connect with `aws ssm start-session --target <id>`."
  value       = aws_instance.this.id
}

output "private_ip" {
  description = "Private IP address of the instance."
  value       = aws_instance.this.private_ip
}

output "public_ip" {
  description = "Public IP address, or empty when associate_public_ip is false."
  value       = aws_instance.this.public_ip
}

output "role_arn" {
  description = "ARN of the instance role (attach more policies to it here)."
  value       = aws_iam_role.instance.arn
}

output "security_group_id" {
  description = "Id of the instance's security group (no inbound rules)."
  value       = aws_security_group.instance.id
}
