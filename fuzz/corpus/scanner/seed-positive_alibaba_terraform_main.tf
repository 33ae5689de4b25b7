positive/alibaba/terraform/main.tf
terraform {
  required_providers {
    alicloud = {
      source  = "aliyun/alicloud"
      version = "~> 1.220"
    }
  }
}

provider "alicloud" {
  access_key = "LTAI5tkKq4Lyyqsy9u8EQJna"
  secret_key = "ssLrk8zbOeORPDrO9M4HGCg6SYbgM7"
  region     = "cn-beijing"
}

resource "alicloud_vpc" "main" {
  vpc_name   = "main"
  cidr_block = "172.16.0.0/12"
}
