package ovh_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/ovh"
	"github.com/ddns-operator/ddns-operator/providers/ovh/ovhfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(as string) map[string][]byte {
	return map[string][]byte{
		ovh.KeyApplicationKey: []byte(ovhfake.ApplicationKey), ovh.KeyApplicationSecret: []byte(as), ovh.KeyConsumerKey: []byte(ovhfake.ConsumerKey),
	}
}

func env(f *ovhfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := ovhfake.New(t, zones...)
		return f.Fill(&providertest.Fixture{
			Descriptor: ovh.Descriptor,
			Env:        env(f),
			Secret:     secret(ovhfake.ApplicationSecret),
			// The right keys with a wrong application secret: the fake
			// recomputes the signature and answers "Invalid signature".
			BadSecret: secret("ffffffffffffffffffffffffffffffff"),
			MinTTL:    ovhfake.MinTTL,
			Skip: map[string]string{
				"ListZoneRecords reads the whole zone": "the API lists record IDs only, one request per record to read each; the provider reads by name",
			},
		})
	})
}

func build(t *testing.T, f *ovhfake.Fake) providers.Provider {
	t.Helper()
	p, err := ovh.Descriptor.New(env(f), secret(ovhfake.ApplicationSecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Every change is followed by a refresh of the zone, which is what
// publishes it; a refresh that failed is made before the zone's next read.
func TestRefreshAfterChanges(t *testing.T) {
	ctx := context.Background()
	f := ovhfake.New(t, "example.com")
	p := build(t, f)
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600, Marker: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Refreshes() != 1 {
		t.Fatalf("%d refreshes after a create, want 1", f.Refreshes())
	}
	r.Value = "81.2.69.161"
	if _, err := p.UpdateRecord(ctx, z, r); err != nil {
		t.Fatal(err)
	}
	if f.Refreshes() != 2 {
		t.Fatalf("%d refreshes after an update, want 2", f.Refreshes())
	}

	// The record is saved, then the refresh fails: the next read refreshes
	// first.
	f.FailRefreshes(1)
	r.Value = "81.2.69.162"
	if _, err := p.UpdateRecord(ctx, z, r); providers.KindOf(err) != providers.KindTransient {
		t.Fatalf("UpdateRecord with a failing refresh = %v, want a transient error", err)
	}
	before := f.Refreshes()
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 1 || got[0].Value != "81.2.69.162" || got[0].Marker != "mine" {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}
	if f.Refreshes() != before+1 {
		t.Fatalf("the read made %d refreshes, want the one owed", f.Refreshes()-before)
	}
}

// A record with ttl 0 has its zone's default TTL.
func TestZoneDefaultTTL(t *testing.T) {
	ctx := context.Background()
	f := ovhfake.New(t, "example.com")
	p := build(t, f)
	z, _ := p.FindZone(ctx, "example.com", "")
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"})
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 1 || got[0].TTL != ovhfake.ZoneTTL {
		t.Fatalf("ListRecords = %+v, %v; want the zone's TTL", got, err)
	}
}

// The endpoint names the region's API; an unknown name is refused by
// the CRD, and by the SDK if it ever got through.
func TestEndpoints(t *testing.T) {
	for _, ep := range []string{"ovh-eu", "ovh-ca", "ovh-us"} {
		spec := &v1alpha1.DynamicDNSRecordSpec{OVH: &v1alpha1.OVHOptions{Endpoint: ep}}
		if _, err := ovh.Descriptor.New(providers.Env{}, secret(ovhfake.ApplicationSecret), spec); err != nil {
			t.Errorf("%s: %v", ep, err)
		}
	}
	spec := &v1alpha1.DynamicDNSRecordSpec{OVH: &v1alpha1.OVHOptions{Endpoint: "ovh-mars"}}
	if _, err := ovh.Descriptor.New(providers.Env{}, secret(ovhfake.ApplicationSecret), spec); providers.KindOf(err) != providers.KindInvalid {
		t.Errorf("an unknown endpoint: %v", err)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, missing := range []string{ovh.KeyApplicationKey, ovh.KeyApplicationSecret, ovh.KeyConsumerKey} {
		data := secret(ovhfake.ApplicationSecret)
		delete(data, missing)
		if _, err := ovh.FromSecretData(data); providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), missing) {
			t.Errorf("without %s: %v", missing, err)
		}
	}
	c, err := ovh.FromSecretData(secret(" " + ovhfake.ApplicationSecret + "\n"))
	if err != nil || c.ApplicationSecret != ovhfake.ApplicationSecret {
		t.Fatalf("trimmed: %v", err)
	}
	if s := c.String(); strings.Contains(s, ovhfake.ApplicationSecret) || strings.Contains(s, ovhfake.ConsumerKey) {
		t.Fatalf("String() = %q shows a secret", s)
	}
}

// Reads under faults below the wire format end at once with a transient
// error: a listing that never ends, and 200 answers that are not the API's.
func TestReadFaults(t *testing.T) {
	f := ovhfake.New(t, "example.com")
	providertest.CheckReadFaults(t, build(t, f), "example.com", f.SetFault)
}

// The marker is written before the record, so a record whose answer was
// lost is found marked and not written again.
func TestLostCreate(t *testing.T) {
	f := ovhfake.New(t, "example.com")
	providertest.CheckLostCreate(t, build(t, f), "example.com", f.SetFault)
}

// A wrong answer to the client's time query (an empty 200 reads as the
// time 0) makes the API refuse every signed request as out of time; the
// provider then asks the time again, and works at the next attempt.
func TestClockLearntFromAWrongAnswer(t *testing.T) {
	ctx := context.Background()
	f := ovhfake.New(t, "example.com")
	p := build(t, f)
	f.SetFault(providertest.FaultEmptyOK)
	if _, err := p.FindZone(ctx, "home.example.com", ""); providers.KindOf(err) != providers.KindTransient {
		t.Fatalf("FindZone under empty answers = %v", err)
	}
	f.SetFault(providertest.FaultNone)
	_, err := p.FindZone(ctx, "home.example.com", "")
	if providers.KindOf(err) != providers.KindTransient || !strings.Contains(err.Error(), "out of time") {
		t.Fatalf("the first request after = %v, want the transient out-of-time refusal", err)
	}
	if z, err := p.FindZone(ctx, "home.example.com", ""); err != nil || z.Name != "example.com" {
		t.Fatalf("the next request = %+v, %v; want the clock asked again", z, err)
	}
}
