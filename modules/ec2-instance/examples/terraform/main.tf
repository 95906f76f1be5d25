# A private instance in an existing subnet, reached through Session Manager.
provider "aws" {
  region = "eu-west-1"
}

module "build_box" {
  source = "../../terraform"

  name          = "build-box"
  vpc_id        = "vpc-0123456789abcdef0"
  subnet_id     = "subnet-0123456789abcdef0"
  instance_type = "t3.small"

  tags = {
    owner         = "platform-team"
    "cost-center" = "cc-1234"
    environment   = "dev"
  }
}

output "instance_id" {
  value = module.build_box.instance_id
}
