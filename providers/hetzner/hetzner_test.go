package hetzner_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/hetzner"
	"github.com/ddns-operator/ddns-operator/providers/hetzner/hetznerfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(token string) map[string][]byte {
	return map[string][]byte{hetzner.KeyToken: []byte(token)}
}

func env(f *hetznerfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := hetznerfake.New(t, zones...)
		return f.Fill(&providertest.Fixture{
			Descriptor: hetzner.Descriptor,
			Env:        env(f),
			Secret:     secret(hetznerfake.Token),
			BadSecret:  secret("hcloudffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
			MinTTL:     hetznerfake.MinTTL,
			RetryAfter: true, // from RateLimit-Reset
			// The Cloud API changes an RRset's TTL only with its own
			// change_ttl action; the records go with set_records.
			UpdateTTLWrites: 2,
		})
	})
}

func build(t *testing.T, f *hetznerfake.Fake) providers.Provider {
	t.Helper()
	p, err := hetzner.Descriptor.New(env(f), secret(hetznerfake.Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A set with two values is two records, each with its own comment; the
// plan's update of one and delete of the other leave one value with the
// marker, and an address change alone is one set_records action.
func TestRRSetOfTwoValues(t *testing.T) {
	ctx := context.Background()
	f := hetznerfake.New(t, "example.com")
	p := build(t, f)
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600, Marker: "mine"})
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: 600, Marker: "someone"})
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 2 || got[0].Marker != "mine" || got[1].Marker != "someone" || got[0].ID == got[1].ID {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}
	upd := got[0]
	upd.Value = "81.2.69.170"
	before := f.Writes()
	if _, err := p.UpdateRecord(ctx, z, upd); err != nil {
		t.Fatal(err)
	}
	if err := p.DeleteRecord(ctx, z, got[1]); err != nil {
		t.Fatal(err)
	}
	if f.Writes()-before != 2 {
		t.Fatalf("an update and a delete in one set took %d writes", f.Writes()-before)
	}
	left, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(left) != 1 || left[0].Value != "81.2.69.170" || left[0].Marker != "mine" || left[0].ID != "home.example.com/A" || left[0].TTL != 600 {
		t.Fatalf("after the plan: %+v, %v", left, err)
	}
}

// An RRset without a TTL of its own has the zone's.
func TestTTLOfTheZone(t *testing.T) {
	ctx := context.Background()
	f := hetznerfake.New(t, "example.com")
	p := build(t, f)
	z, _ := p.FindZone(ctx, "example.com", "")
	if _, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}); err != nil {
		t.Fatal(err)
	}
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 1 || got[0].TTL != hetznerfake.ZoneTTL {
		t.Fatalf("ListRecords = %+v, %v; want the zone's TTL", got, err)
	}
}

// A name in no zone of the project says where a zone may be instead.
func TestZoneNotFoundNamesTheDNSConsole(t *testing.T) {
	f := hetznerfake.New(t, "example.com")
	_, err := build(t, f).FindZone(context.Background(), "home.example.net", "")
	if providers.KindOf(err) != providers.KindZoneNotFound || !strings.Contains(err.Error(), "DNS Console") {
		t.Fatalf("FindZone = %v", err)
	}
}

// Reads under faults below the wire format end at once with a transient
// error: a listing that never ends, and 200 answers that are not the API's.
func TestReadFaults(t *testing.T) {
	f := hetznerfake.New(t, "example.com")
	providertest.CheckReadFaults(t, build(t, f), "example.com", f.SetFault)
}

// The record and its marker go in one request, so a record whose answer
// was lost is found marked and not written again.
func TestLostCreate(t *testing.T) {
	f := hetznerfake.New(t, "example.com")
	providertest.CheckLostCreate(t, build(t, f), "example.com", f.SetFault)
}
