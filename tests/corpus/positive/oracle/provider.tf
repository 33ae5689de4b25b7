provider "oci" {
  tenancy_ocid = "ocid1.tenancy.oc1..aaaaaaaa1b48j8mhlkb05ew9x36n1niczm3ihzl724jwv8mrgnfbr33fytuk"
  user_ocid    = "ocid1.user.oc1..aaaaaaaa9hme5mvu1nc0va6ki9qo6nu78p21aget341bnawq2l38xj8mmj6l"
  fingerprint  = "49:88:af:eb:85:f8:b9:66:b2:1c:85:0f:90:27:19:fd"
  region       = "eu-frankfurt-1"
  private_key  = <<-EOT
-----BEGIN RSA PRIVATE KEY-----
JCxWzxAT8Yyrr+/s0qATMd132t7O85BzndMBxOGZRtw95SV9MGnBBtPyqateMe7b
Wcz/l0RYxjUtKMV+agiwsO6mQZxQsMawMo/Lr8vvN2IxwWa2AFAhHf8dzFMvoXra
jBSH7HCh4/mHEAy8tEXpSO0GwF+cpOLMaRY1wJh1H7dT6N89Mn48cHxr8rLEC0qz
VUOgxd4LQX01Qms7EBms4C8GbdZOv8MzaQUZ+znl5/LMZmi8zUIzb33aeIGQwvPl
6kAeNDCBvwEwelGYlq2M3gzoJ2QFpz/wi6AtvehGbddMiQJT+9TRNQ11L0buxDEJ
-----END RSA PRIVATE KEY-----
  EOT
}
