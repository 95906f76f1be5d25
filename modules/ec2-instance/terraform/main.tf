# An EC2 instance as teams should launch one: IMDSv2 only, an encrypted gp3 root
# volume, no public IP unless asked, managed through SSM (no SSH key, no inbound
# rule), detailed monitoring and the required tags.

data "aws_ssm_parameter" "ami" {
  name = var.ami_ssm_parameter
}

data "aws_partition" "current" {}

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
  name_prefix        = "${var.name}-"
  description        = "Instance role of ${var.name}: Session Manager and the SSM agent only."
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "instance" {
  path        = "/blueprints/"
  name_prefix = "${var.name}-"
  role        = aws_iam_role.instance.name
  tags        = var.tags
}

resource "aws_security_group" "instance" {
  name_prefix = "${var.name}-"
  description = "${var.name}: no inbound traffic, HTTPS out only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.name })

  egress {
    description = "HTTPS to SSM, package mirrors and AWS APIs"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.egress_cidr_blocks
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_instance" "this" {
  ami                         = data.aws_ssm_parameter.ami.value
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = [aws_security_group.instance.id]
  iam_instance_profile        = aws_iam_instance_profile.instance.name
  associate_public_ip_address = var.associate_public_ip
  monitoring                  = true
  ebs_optimized               = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    encrypted             = true
    kms_key_id            = var.kms_key_arn
    delete_on_termination = true
    tags                  = var.tags
  }

  tags        = merge(var.tags, { Name = var.name })
  volume_tags = null

  lifecycle {
    ignore_changes = [ami]
  }
}
