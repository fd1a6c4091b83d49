package dynv6fake

import (
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the dynv6 provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		srv := New(t, zones...).View().Server()
		srv.Secret = map[string]string{"apiToken": Token}
		srv.BadSecret = map[string]string{"apiToken": "not0the0right0dynv6000token00000"}
		srv.Skip = map[string]string{
			"fault matrix: endless-pages": "dynv6's lists are not paginated: there is no page to repeat",
		}
		return srv
	}}
}

// View is the fake as the provider sees it: no TTL and no marker, and
// the zone's own addresses with the IDs the provider gives them.
func (f *Fake) View() providertest.SetView[struct{}] {
	return providertest.SetView[struct{}]{Fake: &f.Fake, NoMarker: true, Assign: func(recs []providers.Record) {
		for i := range recs {
			recs[i].TTL = 0
			if z := f.zoneOf(recs[i].Name); z != "" && z == recs[i].Name {
				recs[i].ID = "zone/" + strings.ToUpper(recs[i].Type)
			}
		}
	}}
}

// zoneOf returns the fake's zone named name, "" for none.
func (f *Fake) zoneOf(name string) string {
	f.Lock()
	defer f.Unlock()
	if z := f.Store.Zone(name); z != nil {
		return z.Name
	}
	return ""
}
