package cloudns_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/cloudns"
	"github.com/ddns-operator/ddns-operator/providers/cloudns/cloudnsfake"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(idKey, id, password string) map[string][]byte {
	return map[string][]byte{idKey: []byte(id), cloudns.PasswordKey: []byte(password)}
}

func env(f *cloudnsfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := cloudnsfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("cloudns fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return companionfake.Fill(&f.Fake, &providertest.Fixture{
			Descriptor: cloudns.Descriptor,
			Env:        env(f),
			Secret:     secret(cloudns.AuthIDKey, cloudnsfake.AuthID, cloudnsfake.Password),
			// The right auth-id with a wrong password: ClouDNS's
			// documented "Invalid authentication" refusal.
			BadSecret: secret(cloudns.AuthIDKey, cloudnsfake.AuthID, "cloudns-wrong-password-000000"),
			MinTTL:    60,
			TTLs:      cloudnsfake.TTLs,
		})
	})
}

// A sub-user signs in by ID or by name with its own password; a wrong one
// is refused with ClouDNS's sub-user message, an authentication error
// without the password.
func TestSubUser(t *testing.T) {
	ctx := context.Background()
	f := cloudnsfake.New(t, "example.com")
	for _, tc := range []struct {
		name, key, id, password string
		ok                      bool
	}{
		{"sub-auth-id", cloudns.SubAuthIDKey, cloudnsfake.SubAuthID, cloudnsfake.SubPassword, true},
		{"sub-auth-user", cloudns.SubAuthUserKey, cloudnsfake.SubAuthUser, cloudnsfake.SubPassword, true},
		{"wrong sub-user password", cloudns.SubAuthIDKey, cloudnsfake.SubAuthID, "cloudns-wrong-sub-password", false},
		{"the main user's password for the sub-user", cloudns.SubAuthIDKey, cloudnsfake.SubAuthID, cloudnsfake.Password, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := cloudns.Descriptor.New(env(f), secret(tc.key, tc.id, tc.password), nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.FindZone(ctx, "home.example.com", "")
			if tc.ok {
				if err != nil {
					t.Fatalf("FindZone = %v", err)
				}
				return
			}
			if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "incorrect sub-auth-id, sub-auth-user or auth-password") || strings.Contains(err.Error(), tc.password) {
				t.Fatalf("FindZone with %s = %v", tc.name, err)
			}
		})
	}
}

// A TTL ClouDNS does not take is refused with the TTLs it takes, and
// nothing is written.
func TestTTLNotOnTheList(t *testing.T) {
	ctx := context.Background()
	f := cloudnsfake.New(t, "example.com")
	p, err := cloudns.Descriptor.New(env(f), secret(cloudns.AuthIDKey, cloudnsfake.AuthID, cloudnsfake.Password), nil)
	if err != nil {
		t.Fatal(err)
	}
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	if providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), "300, 900, 1800") || !strings.Contains(err.Error(), "Invalid TTL") {
		t.Fatalf("CreateRecord with TTL 600 = %v", err)
	}
	if recs := f.Records("example.com", "home.example.com", ""); len(recs) != 0 {
		t.Fatalf("a refused create left %+v", recs)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"no ID", map[string][]byte{cloudns.PasswordKey: []byte("x")}, `none of the keys "authId", "subAuthId" and "subAuthUser"`},
		{"two IDs", map[string][]byte{cloudns.AuthIDKey: []byte("1"), cloudns.SubAuthIDKey: []byte("2"), cloudns.PasswordKey: []byte("x")}, "more than one"},
		{"no password", map[string][]byte{cloudns.AuthIDKey: []byte("1")}, `no key "authPassword"`},
		{"empty password", secret(cloudns.AuthIDKey, "1", " \n"), `"authPassword" is malformed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cloudns.FromSecretData(tc.data)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("FromSecretData = %v, want a credentials error saying %q", err, tc.want)
			}
		})
	}
}

func TestAnswers(t *testing.T) {
	f := cloudnsfake.New(t, "example.com")
	p, err := cloudns.Descriptor.New(env(f), secret(cloudns.AuthIDKey, cloudnsfake.AuthID, cloudnsfake.Password), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "refused credentials", Status: 200, Body: `{"status":"Failed","statusDescription":"Invalid authentication, incorrect auth-id or auth-password."}`, Kind: providers.KindAuth, Says: "incorrect auth-id"},
		{Name: "throttled in band", Status: 200, Body: `{"status":"Failed","statusDescription":"Too many requests. The API is limited to 20 requests per second per IP address."}`, Kind: providers.KindRateLimited, Says: "20 requests per second"},
		{Name: "other refusal", Status: 200, Body: `{"status":"Failed","statusDescription":"Your account is suspended."}`, Kind: providers.KindInvalid, Says: "suspended"},
		{Name: "server error", Status: 502, Body: `<html>502</html>`, Kind: providers.KindTransient, Says: "HTTP 502"},
		{Name: "not JSON", Status: 200, Body: `<html>`, Kind: providers.KindTransient, Says: "undecodable"},
		{Name: "password echoed", Status: 200, Body: `{"status":"Failed","statusDescription":"Invalid authentication for ` + cloudnsfake.Password + `"}`, Kind: providers.KindAuth, Says: "[redacted]"},
	}, cloudnsfake.Password)
}

func TestEndlessPages(t *testing.T) {
	f := cloudnsfake.New(t, "example.com")
	p, err := cloudns.Descriptor.New(env(f), secret(cloudns.AuthIDKey, cloudnsfake.AuthID, cloudnsfake.Password), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.FindZone(ctx, "home.example.com", "")
		return err
	})
}

// FuzzClouDNSResponses feeds the provider arbitrary answers.
func FuzzClouDNSResponses(f *testing.F) {
	const password = "cloudns-fuzz-password-0123"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return cloudns.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(cloudns.AuthIDKey, "8123", password), nil)
	}, []string{password}, []providertest.FuzzSeed{
		{Status: 200, Body: `1`},
		{Status: 200, Body: `[{"name":"example.com","type":"master","zone":"domain","status":"1"}]`},
		{Status: 200, Body: `{"5769228":{"id":"5769228","type":"A","host":"home","record":"81.2.69.160","failover":"0","ttl":"3600","status":1}}`},
		{Status: 200, Body: `[]`},
		{Status: 200, Body: `{"status":"Success","statusDescription":"The record was added successfully.","data":{"id":5769229}}`},
		{Status: 200, Body: `{"status":"Failed","statusDescription":"Invalid authentication, incorrect auth-id or auth-password."}`},
	})
}
