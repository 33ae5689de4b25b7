traps/deploy-shell-vars.sh
#!/bin/sh
# the CI injects the credentials
aliyun configure set --profile ci --mode AK \
  --access-key-id "$ALIBABA_CLOUD_ACCESS_KEY_ID" \
  --access-key-secret "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" \
  --region cn-hangzhou
ossutil config -e oss-cn-hangzhou.aliyuncs.com -i $OSS_ACCESS_KEY_ID -k $OSS_ACCESS_KEY_SECRET
