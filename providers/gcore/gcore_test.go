package gcore_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/gcore"
	"github.com/ddns-operator/ddns-operator/providers/gcore/gcorefake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(token string) map[string][]byte {
	return map[string][]byte{gcore.TokenKey: []byte(token)}
}

func env(f *gcorefake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *gcorefake.Fake) providers.Provider {
	t.Helper()
	p, err := gcore.Descriptor.New(env(f), secret(gcorefake.Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := gcorefake.New(t, zones...)
		t.Cleanup(func() { t.Logf("gcore fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.View().Fill(&providertest.Fixture{
			Descriptor: gcore.Descriptor,
			Env:        env(f),
			Secret:     secret(gcorefake.Token),
			// A token Gcore does not know: 401.
			BadSecret:  secret("15087$0000000000000000000000000000"),
			RetryAfter: true,
		})
	})
}

// Record-set semantics: updating or deleting one value of a set of
// several keeps the others, their TTL and their notes; the last value's
// removal deletes the set.
func TestRecordSet(t *testing.T) {
	f := gcorefake.New(t, "example.com")
	p := build(t, f)
	ctx := t.Context()
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	f.Seed("example.com", providers.Record{Name: "rr.example.com", Type: "A", Value: "81.2.69.160", TTL: 900, Marker: "theirs"})
	f.Seed("example.com", providers.Record{Name: "rr.example.com", Type: "A", Value: "81.2.69.161", TTL: 900})
	got, err := p.ListRecords(ctx, z, "rr.example.com", "A")
	if err != nil || len(got) != 2 {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}
	mine := got[1]
	if mine.ID != "rr.example.com/A/81.2.69.161" || got[0].Marker != "theirs" {
		t.Fatalf("listed %+v", got)
	}
	mine.Value, mine.Marker = "81.2.69.170", "mine"
	if _, err := p.UpdateRecord(ctx, z, mine); err != nil {
		t.Fatal(err)
	}
	vals := map[string]string{}
	for _, r := range f.View().Records("example.com", "rr.example.com", "A") {
		vals[r.Value] = r.Marker
		if r.TTL != 900 {
			t.Fatalf("TTL changed: %+v", r)
		}
	}
	if len(vals) != 2 || vals["81.2.69.160"] != "theirs" || vals["81.2.69.170"] != "mine" {
		t.Fatalf("after updating one value the set is %v", vals)
	}
	if err := p.DeleteRecord(ctx, z, providers.Record{ID: "rr.example.com/A/81.2.69.170"}); err != nil {
		t.Fatal(err)
	}
	if left := f.View().Records("example.com", "rr.example.com", "A"); len(left) != 1 || left[0].Value != "81.2.69.160" || left[0].ID != "rr.example.com/A" {
		t.Fatalf("after deleting one value the set is %+v", left)
	}
	if err := p.DeleteRecord(ctx, z, providers.Record{ID: "rr.example.com/A"}); err != nil {
		t.Fatal(err)
	}
	if left := f.View().Records("example.com", "rr.example.com", "A"); len(left) != 0 {
		t.Fatalf("the set survived its deletion: %+v", left)
	}
}

// The token travels as "Authorization: APIKey TOKEN"; a wrong one is 401,
// an authentication error that never holds the token.
func TestWrongToken(t *testing.T) {
	f := gcorefake.New(t, "example.com")
	const wrong = "15087$ffffffffffffffffffffffffffff"
	p, err := gcore.Descriptor.New(env(f), secret(wrong), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || strings.Contains(err.Error(), wrong) {
		t.Fatalf("FindZone with a wrong token = %v", err)
	}
	if seen := strings.Join(f.CredentialsSeen(), " "); !strings.Contains(seen, "APIKey "+wrong) {
		t.Fatalf("the fake did not see the APIKey header (saw %q)", seen)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		value string
		ok    bool
	}{{"1$abc", true}, {" 1$abc\n", true}, {"", false}, {"APIKey 1$abc", false}, {"1$a bc", false}} {
		_, err := gcore.FromSecretData(secret(tc.value))
		if (err == nil) != tc.ok || (err != nil && (providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), gcore.TokenKey))) {
			t.Errorf("FromSecretData(%q) = %v", tc.value, err)
		}
	}
}

// FuzzGcoreResponses feeds the provider arbitrary answers.
func FuzzGcoreResponses(f *testing.F) {
	const tok = "15087$fuzzgcore0123456789"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return gcore.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(tok), nil)
	}, []string{tok}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"zones":[{"id":1,"name":"example.com"}],"total_amount":1}`},
		{Status: 200, Body: `{"name":"home.example.com","type":"A","ttl":300,"resource_records":[{"id":7,"content":["81.2.69.160"],"enabled":true,"meta":{"notes":["ddns-operator:x:default/home"]}}]}`},
		{Status: 200, Body: `{"rrsets":[{"name":"home.example.com","type":"A","ttl":300,"resource_records":[{"content":["81.2.69.160"],"enabled":true}]}],"total_amount":1}`},
		{Status: 401, Body: `{"error":"authentication failed"}`},
		{Status: 404, Body: `{"error":"record is not found"}`},
		{Status: 409, Body: `{"error":"rrset already exists"}`},
		{Status: 429, RetryAfter: "3", Body: `{"error":"too many requests"}`},
	})
}
