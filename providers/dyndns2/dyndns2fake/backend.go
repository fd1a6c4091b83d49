package dyndns2fake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the dyndns2 provider d with this fake, for the operator's
// suites. The provider reads hosts from the fake's DNS server, which the
// suites cannot name: d is wrapped to find it by the fake's endpoint.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: providertest.DNSBacked(d), Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		f.DNS.Publishes(t, f.URL)
		s := f.Server()
		s.Secret = map[string]string{"username": Username, "password": Password}
		s.BadSecret = map[string]string{"username": Username, "password": "not-the-dyndns2-password"}
		s.Options = func(spec *v1alpha1.DynamicDNSRecordSpec) {
			spec.DynDNS2 = &v1alpha1.DynDNS2Options{Service: "noip"}
		}
		s.Skip = map[string]string{
			providertest.CheckAdoption:                              "the protocol keeps no ownership marker and cannot read another owner's: a host is adopted as it is (docs/providers/dyndns2.md)",
			providertest.CheckMarker:                                "the protocol keeps no ownership marker at the service",
			providertest.CheckFault(providertest.FaultEndlessPages): "the protocol has no listing to page through",
		}
		return s
	}}
}
