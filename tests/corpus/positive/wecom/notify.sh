#!/bin/sh
curl -s 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=3d103131-ed30-42c6-b736-4d9b816729d8' \
  -H 'Content-Type: application/json' -d '{"msgtype":"text","text":{"content":"deploy done"}}'
TOKEN_URL="https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww9c38b58b268e45a9&corpsecret=mA2gzC0ZKSsJmqIz4lBiv2pIfkVrcNKYCiQdItTYqND"
