positive/alibaba/setup-env.ps1
# run once on the build agent
$env:ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAI5tQtxtcVzUZk9GnW4LqV"
$env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = "6GMnSBSxS8TBYo8DQSYwoc8aVNJ2VF"
[Environment]::SetEnvironmentVariable("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou", "User")
