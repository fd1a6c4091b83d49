package namesilofake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the NameSilo provider d with this fake, for the operator's
// suites. NameSilo's records keep no marker.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		srv := New(t, zones...).View().Server()
		srv.Secret = map[string]string{"apiKey": Key}
		srv.BadSecret = map[string]string{"apiKey": "0000not0the0right0key000"}
		srv.MinTTL = MinTTL
		return srv
	}}
}

// View is the fake as the provider sees it: NameSilo's records have IDs
// but no comment, so they carry no marker.
func (f *Fake) View() providertest.SetView[struct{}] {
	return providertest.SetView[struct{}]{Fake: &f.Fake, NoMarker: true}
}
