package dyndns2_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2/dyndns2fake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// TestConformance runs the provider suite against the fake service and
// its DNS server. The cases skipped ask for what the protocol has no
// call for.
func TestConformance(t *testing.T) {
	providertest.Run(t, setup)
}

func setup(t *testing.T, zones []string) *providertest.Fixture {
	f := dyndns2fake.New(t, zones...)
	fx := &providertest.Fixture{
		Descriptor: dyndns2.Descriptor,
		Env:        env(f),
		Secret:     secret(dyndns2fake.Password),
		BadSecret:  secret("not-the-dyndns2-password"),
		Spec:       spec("noip"),
		FixedTTL:   true,
		RetryAfter: true,
		WriteOnly:  true,
		NoDelete:   "the dyndns2 protocol only sets addresses",
		Skip: map[string]string{
			"duplicates are all reported, across pages": "the service holds one address per host and type; several in its DNS answer " +
				"are read as one record that the next update replaces (TestSeveralAddressesAreReplaced)",
			"the ownership marker is stored, listed and kept": "the protocol keeps no ownership marker at the service",
		},
	}
	return f.Fill(fx)
}

func env(f *dyndns2fake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, Nameserver: f.DNS.Addr, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func secret(password string) map[string][]byte {
	return map[string][]byte{dyndns2.UsernameKey: []byte(dyndns2fake.Username), dyndns2.PasswordKey: []byte(password)}
}

func spec(service string) *v1alpha1.DynamicDNSRecordSpec {
	return &v1alpha1.DynamicDNSRecordSpec{Provider: dyndns2.Name, DynDNS2: &v1alpha1.DynDNS2Options{Service: service}}
}
