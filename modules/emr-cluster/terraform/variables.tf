variable "name" {
  description = "Name of the cluster: prefix of its bucket, key, roles and security groups."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,30}$", var.name))
    error_message = "name must be 1-31 lower-case letters, digits or hyphens (it prefixes an S3 bucket name)."
  }
}

variable "vpc_id" {
  description = "VPC of the subnet; the cluster's security groups are created there."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet of the cluster (no route to an internet gateway; NAT or VPC endpoints for S3 and EMR)."
  type        = string
}

variable "release_label" {
  description = "EMR release (default emr-7.5.0)."
  type        = string
  default     = "emr-7.5.0"
}

variable "applications" {
  description = "Applications to install (default Spark and Hadoop)."
  type        = list(string)
  default     = ["Hadoop", "Spark"]
}

variable "master_instance_type" {
  description = "Instance type of the primary node (default m5.xlarge)."
  type        = string
  default     = "m5.xlarge"
}

variable "core_instance_type" {
  description = "Instance type of the core nodes (default m5.xlarge)."
  type        = string
  default     = "m5.xlarge"
}

variable "core_instance_count" {
  description = "Number of core nodes (default 2)."
  type        = number
  default     = 2
}

variable "ebs_volume_size" {
  description = "Size in GiB of each node's encrypted gp3 data volume (default 64)."
  type        = number
  default     = 64
}

variable "idle_timeout_seconds" {
  description = "Auto-termination: the cluster ends after this many idle seconds (default 3600; 60-604800)."
  type        = number
  default     = 3600
  validation {
    condition     = var.idle_timeout_seconds >= 60 && var.idle_timeout_seconds <= 604800
    error_message = "idle_timeout_seconds must be between 60 (1 minute) and 604800 (7 days)."
  }
}

variable "tls_certificate_s3_object" {
  description = "s3:// URI of the zip of PEM files that in-transit encryption uses (see the README for how to make one)."
  type        = string
  validation {
    condition     = startswith(var.tls_certificate_s3_object, "s3://")
    error_message = "tls_certificate_s3_object must be an s3:// URI."
  }
}

variable "log_retention_days" {
  description = "Days the cluster's logs are kept before they expire (default 365)."
  type        = number
  default     = 365
}

variable "manage_block_public_access" {
  description = "Manage the account's EMR block public access setting (default true; set false when another cluster or the account baseline manages it: it is one setting per account and region)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags on every resource; must include owner, cost-center and environment."
  type        = map(string)
  validation {
    condition     = alltrue([for key in ["owner", "cost-center", "environment"] : contains(keys(var.tags), key)])
    error_message = "tags must include owner, cost-center and environment."
  }
}
