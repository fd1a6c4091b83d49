package digitalocean_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/digitalocean"
	"github.com/ddns-operator/ddns-operator/providers/digitalocean/digitaloceanfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(token string) map[string][]byte {
	return map[string][]byte{digitalocean.KeyToken: []byte(token)}
}

func env(f *digitaloceanfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL + "/v2", HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := digitaloceanfake.New(t, zones...)
		return f.Fill(&providertest.Fixture{
			Descriptor: digitalocean.Descriptor,
			Env:        env(f),
			Secret:     secret(digitaloceanfake.Token),
			BadSecret:  secret("dop_v1_ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
			MinTTL:     digitaloceanfake.MinTTL,
			RetryAfter: true, // from RateLimit-Reset
		})
	})
}

func build(t *testing.T, f *digitaloceanfake.Fake) providers.Provider {
	t.Helper()
	p, err := digitalocean.Descriptor.New(env(f), secret(digitaloceanfake.Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The marker lives in a companion TXT record: written on create, kept by
// an address change (which writes only the record), and removed with the
// last record of its name and type.
func TestCompanionMarker(t *testing.T) {
	ctx := context.Background()
	f := digitaloceanfake.New(t, "example.com")
	p := build(t, f)
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600, Marker: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	txt := f.Records("example.com", "_ddns-owner-a.home.example.com", "TXT")
	if len(txt) != 1 || txt[0].Value != "mine" {
		t.Fatalf("companion after create: %+v", txt)
	}
	before := f.Writes()
	r.Value = "81.2.69.161"
	if _, err := p.UpdateRecord(ctx, z, r); err != nil {
		t.Fatal(err)
	}
	if f.Writes()-before != 1 {
		t.Fatalf("an address change with the same marker took %d writes, want 1", f.Writes()-before)
	}
	all, err := p.(providers.ZoneReader).ListZoneRecords(ctx, z, "A")
	if err != nil || len(all) != 1 || all[0].Marker != "mine" || all[0].Value != "81.2.69.161" {
		t.Fatalf("ListZoneRecords = %+v, %v", all, err)
	}
	if err := p.DeleteRecord(ctx, z, all[0]); err != nil {
		t.Fatal(err)
	}
	if rest := f.Records("example.com", "", ""); len(rest) != 0 {
		t.Fatalf("after deleting the last record the zone holds %+v", rest)
	}
}

func TestSecret(t *testing.T) {
	for name, data := range map[string]map[string][]byte{
		"no key":   {"apiToken": []byte("x")},
		"empty":    secret(" \n"),
		"a space":  secret("dop_v1 abc"),
		"non-ASCI": secret("dop_v1_ä"),
	} {
		if _, err := digitalocean.Descriptor.New(providers.Env{}, data, nil); providers.KindOf(err) != providers.KindCredentials {
			t.Errorf("%s: error %v, want a credentials error", name, err)
		}
	}
	if _, err := digitalocean.Descriptor.New(providers.Env{}, secret(" dop_v1_abc\n"), nil); err != nil {
		t.Errorf("a token with a trailing newline: %v", err)
	}
}

// Reads under faults below the wire format end at once with a transient
// error: a listing that never ends, and 200 answers that are not the API's.
func TestReadFaults(t *testing.T) {
	f := digitaloceanfake.New(t, "example.com")
	providertest.CheckReadFaults(t, build(t, f), "example.com", f.SetFault)
}

// The marker is written before the record, so a record whose answer was
// lost is found marked and not written again.
func TestLostCreate(t *testing.T) {
	f := digitaloceanfake.New(t, "example.com")
	providertest.CheckLostCreate(t, build(t, f), "example.com", f.SetFault)
}
