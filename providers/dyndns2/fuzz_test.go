package dyndns2_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2/dyndns2fake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzResponses answers the provider's updates with arbitrary statuses
// and bodies; reads go to the fake's DNS server.
func FuzzResponses(f *testing.F) {
	dns := dyndns2fake.New(nil, "example.com")
	f.Cleanup(dns.Close)
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return dyndns2.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc, Nameserver: dns.DNS.Addr},
			secret(dyndns2fake.Password), spec("noip"))
	}, []string{dyndns2fake.Password}, []providertest.FuzzSeed{
		{Status: 200, Body: "good 81.2.69.160\n"},
		{Status: 200, Body: "nochg 81.2.69.160"},
		{Status: 401, Body: "badauth"},
		{Status: 200, Body: "911"},
		{Status: 200, Body: "abuse\nabuse"},
		{Status: 200, Body: "good 127.0.0.1"},
	})
}
