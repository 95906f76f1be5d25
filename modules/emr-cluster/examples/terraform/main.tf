# A Spark cluster in a private subnet that ends itself after an idle hour.
provider "aws" {
  region = "eu-west-1"
}

module "analytics" {
  source = "../../terraform"

  name                      = "analytics"
  vpc_id                    = "vpc-0123456789abcdef0"
  subnet_id                 = "subnet-0123456789abcdef0"
  tls_certificate_s3_object = "s3://analytics-certificates/emr/certs.zip"
  idle_timeout_seconds      = 3600

  tags = {
    owner         = "data-team"
    "cost-center" = "cc-5678"
    environment   = "dev"
  }
}

output "cluster_id" {
  value = module.analytics.cluster_id
}
