package namecom_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/namecom"
	"github.com/ddns-operator/ddns-operator/providers/namecom/namecomfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(user, token string) map[string][]byte {
	return map[string][]byte{namecom.UsernameKey: []byte(user), namecom.TokenKey: []byte(token)}
}

func env(f *namecomfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *namecomfake.Fake, token string) providers.Provider {
	t.Helper()
	p, err := namecom.Descriptor.New(env(f), secret(namecomfake.Username, token), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := namecomfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("namecom fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return companionfake.Fill(&f.Fake, &providertest.Fixture{
			Descriptor: namecom.Descriptor,
			Env:        env(f),
			Secret:     secret(namecomfake.Username, namecomfake.Token),
			// The right user name with a wrong token: 401 Unauthenticated.
			BadSecret:  secret(namecomfake.Username, "0000fea6e456f7fe9cf4f61a30f025acd63e0000"),
			MinTTL:     namecomfake.MinTTL,
			RetryAfter: true,
		})
	})
}

// The user name and token travel as HTTP Basic auth; a wrong token is
// 401, an authentication error that names the Secret's keys and holds no
// credential.
func TestWrongToken(t *testing.T) {
	f := namecomfake.New(t, "example.com")
	const wrong = "ffffeea6e456f7fe9cf4f61a30f025acd63effff"
	_, err := build(t, f, wrong).FindZone(context.Background(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "Unauthenticated") || !strings.Contains(err.Error(), "apiToken") {
		t.Fatalf("FindZone with a wrong token = %v", err)
	}
	for _, seen := range f.CredentialsSeen() {
		if strings.Contains(err.Error(), seen) {
			t.Fatalf("the error repeats a credential: %v", err)
		}
	}
}

// An address change is one PUT that keeps the record's TTL, and sends
// nothing when the record already holds the address.
func TestUpdate(t *testing.T) {
	ctx := context.Background()
	f := namecomfake.New(t, "example.com")
	p := build(t, f, namecomfake.Token)
	seeded := f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 3600})
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	before := f.Writes()
	for range 2 {
		if _, err := p.UpdateRecord(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := f.Get(seeded.ID)
	if got.Value != "81.2.69.161" || got.TTL != 3600 || f.Writes()-before != 1 {
		t.Fatalf("after two updates to one address: %+v, %d writes", got, f.Writes()-before)
	}
}

func TestAnswers(t *testing.T) {
	f := namecomfake.New(t, "example.com")
	p := build(t, f, namecomfake.Token)
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "unauthenticated", Status: 401, Body: `{"message":"Unauthenticated"}`, Kind: providers.KindAuth, Says: "check the Secret's username and apiToken"},
		{Name: "no API access", Status: 403, Body: `{"message":"Permission Denied","details":"API access is not enabled"}`, Kind: providers.KindAuth, Says: "API access is not enabled"},
		{Name: "throttled", Status: 429, Body: `{"message":"Too Many Requests"}`, Kind: providers.KindRateLimited, Says: "Too Many Requests"},
		{Name: "TTL refused", Status: 400, Body: `{"message":"Invalid Argument","details":"TTL too low"}`, Kind: providers.KindInvalid, Says: "smallest TTL is 300"},
		{Name: "server error", Status: 503, Body: `<html>503</html>`, Kind: providers.KindTransient, Says: "HTTP 503"},
		{Name: "not JSON", Status: 200, Body: `<html>`, Kind: providers.KindTransient, Says: "undecodable"},
	}, namecomfake.Token)
}

func TestEndlessPages(t *testing.T) {
	f := namecomfake.New(t, "example.com")
	p := build(t, f, namecomfake.Token)
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.FindZone(ctx, "home.example.com", "")
		return err
	})
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"no user name", map[string][]byte{namecom.TokenKey: []byte("x")}, `no key "username"`},
		{"no token", map[string][]byte{namecom.UsernameKey: []byte("x")}, `no key "apiToken"`},
		{"token with its scheme", secret("u", "Basic dXNlcjp0b2tlbg=="), `starts with "Basic "`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := namecom.Descriptor.New(providers.Env{}, tc.data, nil)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want a credentials error saying %q", err, tc.want)
			}
		})
	}
}

// FuzzNamecomResponses feeds the provider arbitrary answers.
func FuzzNamecomResponses(f *testing.F) {
	const token = "fuzz6e456f7fe9cf4f61a30f025acd63ecd1c"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return namecom.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret("fuzzuser", token), nil)
	}, []string{token}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"domains":[{"domainName":"example.com"}]}`},
		{Status: 200, Body: `{"records":[{"id":234501,"domainName":"example.com","host":"home","fqdn":"home.example.com.","type":"A","answer":"81.2.69.160","ttl":300}],"nextPage":2,"lastPage":2}`},
		{Status: 200, Body: `{"id":234502,"host":"home","type":"A","answer":"81.2.69.160","ttl":300}`},
		{Status: 401, Body: `{"message":"Unauthenticated"}`},
		{Status: 404, Body: `{"message":"Not Found"}`},
	})
}
