package dnspodfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the legacy DNSPod provider d with this fake, for the
// operator's suites. It takes the descriptor so the fake does not import
// the provider, whose internal tests use the fake.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		s := New(t, zones...).Server()
		s.Secret = map[string]string{"loginToken": LoginToken}
		s.BadSecret = map[string]string{"loginToken": TokenID + ",not-the-right-dnspod-token"}
		return s
	}}
}
