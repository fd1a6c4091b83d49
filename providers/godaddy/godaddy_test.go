package godaddy_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/godaddy"
	"github.com/ddns-operator/ddns-operator/providers/godaddy/godaddyfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(key, sec string) map[string][]byte {
	return map[string][]byte{godaddy.KeyKey: []byte(key), godaddy.SecretKey: []byte(sec)}
}

func env(f *godaddyfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *godaddyfake.Fake, key, sec string) providers.Provider {
	t.Helper()
	p, err := godaddy.Descriptor.New(env(f), secret(key, sec), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := godaddyfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("godaddy fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.View().Fill(&providertest.Fixture{
			Descriptor: godaddy.Descriptor,
			Env:        env(f),
			Secret:     secret(godaddyfake.Key, godaddyfake.Secret),
			// The right key with a wrong secret: 401 UNABLE_TO_AUTHENTICATE.
			BadSecret:  secret(godaddyfake.Key, "wrongwrongwrongwrong"),
			MinTTL:     godaddy.MinTTL,
			RetryAfter: true,
			Skip: map[string]string{
				"the ownership marker is stored, listed and kept": "GoDaddy's DNS records have no comment or notes field, so the provider keeps no marker (Descriptor.Marker is empty; docs/providers/godaddy.md says how adoption and deletion stay safe)",
			},
		})
	})
}

// An account GoDaddy does not let use the API (fewer than 10 domains,
// since 2024) gets 403 ACCESS_DENIED on every call; the provider says
// exactly that, as an authentication failure (the user must act).
func TestAccountNotEligible(t *testing.T) {
	f := godaddyfake.New(t, "example.com")
	f.Ineligible = true
	_, err := build(t, f, godaddyfake.Key, godaddyfake.Secret).FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth {
		t.Fatalf("FindZone for an ineligible account = %v, want an authentication error", err)
	}
	for _, want := range []string{"ACCESS_DENIED", "Authenticated user is not allowed access", "fewer than 10 domains"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// The sso-key header carries KEY:SECRET; a wrong secret is GoDaddy's 401
// and the error never holds the secret.
func TestWrongSecret(t *testing.T) {
	f := godaddyfake.New(t, "example.com")
	const wrong = "0123456789abcdefWRONG"
	_, err := build(t, f, godaddyfake.Key, wrong).FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "UNABLE_TO_AUTHENTICATE") || strings.Contains(err.Error(), wrong) {
		t.Fatalf("FindZone with a wrong secret = %v", err)
	}
	if seen := strings.Join(f.CredentialsSeen(), " "); !strings.Contains(seen, "sso-key "+godaddyfake.Key+":"+wrong) {
		t.Fatalf("the fake did not see the sso-key header (saw %q)", seen)
	}
}

// A TTL below 600 is GoDaddy's 422 INVALID_BODY, kept in its words.
func TestTTLRefusal(t *testing.T) {
	f := godaddyfake.New(t, "example.com")
	p := build(t, f, godaddyfake.Key, godaddyfake.Secret)
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	_, err := p.CreateRecord(t.Context(), z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300})
	if providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), "records[0].ttl: must be >= 600") || !strings.Contains(err.Error(), "INVALID_BODY") {
		t.Fatalf("CreateRecord with TTL 300 = %v", err)
	}
	if f.Writes() != 1 || len(f.View().Records("example.com", "home.example.com", "A")) != 0 {
		t.Fatal("a refused create left a record")
	}
}

// Record sets: a value's update keeps the set's other values and their
// TTL; removing one value keeps the others.
func TestRecordSet(t *testing.T) {
	f := godaddyfake.New(t, "example.com")
	p := build(t, f, godaddyfake.Key, godaddyfake.Secret)
	ctx := t.Context()
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	v := f.View()
	v.Seed("example.com", providers.Record{Name: "rr.example.com", Type: "A", Value: "81.2.69.160", TTL: 1800})
	mine := v.Seed("example.com", providers.Record{Name: "rr.example.com", Type: "A", Value: "81.2.69.161", TTL: 1800})
	mine.Value = "81.2.69.170"
	if _, err := p.UpdateRecord(ctx, z, mine); err != nil {
		t.Fatal(err)
	}
	got := v.Records("example.com", "rr.example.com", "A")
	if len(got) != 2 || got[0].Value != "81.2.69.160" || got[1].Value != "81.2.69.170" || got[0].TTL != 1800 || got[1].TTL != 1800 {
		t.Fatalf("after one value's update the set is %+v", got)
	}
	if err := p.DeleteRecord(ctx, z, got[1]); err != nil {
		t.Fatal(err)
	}
	if got := v.Records("example.com", "rr.example.com", "A"); len(got) != 1 || got[0].ID != "rr.example.com/A" {
		t.Fatalf("after one value's removal the set is %+v", got)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name     string
		data     map[string][]byte
		wantName string
	}{
		{"pair", secret("k", "s3cr3t"), ""},
		{"trimmed", secret(" k\n", "s3cr3t\n"), ""},
		{"no key", map[string][]byte{godaddy.SecretKey: []byte("s3cr3t")}, godaddy.KeyKey},
		{"no secret", map[string][]byte{godaddy.KeyKey: []byte("k")}, godaddy.SecretKey},
		{"KEY:SECRET in one", secret("k:s3cr3t", "s3cr3t"), godaddy.KeyKey},
		{"space in secret", secret("k", "s3 cr3t"), godaddy.SecretKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := godaddy.FromSecretData(tc.data)
			if tc.wantName == "" {
				if err != nil || c.Key != "k" || c.Secret != "s3cr3t" {
					t.Fatalf("FromSecretData = %v, %v", c, err)
				}
				return
			}
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.wantName) || strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("error %v, want a credentials error naming %s without the secret", err, tc.wantName)
			}
		})
	}
}

// FuzzGoDaddyResponses feeds the provider arbitrary answers.
func FuzzGoDaddyResponses(f *testing.F) {
	const sec = "fuzzgodaddysecret0123"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return godaddy.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret("fuzzkey", sec), nil)
	}, []string{sec}, []providertest.FuzzSeed{
		{Status: 200, Body: `[{"domain":"example.com","domainId":1,"status":"ACTIVE"}]`},
		{Status: 200, Body: `[{"data":"81.2.69.160","name":"home","ttl":600,"type":"A"}]`},
		{Status: 200, Body: `[]`},
		{Status: 401, Body: `{"code":"UNABLE_TO_AUTHENTICATE","message":"Unauthorized : Could not authenticate API key/secret"}`},
		{Status: 403, Body: `{"code":"ACCESS_DENIED","message":"Authenticated user is not allowed access"}`},
		{Status: 404, Body: `{"code":"UNKNOWN_DOMAIN","message":"The given domain is not registered, or does not have a zone file"}`},
		{Status: 422, Body: `{"code":"INVALID_BODY","fields":[{"code":"UNEXPECTED_VALUE","message":"must be >= 600","path":"records[0].ttl"}],"message":"Request body doesn't fulfill schema, see details in ` + "`fields`" + `"}`},
		{Status: 429, Body: `{"code":"TOO_MANY_REQUESTS","message":"Too many requests received within interval","retryAfterSec":30}`},
	})
}

// An answer that is not the API's JSON (empty, a proxy's page, cut short)
// is a passing fault, never an empty list: an empty zone list would stall
// the record as ZoneNotFound.
func TestGarbledAnswersAreTransient(t *testing.T) {
	f := godaddyfake.New(t, "example.com")
	p, err := godaddy.Descriptor.New(env(f), secret(godaddyfake.Key, godaddyfake.Secret), nil)
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
