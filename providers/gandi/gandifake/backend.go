package gandifake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Gandi provider d with this fake, for the operator's
// suites. It takes the descriptor so the fake does not import the
// provider, whose tests use the fake.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		srv := f.Server()
		srv.Secret = map[string]string{"personalAccessToken": Token}
		srv.BadSecret = map[string]string{"personalAccessToken": "pat_ffffffff-ffff-ffff-ffff-ffffffffffff"}
		return srv
	}}
}
