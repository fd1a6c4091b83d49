package dynadotfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Dynadot provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		srv := f.View().Server()
		srv.Endpoint = f.Endpoint()
		srv.Secret = map[string]string{"ddnsPassword": Password}
		srv.BadSecret = map[string]string{"ddnsPassword": "not-the-dynadot-ddns-password"}
		srv.Skip = map[string]string{
			"fault matrix: endless-pages": "Dynadot's DDNS endpoint lists nothing: there is no page to repeat",
		}
		return srv
	}}
}

// View is the fake as the provider sees it: records read from DNS, with
// IDs from package rrset and no marker.
func (f *Fake) View() providertest.SetView[struct{}] {
	return providertest.SetView[struct{}]{Fake: &f.Fake, NoMarker: true, Assign: rrset.Assign}
}
