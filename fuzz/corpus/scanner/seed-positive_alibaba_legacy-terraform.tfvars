positive/alibaba/legacy-terraform.tfvars
# account created in 2016, key never rotated
region     = "cn-qingdao"
access_key = "geH0PqdZF5lyYlPB"
secret_key = "LUYd3oa8BRLp6Jw5Um3bRewHYbJ4Zv"
