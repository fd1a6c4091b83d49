package spaceshipfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Spaceship provider d with this fake, for the operator's
// suites. An address change takes two writes: Spaceship has no update,
// so the provider saves the new value and deletes the old.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		srv := New(t, zones...).View().Server()
		srv.Secret = map[string]string{"apiKey": Key, "apiSecret": Secret}
		srv.BadSecret = map[string]string{"apiKey": Key, "apiSecret": "sps_not0the0right0secret000000"}
		srv.WritesPerChange = 2
		return srv
	}}
}

// View is the fake as the provider sees it: records have no ID and no
// comment at Spaceship, so they carry the provider's IDs (package rrset)
// and no marker.
func (f *Fake) View() providertest.SetView[struct{}] {
	return providertest.SetView[struct{}]{Fake: &f.Fake, Assign: rrset.Assign, NoMarker: true}
}
