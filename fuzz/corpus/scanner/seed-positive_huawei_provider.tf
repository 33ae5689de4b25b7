positive/huawei/provider.tf
provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "51DF8C2NGOJML6B65E7C"
  secret_key = "tQmpYPKd1iDdUmS4kNMgbJ9kIOyquPhoe2lHU3UF"
}
