positive/alibaba/configure-cli.sh
#!/bin/bash
# bootstrap a new jump host
aliyun configure set --profile ops --mode AK --region cn-hangzhou \
  --access-key-id LTAI5t6OAYJDVQJYvrjQSg1S \
  --access-key-secret 62jn6D1mqEZDDhrZr8xAR1PAdRGv09
aliyun ecs DescribeInstances --profile ops
