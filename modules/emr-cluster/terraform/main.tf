# An EMR cluster as teams should launch one: a security configuration with at-rest
# and in-transit encryption and IMDSv2, block public access, a private subnet, logs
# in an encrypted bucket, least-privilege service and instance roles, auto-termination.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  account   = data.aws_caller_identity.current.account_id
  # AmazonEMRServicePolicy_v2 acts only on resources carrying this tag.
  tags = merge(var.tags, { "for-use-with-amazon-emr-managed-policies" = "true" })
}

# --- Encryption key: logs, S3 data written by EMRFS, local disks and EBS volumes ---

resource "aws_kms_key" "this" {
  description             = "${var.name}: EMR logs, EMRFS data and local disks"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  # A key policy's Resource "*" is the key itself.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "ClusterRolesUseTheKey"
        Effect    = "Allow"
        Principal = { AWS = [aws_iam_role.instance.arn, aws_iam_role.service.arn] }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"]
        Resource  = "*"
      },
    ]
  })
  tags = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/emr/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

# --- Log bucket ---

resource "aws_s3_bucket" "logs" {
  bucket_prefix = "${var.name}-emr-logs-"
  force_destroy = false
  tags          = local.tags
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "expire-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json
}

# --- Roles ---

data "aws_iam_policy_document" "assume_emr" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["elasticmapreduce.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "service" {
  path               = "/blueprints/"
  name_prefix        = "${var.name}-emr-service-"
  description        = "EMR service role of ${var.name} (AmazonEMRServicePolicy_v2: tagged resources only)."
  assume_role_policy = data.aws_iam_policy_document.assume_emr.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "service" {
  role       = aws_iam_role.service.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2"
}

data "aws_iam_policy_document" "service_pass_role" {
  statement {
    sid       = "PassTheInstanceRoleOnly"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.instance.arn]
  }
}

resource "aws_iam_role_policy" "service_pass_role" {
  name   = "pass-instance-role"
  role   = aws_iam_role.service.id
  policy = data.aws_iam_policy_document.service_pass_role.json
}

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  path               = "/blueprints/"
  name_prefix        = "${var.name}-emr-node-"
  description        = "Role of the nodes of ${var.name}: write logs, use the cluster's key; add data access yourself."
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
  tags               = local.tags
}

data "aws_iam_policy_document" "instance" {
  statement {
    sid       = "WriteClusterLogs"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]
  }
  statement {
    sid       = "ReadTlsCertificates"
    actions   = ["s3:GetObject"]
    resources = ["arn:${local.partition}:s3:::${trimprefix(var.tls_certificate_s3_object, "s3://")}"]
  }
  statement {
    sid       = "UseClusterKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]
  }
}

resource "aws_iam_role_policy" "instance" {
  name   = "cluster-logs-and-key"
  role   = aws_iam_role.instance.id
  policy = data.aws_iam_policy_document.instance.json
}

resource "aws_iam_instance_profile" "instance" {
  path        = "/blueprints/"
  name_prefix = "${var.name}-emr-node-"
  role        = aws_iam_role.instance.name
  tags        = local.tags
}

# --- Network: EMR-managed security groups in a private subnet ---

resource "aws_security_group" "primary" {
  name_prefix            = "${var.name}-emr-primary-"
  description            = "${var.name}: EMR primary node (rules managed by EMR)"
  vpc_id                 = var.vpc_id
  revoke_rules_on_delete = true
  tags                   = local.tags
  lifecycle {
    ignore_changes = [ingress, egress]
  }
}

resource "aws_security_group" "core" {
  name_prefix            = "${var.name}-emr-core-"
  description            = "${var.name}: EMR core and task nodes (rules managed by EMR)"
  vpc_id                 = var.vpc_id
  revoke_rules_on_delete = true
  tags                   = local.tags
  lifecycle {
    ignore_changes = [ingress, egress]
  }
}

resource "aws_security_group" "service_access" {
  name_prefix            = "${var.name}-emr-service-"
  description            = "${var.name}: EMR service access in a private subnet (rules managed by EMR)"
  vpc_id                 = var.vpc_id
  revoke_rules_on_delete = true
  tags                   = local.tags
  lifecycle {
    ignore_changes = [ingress, egress]
  }
}

resource "aws_emr_block_public_access_configuration" "this" {
  count                             = var.manage_block_public_access ? 1 : 0
  block_public_security_group_rules = true
}

# --- Security configuration and cluster ---

resource "aws_emr_security_configuration" "this" {
  name_prefix = "${var.name}-"
  configuration = jsonencode({
    EncryptionConfiguration = {
      EnableAtRestEncryption    = true
      EnableInTransitEncryption = true
      AtRestEncryptionConfiguration = {
        S3EncryptionConfiguration = {
          EncryptionMode = "SSE-KMS"
          AwsKmsKey      = aws_kms_key.this.arn
        }
        LocalDiskEncryptionConfiguration = {
          EncryptionKeyProviderType = "AwsKms"
          AwsKmsKey                 = aws_kms_key.this.arn
          EnableEbsEncryption       = true
        }
      }
      InTransitEncryptionConfiguration = {
        TLSCertificateConfiguration = {
          CertificateProviderType = "PEM"
          S3Object                = var.tls_certificate_s3_object
        }
      }
    }
    InstanceMetadataServiceConfiguration = {
      MinimumInstanceMetadataServiceVersion = 2
      HttpPutResponseHopLimit               = 1
    }
  })
}

resource "aws_emr_cluster" "this" {
  name                              = var.name
  release_label                     = var.release_label
  applications                      = var.applications
  service_role                      = aws_iam_role.service.arn
  security_configuration            = aws_emr_security_configuration.this.name
  log_uri                           = "s3://${aws_s3_bucket.logs.bucket}/logs/"
  log_encryption_kms_key_id         = aws_kms_key.this.arn
  keep_job_flow_alive_when_no_steps = true
  termination_protection            = false
  unhealthy_node_replacement        = true

  ec2_attributes {
    subnet_id                         = var.subnet_id
    instance_profile                  = aws_iam_instance_profile.instance.arn
    emr_managed_master_security_group = aws_security_group.primary.id
    emr_managed_slave_security_group  = aws_security_group.core.id
    service_access_security_group     = aws_security_group.service_access.id
  }

  master_instance_group {
    instance_type = var.master_instance_type
    ebs_config {
      size                 = var.ebs_volume_size
      type                 = "gp3"
      volumes_per_instance = 1
    }
  }

  core_instance_group {
    instance_type  = var.core_instance_type
    instance_count = var.core_instance_count
    ebs_config {
      size                 = var.ebs_volume_size
      type                 = "gp3"
      volumes_per_instance = 1
    }
  }

  auto_termination_policy {
    idle_timeout = var.idle_timeout_seconds
  }

  tags = local.tags

  depends_on = [
    aws_iam_role_policy_attachment.service,
    aws_iam_role_policy.service_pass_role,
    aws_iam_role_policy.instance,
    aws_s3_bucket_policy.logs,
    aws_emr_block_public_access_configuration.this,
  ]
}
