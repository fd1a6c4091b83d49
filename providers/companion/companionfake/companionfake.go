// Package companionfake holds what the fakes of companion-marker providers
// share (tests only): seeding a record with its marker stores the marker in
// the companion TXT record, as the provider does, and reading records back
// fills Marker from it, so the operator's suites see markers as they do at
// providers with a comment field.
package companionfake

import (
	"slices"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Seed stores r in zone and, when r.Marker is set, makes its companion
// record hold the marker; it returns r with its ID.
func Seed[X any](f *providertest.Fake[X], zone string, r providers.Record) providers.Record {
	marker := r.Marker
	r.Marker = ""
	out := f.Seed(zone, r)
	if marker == "" {
		return out
	}
	name := companion.Name(r.Name, r.Type)
	f.Lock()
	z := f.Store.Zone(zone)
	found := false
	for _, rec := range z.Select(name, "TXT") {
		rec.Value, found = marker, true
	}
	f.Unlock()
	if !found {
		ttl := r.TTL
		if ttl == 0 {
			ttl = 600
		}
		f.Seed(zone, providers.Record{Name: name, Type: "TXT", Value: marker, TTL: ttl})
	}
	out.Marker = marker
	return out
}

// Records returns the records of zone named name of type typ, each with
// the marker its companion holds.
func Records[X any](f *providertest.Fake[X], zone, name, typ string) []providers.Record {
	var texts []string
	for _, m := range f.Records(zone, companion.Name(name, typ), "TXT") {
		texts = append(texts, companion.Unquote(m.Value))
	}
	marker := ""
	if len(texts) > 0 {
		marker = slices.Min(texts)
	}
	var out []providers.Record
	for _, r := range f.Records(zone, name, typ) {
		rec := r.Record()
		rec.Marker = marker
		out = append(out, rec)
	}
	return out
}

// Server is f.Server() with companion-aware Seed and Records.
func Server[X any](f *providertest.Fake[X]) *providertest.Server {
	s := f.Server()
	s.Seed = func(zone string, r providers.Record) providers.Record { return Seed(f, zone, r) }
	s.Records = func(zone, name, typ string) []providers.Record { return Records(f, zone, name, typ) }
	return s
}

// Fill is f.Fill(fx) with a companion-aware Seed.
func Fill[X any](f *providertest.Fake[X], fx *providertest.Fixture) *providertest.Fixture {
	f.Fill(fx)
	fx.Seed = func(_ *testing.T, zone string, r providers.Record) providers.Record { return Seed(f, zone, r) }
	return fx
}

// Sets is this package for providers whose records of a name and type
// form a set without an ID per value (deSEC's RRsets): records carry the
// IDs Assign gives them (providers/internal/rrset.Assign), as the provider
// lists them, and markers from their companion records.
type Sets[X any] struct {
	Fake   *providertest.Fake[X]
	Assign func([]providers.Record)
}

// Records is Records with the set's IDs.
func (s Sets[X]) Records(zone, name, typ string) []providers.Record {
	out := Records(s.Fake, zone, name, typ)
	s.Assign(out)
	return out
}

// Seed is Seed returning the record as the provider lists it.
func (s Sets[X]) Seed(zone string, r providers.Record) providers.Record {
	Seed(s.Fake, zone, r)
	for _, got := range s.Records(zone, r.Name, r.Type) {
		if got.Value == r.Value {
			return got
		}
	}
	return r
}

// Server is Server with the set's IDs.
func (s Sets[X]) Server() *providertest.Server {
	srv := Server(s.Fake)
	srv.Seed, srv.Records = s.Seed, s.Records
	return srv
}

// Fill is Fill with the set's IDs.
func (s Sets[X]) Fill(fx *providertest.Fixture) *providertest.Fixture {
	Fill(s.Fake, fx)
	fx.Seed = func(_ *testing.T, zone string, r providers.Record) providers.Record { return s.Seed(zone, r) }
	return fx
}
