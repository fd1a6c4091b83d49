package nowcn_test

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers/internal/todaynic/todaynicfake"
	"github.com/ddns-operator/ddns-operator/providers/nowcn"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The platform's API is tested whole in package todaynic; this runs the
// suite through the nowcn descriptor the registry holds.
func TestConformance(t *testing.T) {
	providertest.Run(t, todaynicfake.Setup(nowcn.Descriptor))
}
