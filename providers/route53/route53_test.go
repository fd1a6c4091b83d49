package route53_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/route53"
	"github.com/ddns-operator/ddns-operator/providers/route53/route53fake"
)

func secret(id, key string) map[string][]byte {
	return map[string][]byte{route53.KeyAccessKeyID: []byte(id), route53.KeySecretAccessKey: []byte(key)}
}

func env(f *route53fake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := route53fake.New(t, zones...)
		return f.Fill(&providertest.Fixture{
			Descriptor: route53.Descriptor,
			Env:        env(f),
			Secret:     secret(route53fake.AccessKeyID, route53fake.SecretAccessKey),
			// The right key ID with a wrong secret: the fake recomputes
			// the SigV4 signature and answers SignatureDoesNotMatch.
			BadSecret: secret(route53fake.AccessKeyID, "wRoNgSeCrEt/K7MDENG/bPxRfiCYEXAMPLEKEY00"),
		})
	})
}

func build(t *testing.T, f *route53fake.Fake, o *v1alpha1.Route53Options) providers.Provider {
	t.Helper()
	p, err := route53.Descriptor.New(env(f), secret(route53fake.AccessKeyID, route53fake.SecretAccessKey), &v1alpha1.DynamicDNSRecordSpec{Route53: o})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Public hosted zones are the default; privateZone selects private ones,
// hostedZoneID one zone; a name only the other visibility holds says so.
func TestHostedZoneLookup(t *testing.T) {
	ctx := context.Background()
	f := route53fake.New(t, "example.com")
	privateID := f.AddPrivateZone("internal.example.com")
	if z, err := build(t, f, nil).FindZone(ctx, "home.internal.example.com", ""); err != nil || z.Name != "example.com" {
		t.Fatalf("public lookup = %+v, %v", z, err)
	}
	priv := build(t, f, &v1alpha1.Route53Options{PrivateZone: true})
	if z, err := priv.FindZone(ctx, "home.internal.example.com", ""); err != nil || z.Name != "internal.example.com" || z.ID != privateID {
		t.Fatalf("private lookup = %+v, %v", z, err)
	}
	if _, err := priv.FindZone(ctx, "home.example.com", ""); providers.KindOf(err) != providers.KindZoneNotFound || !strings.Contains(err.Error(), "a public one does") {
		t.Fatalf("a private lookup of a public name = %v", err)
	}
	_, err := build(t, f, nil).FindZone(ctx, "x.internal.example.com", "internal.example.com")
	if providers.KindOf(err) != providers.KindZoneNotFound || !strings.Contains(err.Error(), "privateZone: true") {
		t.Fatalf("a public lookup with a private hint = %v", err)
	}
	byID := build(t, f, &v1alpha1.Route53Options{HostedZoneID: "/hostedzone/" + privateID})
	if z, err := byID.FindZone(ctx, "home.internal.example.com", ""); err != nil || z.ID != privateID {
		t.Fatalf("hostedZoneID lookup = %+v, %v", z, err)
	}
	if _, err := byID.FindZone(ctx, "home.example.org", ""); providers.KindOf(err) != providers.KindZoneNotFound {
		t.Fatalf("hostedZoneID of a zone that does not hold the name = %v", err)
	}
}

// A set with two values is two records; removing one is one change that
// keeps the other value and the marker.
func TestSetOfTwoValues(t *testing.T) {
	ctx := context.Background()
	f := route53fake.New(t, "example.com")
	p := build(t, f, nil)
	z, _ := p.FindZone(ctx, "example.com", "example.com")
	f.Seed("example.com", providers.Record{Name: "*.example.com", Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "mine"})
	f.Seed("example.com", providers.Record{Name: "*.example.com", Type: "A", Value: "81.2.69.161", TTL: 300})
	got, err := p.ListRecords(ctx, z, "*.example.com", "A")
	if err != nil || len(got) != 2 || got[0].Marker != "mine" || got[0].Name != "*.example.com" {
		t.Fatalf("ListRecords of a wildcard set of two = %+v, %v", got, err)
	}
	before := f.Writes()
	if err := p.DeleteRecord(ctx, z, got[1]); err != nil {
		t.Fatal(err)
	}
	left, err := p.ListRecords(ctx, z, "*.example.com", "A")
	if err != nil || len(left) != 1 || left[0].Value != "81.2.69.160" || left[0].Marker != "mine" || f.Writes()-before != 1 {
		t.Fatalf("after removing a value: %+v, %v, %d writes", left, err, f.Writes()-before)
	}
	if err := p.DeleteRecord(ctx, z, left[0]); err != nil {
		t.Fatal(err)
	}
	if rest := f.Records("example.com", "", ""); len(rest) != 0 {
		t.Fatalf("the last value and its companion should be gone: %+v", rest)
	}
}

// An address change of a record that is its set's only value sends one
// request and reads nothing.
func TestUpdateSendsOneRequest(t *testing.T) {
	ctx := context.Background()
	f := route53fake.New(t, "example.com")
	p := build(t, f, nil)
	z, _ := p.FindZone(ctx, "example.com", "example.com")
	r, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	before := f.Requests()
	r.Value = "81.2.69.161"
	if _, err := p.UpdateRecord(ctx, z, r); err != nil {
		t.Fatal(err)
	}
	if n := f.Requests() - before; n != 1 {
		t.Fatalf("the update took %d requests, want 1", n)
	}
	if got := f.Records("example.com", "home.example.com", "A"); len(got) != 1 || got[0].Value != "81.2.69.161" || got[0].Marker != "mine" {
		t.Fatalf("after the update: %+v", got)
	}
}

func TestFromSecretData(t *testing.T) {
	if c, err := route53.FromSecretData(map[string][]byte{}); c != nil || err != nil {
		t.Fatalf("no keys = %v, %v; want the pod's identity", c, err)
	}
	for name, tc := range map[string]struct {
		data    map[string][]byte
		missing string
	}{
		"only the ID":     {map[string][]byte{route53.KeyAccessKeyID: []byte("AKIA1")}, route53.KeySecretAccessKey},
		"only the secret": {map[string][]byte{route53.KeySecretAccessKey: []byte("s3cr3tv4lue")}, route53.KeyAccessKeyID},
		"only a token":    {map[string][]byte{route53.KeySessionToken: []byte("t0k3nv4lue")}, route53.KeyAccessKeyID},
	} {
		_, err := route53.FromSecretData(tc.data)
		if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.missing) {
			t.Errorf("%s: %v, want a credentials error naming %s", name, err, tc.missing)
		}
	}
	c, err := route53.FromSecretData(secret(" AKIA1\n", "s3cr3t\n"))
	if err != nil || c.AccessKeyID != "AKIA1" || c.SecretAccessKey != "s3cr3t" || strings.Contains(c.String(), "s3cr3t") {
		t.Fatalf("trimmed keys = %+v, %v", c, err)
	}
}

// Reads under faults below the wire format end at once with a transient
// error: a listing that never ends, and 200 answers that are not the API's.
func TestReadFaults(t *testing.T) {
	f := route53fake.New(t, "example.com")
	providertest.CheckReadFaults(t, build(t, f, nil), "example.com", f.SetFault)
}

// The record and its marker go in one request, so a record whose answer
// was lost is found marked and not written again.
func TestLostCreate(t *testing.T) {
	f := route53fake.New(t, "example.com")
	providertest.CheckLostCreate(t, build(t, f, nil), "example.com", f.SetFault)
}
