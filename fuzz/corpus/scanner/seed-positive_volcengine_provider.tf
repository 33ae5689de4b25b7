positive/volcengine/provider.tf
provider "volcengine" {
  access_key = "AKLTJvH4ACo5x4sZcZfHgkR66p72VcDuLebLhdMpu1Pi7xW"
  secret_key = "YkE3WnpkNnFUWFFmUmR5cGFVSVAzbldheU1FV3ZZVWZCVEQ0Z2VUMGUzbEs="
  region     = "cn-beijing"
}
