package gcorefake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Gcore provider d with this fake, for the operator's
// suites. Records come back with the provider's IDs (package rrset):
// values of an RRset have no ID of their own.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		srv := f.Server()
		srv.Secret = map[string]string{"apiToken": Token}
		srv.BadSecret = map[string]string{"apiToken": "15087$0000000000000000000000000000000000000000"}
		srv.Seed = f.SeedSet
		srv.Records = f.SetRecords
		return srv
	}}
}

// SeedSet stores r as one more value of its RRset and returns it with
// the ID the provider gives it.
func (f *Fake) SeedSet(zone string, r providers.Record) providers.Record {
	f.Seed(zone, r)
	for _, got := range f.SetRecords(zone, r.Name, r.Type) {
		if got.Value == r.Value {
			return got
		}
	}
	return r
}

// SetRecords returns the values of the RRset of name and typ with the IDs
// the provider gives them.
func (f *Fake) SetRecords(zone, name, typ string) []providers.Record {
	var out []providers.Record
	for _, r := range f.Records(zone, name, typ) {
		out = append(out, r.Record())
	}
	rrset.Assign(out)
	return out
}
