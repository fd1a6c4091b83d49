package gandi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/gandi"
	"github.com/ddns-operator/ddns-operator/providers/gandi/gandifake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(token string) map[string][]byte {
	return map[string][]byte{gandi.KeyToken: []byte(token)}
}

func env(f *gandifake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := gandifake.New(t, zones...)
		return f.Fill(&providertest.Fixture{
			Descriptor: gandi.Descriptor,
			Env:        env(f),
			Secret:     secret(gandifake.Token),
			BadSecret:  secret("pat_ffffffff-ffff-ffff-ffff-ffffffffffff"),
			MinTTL:     gandifake.MinTTL,
			RetryAfter: true,
		})
	})
}

func build(t *testing.T, f *gandifake.Fake) providers.Provider {
	t.Helper()
	p, err := gandi.Descriptor.New(env(f), secret(gandifake.Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A set with two values is two records; the plan keeps one and deletes the
// other, after which the set holds the one value and keeps its marker.
func TestSetWithTwoValues(t *testing.T) {
	ctx := context.Background()
	f := gandifake.New(t, "example.com")
	p := build(t, f)
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600, Marker: "mine"})
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: 600})
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 2 {
		t.Fatalf("ListRecords = %+v, %v; want two records", got, err)
	}
	if got[0].ID != "home.example.com/A/81.2.69.160" || got[1].ID != "home.example.com/A/81.2.69.161" || got[0].Marker != "mine" || got[1].Marker != "mine" {
		t.Fatalf("records of a two-value set: %+v", got)
	}
	before := f.Writes()
	if err := p.DeleteRecord(ctx, z, got[1]); err != nil {
		t.Fatal(err)
	}
	if f.Writes()-before != 1 {
		t.Fatalf("removing one value of two took %d writes", f.Writes()-before)
	}
	left, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(left) != 1 || left[0].ID != "home.example.com/A" || left[0].Value != "81.2.69.160" || left[0].Marker != "mine" {
		t.Fatalf("after removing a value: %+v, %v", left, err)
	}
	// The last value goes with its set and its companion.
	if err := p.DeleteRecord(ctx, z, left[0]); err != nil {
		t.Fatal(err)
	}
	if rest := f.Records("example.com", "", ""); len(rest) != 0 {
		t.Fatalf("after removing the last value the zone holds %+v", rest)
	}
}

// The address changing keeps the marker in place without writing it again.
func TestUpdateWritesTheMarkerOnlyWhenItChanges(t *testing.T) {
	ctx := context.Background()
	f := gandifake.New(t, "example.com")
	p := build(t, f)
	z, _ := p.FindZone(ctx, "example.com", "example.com")
	r, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600, Marker: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	before := f.Writes()
	r.Value = "81.2.69.161"
	if _, err := p.UpdateRecord(ctx, z, r); err != nil {
		t.Fatal(err)
	}
	if f.Writes()-before != 1 {
		t.Fatalf("an address change with the same marker took %d writes, want 1", f.Writes()-before)
	}
	r.Marker = "theirs"
	if _, err := p.UpdateRecord(ctx, z, r); err != nil {
		t.Fatal(err)
	}
	if got := f.Records("example.com", "home.example.com", "A"); len(got) != 1 || got[0].Marker != "theirs" {
		t.Fatalf("after a marker change: %+v", got)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
		kind providers.Kind
	}{
		{"the token", secret(" pat_abc\n"), "pat_abc", -1},
		{"no key", map[string][]byte{"apiKey": []byte("x")}, "", providers.KindCredentials},
		{"empty", secret("  "), "", providers.KindCredentials},
		{"a space inside", secret("pat abc"), "", providers.KindCredentials},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := gandi.FromSecretData(tc.data)
			if tc.kind < 0 {
				if err != nil || got != tc.want {
					t.Fatalf("= %q, %v", got, err)
				}
				return
			}
			if providers.KindOf(err) != tc.kind {
				t.Fatalf("error %v, want kind %s", err, tc.kind)
			}
		})
	}
}

// Reads under faults below the wire format end at once with a transient
// error: a listing that never ends, and 200 answers that are not the API's.
func TestReadFaults(t *testing.T) {
	f := gandifake.New(t, "example.com")
	providertest.CheckReadFaults(t, build(t, f), "example.com", f.SetFault)
}

// The marker is written before the record, so a record whose answer was
// lost is found marked and not written again.
func TestLostCreate(t *testing.T) {
	f := gandifake.New(t, "example.com")
	providertest.CheckLostCreate(t, build(t, f), "example.com", f.SetFault)
}
