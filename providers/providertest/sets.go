package providertest

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
)

// SetView is how a provider whose records of a name and type form a set
// without an ID per value (GoDaddy, Gcore's RRsets, records read from
// DNS) sees a fake's records: with the IDs the provider makes (assign,
// e.g. providers/internal/rrset.Assign), and without markers when the
// provider keeps none (NameSilo too, whose records have IDs). Its Seed and Records replace a Server's or a
// Fixture's, which report the fake's own record IDs.
type SetView[X any] struct {
	Fake *Fake[X]
	// Assign sets the IDs of records of one name and type; nil keeps
	// the fake's IDs (a provider with IDs but without markers).
	Assign func([]providers.Record)
	// NoMarker drops markers: the provider has no place to keep them.
	NoMarker bool
}

// Records returns the fake's records of a zone named name of type typ,
// as the provider reports them.
func (v SetView[X]) Records(zone, name, typ string) []providers.Record {
	var out []providers.Record
	for _, r := range v.Fake.Records(zone, name, typ) {
		rec := r.Record()
		if v.NoMarker {
			rec.Marker = ""
		}
		out = append(out, rec)
	}
	if v.Assign != nil {
		v.Assign(out)
	}
	return out
}

// Seed stores r directly and returns it as the provider reports it.
func (v SetView[X]) Seed(zone string, r providers.Record) providers.Record {
	v.Fake.Seed(zone, r)
	for _, got := range v.Records(zone, r.Name, r.Type) {
		if got.Value == r.Value {
			return got
		}
	}
	return r
}

// Fill sets Seed in fx (after Fake.Fill) and returns it.
func (v SetView[X]) Fill(fx *Fixture) *Fixture {
	v.Fake.Fill(fx)
	fx.Seed = func(_ *testing.T, zone string, r providers.Record) providers.Record { return v.Seed(zone, r) }
	return fx
}

// Server returns the fake as the suites see it, through the view.
func (v SetView[X]) Server() *Server {
	srv := v.Fake.Server()
	srv.Seed, srv.Records = v.Seed, v.Records
	return srv
}
