package porkbunfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Porkbun provider d with this fake, for the operator's
// suites. It takes the descriptor so the fake does not import the
// provider, whose tests use the fake.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		srv := New(t, zones...).Server()
		srv.Secret = map[string]string{"apiKey": APIKey, "secretApiKey": SecretAPIKey}
		srv.BadSecret = map[string]string{"apiKey": APIKey, "secretApiKey": "sk1_0000000000000000000000000000000000000000000000000000000000000000"}
		return srv
	}}
}
