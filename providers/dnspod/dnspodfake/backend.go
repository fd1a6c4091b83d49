package dnspodfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the legacy DNSPod provider d with this fake, for the operator's
// suites. It takes the descriptor so the fake does not import the
// provider, whose internal tests use the fake.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		return &providertest.Server{
			Endpoint:  f.URL,
			Secret:    map[string]string{"loginToken": LoginToken},
			BadSecret: map[string]string{"loginToken": TokenID + ",not-the-right-dnspod-token"},
			Seed:      f.Seed,
			Records: func(zone, name, typ string) []providers.Record {
				var out []providers.Record
				for _, r := range f.Records(zone) {
					if providers.AbsoluteName(r.Name, zone) == name && r.Type == typ {
						out = append(out, providers.Record{ID: r.ID, Name: name, Type: r.Type, Value: r.Value, TTL: int32(r.TTL), Marker: r.Remark})
					}
				}
				return out
			},
			Writes: f.Writes, Requests: f.Requests, SetFault: f.SetFault, CredentialsSeen: f.CredentialsSeen,
		}
	}}
}
