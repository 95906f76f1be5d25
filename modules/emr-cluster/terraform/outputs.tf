output "cluster_id" {
  description = "Id of the cluster (j-...)."
  value       = aws_emr_cluster.this.id
}

output "master_private_dns" {
  description = "Private DNS name of the primary node."
  value       = aws_emr_cluster.this.master_public_dns
}

output "log_bucket" {
  description = "Name of the encrypted bucket that holds the cluster's logs."
  value       = aws_s3_bucket.logs.bucket
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts logs, S3 data and local disks."
  value       = aws_kms_key.this.arn
}

output "security_configuration" {
  description = "Name of the EMR security configuration (at-rest and in-transit encryption, IMDSv2)."
  value       = aws_emr_security_configuration.this.name
}

output "service_role_arn" {
  description = "ARN of the EMR service role."
  value       = aws_iam_role.service.arn
}

output "instance_role_arn" {
  description = "ARN of the cluster nodes' role (grant it access to your data here)."
  value       = aws_iam_role.instance.arn
}
