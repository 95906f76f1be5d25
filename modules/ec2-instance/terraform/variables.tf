variable "name" {
  description = "Name of the instance: the Name tag and the prefix of its role, profile and security group."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}$", var.name))
    error_message = "name must be 1-39 letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "subnet_id" {
  description = "Subnet to launch into (a private subnet unless associate_public_ip is true)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the subnet; the instance's security group is created there."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type (default t3.micro)."
  type        = string
  default     = "t3.micro"
}

variable "ami_ssm_parameter" {
  description = "SSM public parameter naming the AMI (default: the latest Amazon Linux 2023)."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

variable "root_volume_size" {
  description = "Size of the encrypted gp3 root volume in GiB (default 20)."
  type        = number
  default     = 20
  validation {
    condition     = var.root_volume_size >= 8 && var.root_volume_size <= 16384
    error_message = "root_volume_size must be between 8 and 16384 GiB."
  }
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the root volume (default null: the account's EBS default key)."
  type        = string
  default     = null
}

variable "associate_public_ip" {
  description = "Give the instance a public IP address (default false: reach it through Session Manager)."
  type        = bool
  default     = false
}

variable "egress_cidr_blocks" {
  description = "Where the instance may open HTTPS connections (default the whole internet, for SSM and package mirrors)."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "tags" {
  description = "Tags on every resource; must include owner, cost-center and environment."
  type        = map(string)
  validation {
    condition     = alltrue([for key in ["owner", "cost-center", "environment"] : contains(keys(var.tags), key)])
    error_message = "tags must include owner, cost-center and environment."
  }
}
