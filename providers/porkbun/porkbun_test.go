package porkbun_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/porkbun"
	"github.com/ddns-operator/ddns-operator/providers/porkbun/porkbunfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(key, secretKey string) map[string][]byte {
	return map[string][]byte{porkbun.APIKeyKey: []byte(key), porkbun.SecretAPIKeyKey: []byte(secretKey)}
}

func env(f *porkbunfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *porkbunfake.Fake, key, secretKey string) providers.Provider {
	t.Helper()
	p, err := porkbun.Descriptor.New(env(f), secret(key, secretKey), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := porkbunfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("porkbun fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.Fill(&providertest.Fixture{
			Descriptor: porkbun.Descriptor,
			Env:        env(f),
			Secret:     secret(porkbunfake.APIKey, porkbunfake.SecretAPIKey),
			// The right API key with a wrong secret key: Porkbun answers
			// "Invalid API key. (002)".
			BadSecret:  secret(porkbunfake.APIKey, "sk1_"+strings.Repeat("0", 64)),
			MinTTL:     porkbun.MinTTL,
			RetryAfter: false,
		})
	})
}

// A domain whose API access is off is refused by Porkbun; the error says
// so and where to turn it on, and is an authentication failure (the user
// must act).
func TestAPIAccessOff(t *testing.T) {
	f := porkbunfake.New(t, "example.com")
	f.DisableAPIAccess("example.com")
	p := build(t, f, porkbunfake.APIKey, porkbunfake.SecretAPIKey)
	z, err := p.FindZone(t.Context(), "home.example.com", "")
	if err != nil {
		t.Fatalf("FindZone: %v (Domain List All works without API access)", err)
	}
	_, err = p.ListRecords(t.Context(), z, "home.example.com", "A")
	if providers.KindOf(err) != providers.KindAuth {
		t.Fatalf("ListRecords on a domain without API access = %v, want an authentication error", err)
	}
	for _, want := range []string{"not opted in to API access", "Turn on API Access for example.com"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// Every request carries the key pair in its JSON body; a wrong secret is
// refused with Porkbun's message and never repeated in the error.
func TestWrongSecretKey(t *testing.T) {
	f := porkbunfake.New(t, "example.com")
	const wrong = "sk1_ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	p := build(t, f, porkbunfake.APIKey, wrong)
	_, err := p.FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "Invalid API key") {
		t.Fatalf("FindZone with a wrong secret = %v", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Fatalf("error %q holds the secret", err)
	}
	seen := strings.Join(f.CredentialsSeen(), " ")
	if !strings.Contains(seen, wrong) || !strings.Contains(seen, porkbunfake.APIKey) {
		t.Fatalf("the fake did not receive the key pair in the body (saw %q)", seen)
	}
}

// An update that names the TTL and the marker sends one request: no read
// first. One that keeps either reads the record first.
func TestUpdateRequests(t *testing.T) {
	f := porkbunfake.New(t, "example.com")
	p := build(t, f, porkbunfake.APIKey, porkbunfake.SecretAPIKey)
	rec := f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 900, Marker: "mine"})
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	before := f.Requests()
	rec.Value = "81.2.69.161"
	if _, err := p.UpdateRecord(t.Context(), z, rec); err != nil {
		t.Fatal(err)
	}
	if n := f.Requests() - before; n != 1 {
		t.Fatalf("a full update took %d requests, want 1", n)
	}
	rec.Value, rec.TTL, rec.Marker = "81.2.69.162", 0, ""
	got, err := p.UpdateRecord(t.Context(), z, rec)
	if err != nil {
		t.Fatal(err)
	}
	if got.TTL != 900 || got.Marker != "mine" {
		t.Fatalf("an update keeping TTL and marker returned %+v", got)
	}
	stored, _ := f.Get(rec.ID)
	if stored.TTL != 900 || stored.Marker != "mine" || stored.Value != "81.2.69.162" {
		t.Fatalf("stored %+v", stored)
	}
}
