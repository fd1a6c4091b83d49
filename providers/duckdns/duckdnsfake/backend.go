package duckdnsfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the DuckDNS provider d with this fake, for the operator's
// suites; d is wrapped to read names from the fake's DNS server.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: providertest.DNSBacked(d), Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		f.DNS.Publishes(t, f.URL)
		s := f.Server()
		s.Secret = map[string]string{"token": Token}
		s.BadSecret = map[string]string{"token": "00000000-1111-4222-8333-444444444444"}
		s.Skip = map[string]string{
			providertest.CheckAdoption: "DuckDNS keeps no ownership marker and cannot show another owner's: a domain is adopted as it is (docs/providers/duckdns.md)",
			providertest.CheckMarker:   "DuckDNS keeps no ownership marker",
			providertest.CheckFault(providertest.FaultZoneNotFound): "DuckDNS answers KO alike to a wrong token and to a domain the account lacks; " +
				"the record stalls with AuthenticationFailed naming both causes",
			providertest.CheckFault(providertest.FaultEndlessPages): "the API has no listing to page through",
		}
		return s
	}}
}
