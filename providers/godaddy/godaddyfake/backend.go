package godaddyfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the GoDaddy provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		srv := New(t, zones...).View().Server()
		srv.Secret = map[string]string{"apiKey": Key, "apiSecret": Secret}
		srv.BadSecret = map[string]string{"apiKey": Key, "apiSecret": "not0the0right0secret0000"}
		return srv
	}}
}

// View is the fake as the provider sees it: GoDaddy's records have no ID
// and no comment, so records carry the provider's IDs (package rrset)
// and no marker.
func (f *Fake) View() providertest.SetView[struct{}] {
	return providertest.SetView[struct{}]{Fake: &f.Fake, Assign: rrset.Assign, NoMarker: true}
}
