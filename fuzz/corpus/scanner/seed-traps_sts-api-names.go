traps/sts-api-names.go
package cloud

// Actions we call; none of these is a credential.
var stsActions = []string{
	"STS.AssumeRoleWithServiceIdentity",
	"STS.GetCallerIdentityForAccount",
	"STS.AssumeRoleWithWebIdentity",
}

type LTAIKeyRotationHandler struct{}
func (LTAIKeyRotationHandler) Name() string { return "LTAIRotationSchedule" }
