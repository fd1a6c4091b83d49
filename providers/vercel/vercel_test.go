package vercel_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/vercel"
	"github.com/ddns-operator/ddns-operator/providers/vercel/vercelfake"
)

func secret(token string) map[string][]byte {
	return map[string][]byte{vercel.TokenKey: []byte(token)}
}

func env(f *vercelfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *vercelfake.Fake, token, team string) providers.Provider {
	t.Helper()
	spec := &v1alpha1.DynamicDNSRecordSpec{Provider: "vercel"}
	if team != "" {
		spec.Vercel = &v1alpha1.VercelOptions{TeamID: team}
	}
	p, err := vercel.Descriptor.New(env(f), secret(token), spec)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := vercelfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("vercel fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.Fill(&providertest.Fixture{
			Descriptor: vercel.Descriptor,
			Env:        env(f),
			Secret:     secret(vercelfake.Token),
			// A token Vercel does not know: 403 with invalidToken.
			BadSecret:  secret("vcp_0000000000000000000000000000"),
			MinTTL:     vercel.MinTTL,
			RetryAfter: true,
		})
	})
}

// The same conformance suite for a team's domains: every request carries
// spec.vercel.teamId.
func TestConformanceTeam(t *testing.T) {
	const team = "team_a1B2c3D4e5F6g7H8i9J0k1L2"
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := vercelfake.New(t, zones...)
		f.TeamID = team
		return f.Fill(&providertest.Fixture{
			Descriptor: vercel.Descriptor,
			Env:        env(f),
			Secret:     secret(vercelfake.Token),
			BadSecret:  secret("vcp_0000000000000000000000000000"),
			Spec:       &v1alpha1.DynamicDNSRecordSpec{Provider: "vercel", Vercel: &v1alpha1.VercelOptions{TeamID: team}},
			MinTTL:     vercel.MinTTL,
			RetryAfter: true,
		})
	})
}

// A good token without the team's ID (or with another team's) is refused
// by Vercel without invalidToken; the message points at spec.vercel.teamId.
func TestTeamMismatch(t *testing.T) {
	f := vercelfake.New(t, "example.com")
	f.TeamID = "team_owner"
	for _, team := range []string{"", "team_other"} {
		_, err := build(t, f, vercelfake.Token, team).FindZone(t.Context(), "home.example.com", "")
		if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "spec.vercel.teamId") {
			t.Fatalf("team %q: FindZone = %v, want an authentication error naming spec.vercel.teamId", team, err)
		}
	}
	_, err := build(t, f, "vcp_wrong", "team_owner").FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "invalid or expired") {
		t.Fatalf("a wrong token = %v, want an authentication error saying the token is invalid", err)
	}
}

// An update that names TTL and marker is one PATCH; fields it leaves out
// keep their values.
func TestUpdateKeepsWhatItLeavesOut(t *testing.T) {
	f := vercelfake.New(t, "example.com")
	p := build(t, f, vercelfake.Token, "")
	rec := f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "mine"})
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	before := f.Requests()
	rec.Value, rec.TTL, rec.Marker = "81.2.69.161", 0, ""
	got, err := p.UpdateRecord(t.Context(), z, rec)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.Requests() - before; n != 1 {
		t.Fatalf("update took %d requests, want 1", n)
	}
	if got.TTL != 300 || got.Marker != "mine" || got.Value != "81.2.69.161" || got.Name != "home.example.com" {
		t.Fatalf("update returned %+v", got)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		ok          bool
	}{
		{"token", "vcp_abc", true},
		{"trimmed", "  vcp_abc\n", true},
		{"empty", " ", false},
		{"with Bearer", "Bearer vcp_abc", false},
		{"inner space", "vcp_a bc", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := vercel.FromSecretData(secret(tc.value))
			if tc.ok != (err == nil) || (tc.ok && string(tok) != "vcp_abc") {
				t.Fatalf("FromSecretData(%q) = %v, %v", tc.value, tok, err)
			}
			if err != nil && (providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), vercel.TokenKey)) {
				t.Fatalf("error %v does not name the key", err)
			}
		})
	}
	if _, err := vercel.FromSecretData(map[string][]byte{}); providers.KindOf(err) != providers.KindCredentials {
		t.Fatalf("no key: %v", err)
	}
	if tok, _ := vercel.FromSecretData(secret("vcp_abc")); strings.Contains(tok.String()+tok.GoString(), "vcp_abc") {
		t.Fatal("Token prints its value")
	}
}

// FuzzVercelResponses feeds the provider arbitrary answers.
func FuzzVercelResponses(f *testing.F) {
	const tok = "vcp_fuzzvercel0123456789"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return vercel.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(tok), nil)
	}, []string{tok}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"domains":[{"id":"dom_1","name":"example.com","createdAt":1540095775000}],"pagination":{"count":1,"next":null,"prev":null}}`},
		{Status: 200, Body: `{"records":[{"id":"rec_1","slug":"x","name":"home","type":"A","value":"81.2.69.160","ttl":60,"comment":"m"}],"pagination":{"count":1,"next":1540095775000,"prev":null}}`},
		{Status: 200, Body: `{"uid":"rec_2","updated":1540095775951}`},
		{Status: 403, Body: `{"error":{"code":"forbidden","message":"Not authorized","invalidToken":true}}`},
		{Status: 404, Body: `{"error":{"code":"not_found","message":"Domain not found"}}`},
		{Status: 429, RetryAfter: "", Body: `{"error":{"code":"rate_limited","message":"Rate limit exceeded"}}`},
		{Status: 400, Body: "{\"error\":{\"code\":\"bad_request\",\"message\":\"Invalid request: `ttl` should be >= 60.\"}}"},
	})
}
