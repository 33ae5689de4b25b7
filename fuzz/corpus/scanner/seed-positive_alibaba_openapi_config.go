positive/alibaba/openapi_config.go
package main

import (
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

func newClient() (*ecs.Client, error) {
	config := &openapi.Config{
		AccessKeyId:     tea.String("LTAI5tALwzYGe1mSdVCYjEmS"),
		AccessKeySecret: tea.String("CQBuVWHwH29GTaLJY9SeBhdUIdiuhl"),
		Endpoint:        tea.String("ecs.cn-hangzhou.aliyuncs.com"),
	}
	return ecs.NewClient(config)
}
