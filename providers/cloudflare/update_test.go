package cloudflare_test

import (
	"context"
	"slices"
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func withSpec(t *testing.T, f *cloudflarefake.Fake, cf *v1alpha1.CloudflareOptions) providers.Provider {
	t.Helper()
	spec := &v1alpha1.DynamicDNSRecordSpec{Domain: "home.example.com", Provider: "cloudflare", Cloudflare: cf}
	p, err := cloudflare.Descriptor.New(providers.Env{Endpoint: f.URL}, tokenSecret(cloudflarefake.Token), spec)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func zoneOf(t *testing.T, p providers.Provider, name string) providers.Zone {
	t.Helper()
	z, err := p.FindZone(context.Background(), name, name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// An update whose spec says nothing about proxied or comment keeps what the
// user set at Cloudflare: proxy status, comment, tags.
func TestUpdateKeepsProviderSideSettings(t *testing.T) {
	ctx := context.Background()
	f := cloudflarefake.New(t, "example.com")
	seeded := f.SeedRec("example.com", cloudflarefake.Record{
		Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "set by hand",
		X: cloudflarefake.Settings{Proxied: true, Tags: []string{"owner:alice"}},
	})
	p := withSpec(t, f, nil)
	z := zoneOf(t, p, "example.com")
	if _, err := p.UpdateRecord(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"}); err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	got, _ := f.Get(seeded.ID)
	if got.Value != "81.2.69.161" || !got.X.Proxied || got.Marker != "set by hand" || !slices.Equal(got.X.Tags, []string{"owner:alice"}) {
		t.Fatalf("after update the record is %+v; want the new address and the user's proxied, comment and tags kept", got)
	}

	// An empty options block is the same as none.
	p = withSpec(t, f, &v1alpha1.CloudflareOptions{})
	if _, err := p.UpdateRecord(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.162"}); err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	if got, _ := f.Get(seeded.ID); !got.X.Proxied || got.Marker != "set by hand" {
		t.Fatalf("an empty options block changed settings: %+v", got)
	}
}

// TTL 0 on update keeps the record's TTL.
func TestUpdateWithTTLZeroKeepsTTL(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	seeded := f.SeedRec("example.com", cloudflarefake.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 3600})
	p := withSpec(t, f, nil)
	up, err := p.UpdateRecord(context.Background(), zoneOf(t, p, "example.com"), providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"})
	if err != nil {
		t.Fatal(err)
	}
	if up.TTL != 3600 || up.Value != "81.2.69.161" {
		t.Fatalf("UpdateRecord returned %+v, want TTL 3600 kept", up)
	}
}

// The options the spec sets are written on update and on create.
func TestSpecOptionsAreApplied(t *testing.T) {
	ctx := context.Background()
	f := cloudflarefake.New(t, "example.com")
	seeded := f.SeedRec("example.com", cloudflarefake.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "old", X: cloudflarefake.Settings{Proxied: true}})
	off := false
	p := withSpec(t, f, &v1alpha1.CloudflareOptions{Proxied: &off, Comment: "managed by ddns-operator"})
	z := zoneOf(t, p, "example.com")
	if _, err := p.UpdateRecord(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: 120}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Get(seeded.ID); got.X.Proxied || got.Marker != "managed by ddns-operator" || got.TTL != 120 {
		t.Fatalf("after update the record is %+v", got)
	}

	on := true
	p = withSpec(t, f, &v1alpha1.CloudflareOptions{Proxied: &on, Comment: "proxied one"})
	created, err := p.CreateRecord(ctx, z, providers.Record{Name: "www.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Get(created.ID); !got.X.Proxied || got.Marker != "proxied one" || got.TTL != 1 {
		t.Fatalf("created record is %+v, want proxied, commented, automatic TTL", got)
	}
}

// Create without options: not proxied, no comment; TTL 0 is automatic (1).
func TestCreateDefaults(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	p := withSpec(t, f, nil)
	created, err := p.CreateRecord(context.Background(), zoneOf(t, p, "example.com"), providers.Record{Name: "Home.Example.com.", Type: "A", Value: "81.2.69.160"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.Get(created.ID)
	if got.X.Proxied || got.Marker != "" || got.TTL != 1 || got.Name != "home.example.com" {
		t.Fatalf("created record is %+v", got)
	}
	if created.TTL != 1 || created.Name != "home.example.com" {
		t.Fatalf("CreateRecord returned %+v", created)
	}
}

// TTL 1 (automatic) is accepted although it is below the minimum.
func TestAutomaticTTLIsAccepted(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	p := withSpec(t, f, nil)
	if _, err := p.CreateRecord(context.Background(), zoneOf(t, p, "example.com"), providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 1}); err != nil {
		t.Fatalf("TTL 1: %v", err)
	}
}

// A value that does not fit the type is refused before any request.
func TestValueMustMatchType(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	p := withSpec(t, f, nil)
	z := zoneOf(t, p, "example.com")
	before := f.Requests()
	for _, r := range []providers.Record{
		{Name: "home.example.com", Type: "A", Value: "2a02:2e0:3fe:1001:302::1"},
		{Name: "home.example.com", Type: "AAAA", Value: "81.2.69.160"},
		{Name: "home.example.com", Type: "A", Value: "not-an-ip"},
		{Name: "home.example.com", Type: "CNAME", Value: "81.2.69.160"},
	} {
		_, err := p.CreateRecord(context.Background(), z, r)
		record(t, err)
		if providers.KindOf(err) != providers.KindInvalid {
			t.Errorf("CreateRecord(%+v) = %v, want an invalid error", r, err)
		}
	}
	if f.Requests() != before {
		t.Fatalf("invalid records reached the server")
	}
}

// The SDK's own retries are off: one failing call is one request, and the
// operator's workqueue decides when to try again.
func TestNoSDKRetries(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	p := withSpec(t, f, nil)
	z := zoneOf(t, p, "example.com")
	for _, fault := range []providertest.Fault{providertest.FaultServerError, providertest.FaultRateLimited} {
		f.SetFault(fault)
		before := f.Requests()
		_, err := p.CreateRecord(context.Background(), z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
		if err == nil || f.Requests() != before+1 {
			t.Fatalf("fault %d: %d requests for one call (err %v), want 1", fault, f.Requests()-before, err)
		}
	}
}

// The SDK's CLOUDFLARE_* environment variables change nothing.
func TestEnvironmentIsIgnored(t *testing.T) {
	t.Setenv("CLOUDFLARE_API_TOKEN", "WrongToken0123456789abcdefGHIJKLMNOPQRS")
	t.Setenv("CLOUDFLARE_BASE_URL", "http://127.0.0.1:1/")
	t.Setenv("CLOUDFLARE_API_KEY", "ffffffffffffffffffffffffffffffffffff0")
	t.Setenv("CLOUDFLARE_EMAIL", "someone@example.org")
	f := cloudflarefake.New(t, "example.com")
	p := withSpec(t, f, nil)
	if _, err := p.FindZone(context.Background(), "home.example.com", ""); err != nil {
		t.Fatalf("FindZone with CLOUDFLARE_* set: %v", err)
	}
}

// Names come back lowercase and absolute, values canonical.
func TestListRecordsCanonicalForm(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	f.SeedRec("example.com", cloudflarefake.Record{Name: "v6", Type: "AAAA", Value: "2A02:02E0:03FE:1001:0302:0000:0000:0001", TTL: 600})
	p := withSpec(t, f, nil)
	got, err := p.ListRecords(context.Background(), zoneOf(t, p, "example.com"), "V6.Example.COM.", "aaaa")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "v6.example.com" || got[0].Value != "2a02:2e0:3fe:1001:302::1" || got[0].Type != "AAAA" {
		t.Fatalf("ListRecords = %+v", got)
	}
}
