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

// The rest of this file is the kit's part for record-set APIs (Route 53, Google Cloud
// DNS, Hetzner, Gandi), which keep every value of a name and type in one
// set, and for providers that keep ownership markers in companion TXT
// records.

// SetRecordID is a Store.RecordIDOf for record-set fakes: the ID the
// provider gives the record (providers.SetID), "name/type" for the first
// value of a set and "name/type/value" for the others. A record-set API
// gives values no ID, so the provider makes it from the set, and a seeded
// record must be known by the same ID.
func SetRecordID[X any](z *Zone[X], r *Rec[X], _ int) string {
	return providers.SetID(r.Name, r.Type, r.Value, len(z.Select(r.Name, r.Type)) == 0)
}

// Set returns the zone's records named name of type typ as one set, in
// creation order, with the TTL of the first.
func (z *Zone[X]) Set(name, typ string) providers.RecordSet {
	set := providers.RecordSet{Name: providers.CanonicalName(name), Type: typ}
	for i, r := range z.Select(name, typ) {
		if i == 0 {
			set.TTL = int32(r.TTL)
		}
		set.Values = append(set.Values, providers.SetValue{Value: r.Value, Marker: r.Marker})
	}
	return set
}

// ReplaceSet makes set the zone's records of its name and type: every
// record of that name and type is removed, and one is added per value,
// each with x (what only the provider keeps).
func (s *Store[X]) ReplaceSet(z *Zone[X], set providers.RecordSet, x X) {
	for _, r := range z.Select(set.Name, set.Type) {
		z.Remove(r.ID)
	}
	for _, v := range set.Values {
		s.Add(z, Rec[X]{Name: set.Name, Type: set.Type, Value: v.Value, TTL: int(set.TTL), Marker: v.Marker, X: x})
	}
}

// CompanionText returns the marker the companion TXT of the records named
// name of type typ holds in z ("" when there is none).
func (z *Zone[X]) CompanionText(name, typ string) string {
	var values []string
	for _, r := range z.Select(providers.CompanionName(name, typ), "TXT") {
		values = append(values, r.Value)
	}
	return providers.CompanionMarker(values)
}

// SetCompanion stores marker as the text of the companion TXT of the
// records named name of type typ in z, replacing any it had.
func (s *Store[X]) SetCompanion(z *Zone[X], name, typ, marker string) {
	companion := providers.CompanionName(name, typ)
	var ttl int
	for _, r := range z.Select(name, typ) {
		ttl = r.TTL
	}
	for _, r := range z.Select(companion, "TXT") {
		z.Remove(r.ID)
	}
	s.Add(z, Rec[X]{Name: companion, Type: "TXT", Value: marker, TTL: ttl})
}
