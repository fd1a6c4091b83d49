package tnethk_test

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers/internal/todaynic/todaynicfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/tnethk"
)

// The platform's API is tested whole in package todaynic; this runs the
// suite through the tnethk descriptor the registry holds.
func TestConformance(t *testing.T) {
	providertest.Run(t, todaynicfake.Setup(tnethk.Descriptor))
}
