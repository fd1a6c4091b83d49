package namecheapfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Namecheap provider d with this fake, for the operator's
// suites: every host of its zones counts as set up for Dynamic DNS.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		f.AnyHost = true
		srv := f.View().Server()
		srv.Endpoint = f.Endpoint()
		srv.Secret = map[string]string{"ddnsPassword": Password}
		srv.BadSecret = map[string]string{"ddnsPassword": "not-the-namecheap-ddns-password"}
		srv.Skip = map[string]string{
			"fault matrix: endless-pages": "Namecheap's Dynamic DNS endpoint lists nothing: there is no page to repeat",
		}
		return srv
	}}
}

// View is the fake as the provider sees it: records read from DNS, with
// IDs from package rrset, TTL 0 (set in Namecheap's console) and no
// marker.
func (f *Fake) View() providertest.SetView[struct{}] {
	return providertest.SetView[struct{}]{Fake: &f.Fake, NoMarker: true, Assign: func(recs []providers.Record) {
		rrset.Assign(recs)
		for i := range recs {
			recs[i].TTL = 0
		}
	}}
}
