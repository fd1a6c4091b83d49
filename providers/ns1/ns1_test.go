package ns1_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/ns1"
	"github.com/ddns-operator/ddns-operator/providers/ns1/ns1fake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(key string) map[string][]byte { return map[string][]byte{ns1.APIKeyKey: []byte(key)} }

func env(f *ns1fake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *ns1fake.Fake, key string) providers.Provider {
	t.Helper()
	p, err := ns1.Descriptor.New(env(f), secret(key), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := ns1fake.New(t, zones...)
		t.Cleanup(func() { t.Logf("ns1 fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.View().Fill(&providertest.Fixture{
			Descriptor: ns1.Descriptor,
			Env:        env(f),
			Secret:     secret(ns1fake.Key),
			// A key NS1 does not know: 401.
			BadSecret:  secret("qACMD09OJXBxT7XOffff"),
			RetryAfter: true,
		})
	})
}

// Record-set semantics: changing or deleting one answer of several keeps
// the others, their TTL and their notes; the last answer's removal
// deletes the record.
func TestRecordSet(t *testing.T) {
	ctx := context.Background()
	f := ns1fake.New(t, "example.com")
	p := build(t, f, ns1fake.Key)
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	f.Seed("example.com", providers.Record{Name: "rr.example.com", Type: "A", Value: "81.2.69.160", TTL: 900, Marker: "theirs"})
	f.Seed("example.com", providers.Record{Name: "rr.example.com", Type: "A", Value: "81.2.69.161", TTL: 900})
	got, err := p.ListRecords(ctx, z, "rr.example.com", "A")
	if err != nil || len(got) != 2 || got[0].Marker != "theirs" || got[1].ID != "rr.example.com/A/81.2.69.161" {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}
	mine := got[1]
	mine.Value, mine.Marker = "81.2.69.170", "mine"
	before := f.Writes()
	if _, err := p.UpdateRecord(ctx, z, mine); err != nil {
		t.Fatal(err)
	}
	if f.Writes()-before != 1 {
		t.Fatalf("changing one answer took %d writes", f.Writes()-before)
	}
	vals := map[string]string{}
	for _, r := range f.View().Records("example.com", "rr.example.com", "A") {
		vals[r.Value] = r.Marker
		if r.TTL != 900 {
			t.Fatalf("the TTL changed: %+v", r)
		}
	}
	if len(vals) != 2 || vals["81.2.69.160"] != "theirs" || vals["81.2.69.170"] != "mine" {
		t.Fatalf("after changing one answer the record holds %v", vals)
	}
	if err := p.DeleteRecord(ctx, z, providers.Record{ID: "rr.example.com/A/81.2.69.170"}); err != nil {
		t.Fatal(err)
	}
	if left := f.View().Records("example.com", "rr.example.com", "A"); len(left) != 1 || left[0].ID != "rr.example.com/A" {
		t.Fatalf("after deleting one answer: %+v", left)
	}
	if err := p.DeleteRecord(ctx, z, providers.Record{ID: "rr.example.com/A"}); err != nil {
		t.Fatal(err)
	}
	if left := f.View().Records("example.com", "rr.example.com", "A"); len(left) != 0 {
		t.Fatalf("the record survived its deletion: %+v", left)
	}
}

// The key travels in X-NSONE-Key; a wrong one is 401, an authentication
// error that names the Secret key and never holds the value.
func TestWrongKey(t *testing.T) {
	f := ns1fake.New(t, "example.com")
	const wrong = "qACMD09OJXBxT7XO1234"
	_, err := build(t, f, wrong).FindZone(context.Background(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || strings.Contains(err.Error(), wrong) || !strings.Contains(err.Error(), "apiKey") {
		t.Fatalf("FindZone with a wrong key = %v", err)
	}
	if seen := strings.Join(f.CredentialsSeen(), " "); !strings.Contains(seen, wrong) {
		t.Fatalf("the fake did not see the key in X-NSONE-Key (saw %q)", seen)
	}
}

func TestAnswers(t *testing.T) {
	f := ns1fake.New(t, "example.com")
	p := build(t, f, ns1fake.Key)
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "unauthorized", Status: 401, Body: `{"message":"Unauthorized"}`, Kind: providers.KindAuth, Says: "check the Secret's apiKey"},
		{Name: "no permission", Status: 403, Body: `{"message":"insufficient permissions"}`, Kind: providers.KindAuth, Says: "permission"},
		{Name: "throttled", Status: 429, Body: `{"message":"rate limit exceeded"}`, Kind: providers.KindRateLimited, Says: "rate limit exceeded"},
		{Name: "bad request", Status: 400, Body: `{"message":"invalid: ttl"}`, Kind: providers.KindInvalid, Says: "invalid: ttl"},
		{Name: "server error", Status: 500, Body: `{"message":"internal error"}`, Kind: providers.KindTransient, Says: "internal error"},
		{Name: "not JSON", Status: 200, Body: `<html>`, Kind: providers.KindTransient, Says: "undecodable"},
	}, ns1fake.Key)
}

// A 429 without Retry-After waits for one token of the key's bucket, as
// the X-RateLimit headers describe it.
func TestThrottleWait(t *testing.T) {
	f := ns1fake.New(t, "example.com")
	p := build(t, f, ns1fake.Key)
	f.SetFault(providertest.FaultRateLimited)
	_, err := p.FindZone(context.Background(), "home.example.com", "")
	if wait, ok := providers.RetryAfterOf(err); !ok || wait != 2*time.Second {
		t.Fatalf("FindZone while throttled = %v (wait %s), want a 2s wait", err, wait)
	}
}

func TestEndlessPages(t *testing.T) {
	f := ns1fake.New(t, "example.com")
	p := build(t, f, ns1fake.Key)
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.FindZone(ctx, "home.example.com", "")
		return err
	})
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		value string
		ok    bool
	}{{"qACMD09OJXBxT7XOuRs8", true}, {" qACMD09OJXBxT7XOuRs8\n", true}, {"", false}, {"qACMD09 OJXB", false}} {
		_, err := ns1.Descriptor.New(providers.Env{}, secret(tc.value), nil)
		if (err == nil) != tc.ok || (err != nil && (providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), ns1.APIKeyKey))) {
			t.Errorf("New with %q = %v", tc.value, err)
		}
	}
	if _, err := ns1.Descriptor.New(providers.Env{}, map[string][]byte{}, nil); providers.KindOf(err) != providers.KindCredentials {
		t.Fatalf("New without the key = %v", err)
	}
}

// FuzzNS1Responses feeds the provider arbitrary answers.
func FuzzNS1Responses(f *testing.F) {
	const key = "ns1fuzzkey0123456789"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return ns1.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(key), nil)
	}, []string{key}, []providertest.FuzzSeed{
		{Status: 200, Body: `[{"zone":"example.com","id":"52051b2c9f782d58bb4df41b"}]`},
		{Status: 200, Body: `{"zone":"example.com","domain":"home.example.com","type":"A","ttl":3600,"answers":[{"id":"5f2b","answer":["81.2.69.160"],"meta":{"note":"ddns-operator:x:default/home"}}]}`},
		{Status: 401, Body: `{"message":"Unauthorized"}`},
		{Status: 404, Body: `{"message":"record not found"}`},
		{Status: 404, Body: `{"message":"zone not found"}`},
		{Status: 400, Body: `{"message":"record already exists"}`},
		{Status: 429, Body: `{"message":"rate limit exceeded"}`},
	})
}
