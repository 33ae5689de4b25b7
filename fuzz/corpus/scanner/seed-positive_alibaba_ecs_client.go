positive/alibaba/ecs_client.go
package cloud

import (
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// NewECS returns a client for the production account.
func NewECS() (*ecs.Client, error) {
	return ecs.NewClientWithAccessKey("cn-hangzhou", "LTAI5tYd5BNMm3jbXBqA8VFP", "5Rj6f6o9EfKFlMgaxTOkTZVbvzfHdX")
}
