ucloud_public_key  = "27GzN54Q8VuJ5bpJa5t5WmJmEQYE/b4JIebUD6Qa"
ucloud_private_key = "CtLxfZF1JuyAyU82tBpmGimpmfoYj86cK1v6Hrh1"
region             = "cn-bj2"
