package vercelfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Vercel provider d with this fake, for the operator's
// suites: a personal account's domains (the fault matrix sets no options
// block, so the team is tested in the provider's own tests).
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		srv := New(t, zones...).Server()
		srv.Secret = map[string]string{"apiToken": Token}
		srv.BadSecret = map[string]string{"apiToken": "vcp_not0the0right0token0at0all00"}
		return srv
	}}
}
