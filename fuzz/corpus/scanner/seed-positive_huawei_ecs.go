positive/huawei/ecs.go
package main

import (
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	ecs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2"
	region "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/region"
)

func client() *ecs.EcsClient {
	auth := basic.NewCredentialsBuilder().
		WithAk("WQOZJ3LCO6164W7MTESD").
		WithSk("62zmqoRgMtDASS2EzLy1xhT3yCDfiLYhzRDSaqpm").
		Build()
	return ecs.NewEcsClient(ecs.EcsClientBuilder().WithRegion(region.ValueOf("cn-north-4")).WithCredential(auth).Build())
}
