traps/terraform-vars.tf
variable "access_key" {
  type      = string
  sensitive = true
}

provider "alicloud" {
  access_key = var.access_key
  secret_key = var.secret_key
  region     = "cn-hangzhou"
}
