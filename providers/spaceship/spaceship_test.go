package spaceship_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/spaceship"
	"github.com/ddns-operator/ddns-operator/providers/spaceship/spaceshipfake"
)

func secret(key, sec string) map[string][]byte {
	return map[string][]byte{spaceship.KeyKey: []byte(key), spaceship.SecretKey: []byte(sec)}
}

func env(f *spaceshipfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := spaceshipfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("spaceship fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.View().Fill(&providertest.Fixture{
			Descriptor: spaceship.Descriptor,
			Env:        env(f),
			Secret:     secret(spaceshipfake.Key, spaceshipfake.Secret),
			// The right key with a wrong secret: 401.
			BadSecret:       secret(spaceshipfake.Key, "sps_wrong0secret"),
			MinTTL:          spaceshipfake.MinTTL,
			RetryAfter:      true,
			WritesPerChange: 2,
			Skip: map[string]string{
				"the ownership marker is stored, listed and kept": "Spaceship's DNS records have no comment field, so the provider keeps no marker (Descriptor.Marker is empty; docs/providers/spaceship.md says how adoption and deletion stay safe)",
			},
		})
	})
}

// A TTL change alone is one save; an address change is a save of the new
// value and a delete of the old (two writes), after which the name holds
// the new value only.
func TestUpdateWrites(t *testing.T) {
	f := spaceshipfake.New(t, "example.com")
	p, err := spaceship.Descriptor.New(env(f), secret(spaceshipfake.Key, spaceshipfake.Secret), nil)
	if err != nil {
		t.Fatal(err)
	}
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	rec := f.View().Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	before := f.Writes()
	rec.TTL = 900
	if _, err := p.UpdateRecord(t.Context(), z, rec); err != nil {
		t.Fatal(err)
	}
	if n := f.Writes() - before; n != 1 {
		t.Fatalf("a TTL change took %d writes, want 1", n)
	}
	rec.Value, before = "81.2.69.161", f.Writes()
	got, err := p.UpdateRecord(t.Context(), z, rec)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.Writes() - before; n != 2 || f.Count("save records") != 2 || f.Count("delete records") != 1 {
		t.Fatalf("an address change took %d writes (%d saves, %d deletes in all), want a save and a delete", n, f.Count("save records"), f.Count("delete records"))
	}
	if got.ID != "home.example.com/A" || got.TTL != 900 {
		t.Fatalf("update returned %+v", got)
	}
	left := f.View().Records("example.com", "home.example.com", "A")
	if len(left) != 1 || left[0].Value != "81.2.69.161" {
		t.Fatalf("after the change the name holds %+v", left)
	}
}

// The key pair travels in X-API-Key and X-API-Secret; a wrong secret is
// 401 and never appears in the error.
func TestWrongSecret(t *testing.T) {
	f := spaceshipfake.New(t, "example.com")
	const wrong = "sps_0123456789WRONG"
	p, err := spaceship.Descriptor.New(env(f), secret(spaceshipfake.Key, wrong), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || strings.Contains(err.Error(), wrong) {
		t.Fatalf("FindZone with a wrong secret = %v", err)
	}
	if seen := strings.Join(f.CredentialsSeen(), " "); !strings.Contains(seen, wrong) {
		t.Fatalf("the fake did not see the secret header (saw %q)", seen)
	}
}

// A TTL outside Spaceship's range is its 422, in its words.
func TestTTLRefusal(t *testing.T) {
	f := spaceshipfake.New(t, "example.com")
	p, _ := spaceship.Descriptor.New(env(f), secret(spaceshipfake.Key, spaceshipfake.Secret), nil)
	_, err := p.CreateRecord(t.Context(), providers.Zone{ID: "example.com", Name: "example.com"}, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 30})
	if providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), "items[0].ttl: must be between 60 and 3600") {
		t.Fatalf("CreateRecord with TTL 30 = %v", err)
	}
}

func TestFromSecretData(t *testing.T) {
	if _, err := spaceship.FromSecretData(secret("k", "s")); err != nil {
		t.Fatal(err)
	}
	for _, data := range []map[string][]byte{{spaceship.KeyKey: []byte("k")}, secret("k", " "), secret("k", "a b")} {
		if _, err := spaceship.FromSecretData(data); providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), spaceship.SecretKey) {
			t.Errorf("FromSecretData(%q) = %v", data, err)
		}
	}
}

// FuzzSpaceshipResponses feeds the provider arbitrary answers.
func FuzzSpaceshipResponses(f *testing.F) {
	const sec = "sps_fuzzsecret0123456789"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return spaceship.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret("spk_fuzz", sec), nil)
	}, []string{sec}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"items":[{"name":"example.com"}],"total":1}`},
		{Status: 200, Body: `{"items":[{"type":"A","name":"home","address":"81.2.69.160","ttl":3600,"group":{"type":"custom"}}],"total":1}`},
		{Status: 204, Body: ``},
		{Status: 401, Body: `{"detail":"Unauthorized"}`},
		{Status: 404, Body: `{"detail":"Domain not found"}`},
		{Status: 422, Body: `{"detail":"^$","data":[{"field":"items[0].ttl","details":"must be between 60 and 3600"}]}`},
		{Status: 429, RetryAfter: "5", Body: `{"detail":"Too many requests"}`},
	})
}

// An answer that is not the API's JSON (empty, a proxy's page, cut short)
// is a passing fault, never an empty list: an empty zone list would stall
// the record as ZoneNotFound.
func TestGarbledAnswersAreTransient(t *testing.T) {
	f := spaceshipfake.New(t, "example.com")
	p, err := spaceship.Descriptor.New(env(f), secret(spaceshipfake.Key, spaceshipfake.Secret), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, fault := range []providertest.Fault{providertest.FaultEmptyOK, providertest.FaultHTMLPage, providertest.FaultTruncatedJSON} {
		f.SetFault(fault)
		if _, err := p.FindZone(t.Context(), "home.example.com", ""); providers.KindOf(err) != providers.KindTransient {
			t.Errorf("%s: FindZone = %v, want a transient error", fault, err)
		}
	}
}
