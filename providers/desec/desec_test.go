package desec_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/ddns-operator/ddns-operator/internal/access"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/desec"
	"github.com/ddns-operator/ddns-operator/providers/desec/desecfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(token string) map[string][]byte { return map[string][]byte{desec.TokenKey: []byte(token)} }

func env(f *desecfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *desecfake.Fake, token string) providers.Provider {
	t.Helper()
	p, err := desec.Descriptor.New(env(f), secret(token), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := desecfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("desec fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.View().Fill(&providertest.Fixture{
			Descriptor: desec.Descriptor,
			Env:        env(f),
			Secret:     secret(desecfake.Token),
			// A token deSEC does not know: 401 "Invalid token.".
			BadSecret:  secret("4pnk7u-NHvrEkFzrhFDRffffffff"),
			MinTTL:     desecfake.MinTTL,
			RetryAfter: true,
		})
	})
}

// deSEC's 429 carries Retry-After: the provider reports that wait with
// deSEC's words, and the operator's access layer, through which every
// record reaches the provider, sends nothing more for the credential
// until it has passed.
func TestRetryAfterIsHonoured(t *testing.T) {
	ctx := context.Background()
	f := desecfake.New(t, "example.com")
	var pool access.Pool
	acct, err := pool.Account(ctx, access.Key{Provider: "desec", Secret: types.NamespacedName{Namespace: "default", Name: "desec"}}, access.Build{
		Descriptor: desec.Descriptor, Env: env(f),
		ReadSecret: func(context.Context) (map[string][]byte, error) { return secret(desecfake.Token), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	z, err := acct.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	f.SetFault(providertest.FaultRateLimited)
	_, err = acct.RecordsNow(ctx, z, "home.example.com", "A")
	wait, ok := providers.RetryAfterOf(err)
	if providers.KindOf(err) != providers.KindRateLimited || !ok || wait != 2*time.Second || !strings.Contains(err.Error(), "Expected available in 2 seconds") {
		t.Fatalf("a throttled read = %v (wait %s)", err, wait)
	}
	f.SetFault(providertest.FaultNone)
	sent := f.Requests()
	_, err = acct.RecordsNow(ctx, z, "home.example.com", "A")
	if wait, ok := providers.RetryAfterOf(err); !ok || wait <= 0 || wait > 2*time.Second || f.Requests() != sent {
		t.Fatalf("a read during the wait = %v (wait %s), %d requests sent", err, wait, f.Requests()-sent)
	}
	time.Sleep(2 * time.Second)
	if _, err := acct.RecordsNow(ctx, z, "home.example.com", "A"); err != nil || f.Requests() != sent+1 {
		t.Fatalf("after the wait: %v, %d requests", err, f.Requests()-sent)
	}
}

// RRset writes keep to deSEC's per-domain rate of 2 a second: the third
// write within a second waits for the second to pass (pace_test.go counts
// the longer windows with a clock of its own).
func TestWritesPerSecond(t *testing.T) {
	ctx := context.Background()
	f := desecfake.New(t, "example.com")
	p := build(t, f, desecfake.Token)
	z, err := p.FindZone(ctx, "example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for _, name := range []string{"a", "b", "c"} {
		if _, err := p.CreateRecord(ctx, z, providers.Record{Name: name + ".example.com", Type: "A", Value: "81.2.69.160", TTL: 3600}); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took < 900*time.Millisecond {
		t.Fatalf("three writes to one domain took %s, want a pause to keep to 2 a second", took)
	}
}

// A name is looked up with owns_qname: one request finds the longest
// suffix among the account's domains.
func TestFindZoneAsksOnce(t *testing.T) {
	f := desecfake.New(t, "example.com", "dev.example.com")
	z, err := build(t, f, desecfake.Token).FindZone(context.Background(), "a.dev.example.com", "")
	if err != nil || z.Name != "dev.example.com" || f.Requests() != 1 {
		t.Fatalf("FindZone = %+v, %v after %d requests", z, err, f.Requests())
	}
}

func TestWrongToken(t *testing.T) {
	f := desecfake.New(t, "example.com")
	const wrong = "4pnk7u-NHvrEkFzrhFDR12345678"
	_, err := build(t, f, wrong).FindZone(context.Background(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "Invalid token.") || strings.Contains(err.Error(), wrong) {
		t.Fatalf("FindZone with a wrong token = %v", err)
	}
	if seen := strings.Join(f.CredentialsSeen(), " "); !strings.Contains(seen, "Token "+wrong) {
		t.Fatalf("the fake did not see the Token header (saw %q)", seen)
	}
}

func TestAnswers(t *testing.T) {
	f := desecfake.New(t, "example.com")
	p := build(t, f, desecfake.Token)
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "invalid token", Status: 401, Body: `{"detail":"Invalid token."}`, Kind: providers.KindAuth, Says: "check the Secret's apiToken"},
		{Name: "token policy", Status: 403, Body: `{"detail":"Insufficient token permissions."}`, Kind: providers.KindAuth, Says: "token's policies"},
		{Name: "field errors", Status: 400, Body: `{"ttl":["Ensure this value is greater than or equal to 3600."]}`, Kind: providers.KindInvalid, Says: "ttl: Ensure this value is greater than or equal to 3600."},
		{Name: "throttled", Status: 429, Body: `{"detail":"Request was throttled. Expected available in 9 seconds."}`, Kind: providers.KindRateLimited, Says: "Expected available in 9 seconds"},
		{Name: "server error", Status: 500, Body: `<html>500</html>`, Kind: providers.KindTransient, Says: "HTTP 500"},
		{Name: "not JSON", Status: 200, Body: `<html>`, Kind: providers.KindTransient, Says: "undecodable"},
	}, desecfake.Token)
}

func TestEndlessPages(t *testing.T) {
	f := desecfake.New(t, "example.com")
	p := build(t, f, desecfake.Token)
	z, err := p.FindZone(context.Background(), "example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		f.Seed("example.com", providers.Record{Name: "n" + string(rune('a'+i)) + ".example.com", Type: "A", Value: "81.2.69.160", TTL: 3600})
	}
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.(providers.ZoneReader).ListZoneRecords(ctx, z, "A")
		return err
	})
}

// FuzzDeSECResponses feeds the provider arbitrary answers.
func FuzzDeSECResponses(f *testing.F) {
	const token = "fuzz7u-NHvrEkFzrhFDRTjGFyX_S"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return desec.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(token), nil)
	}, []string{token}, []providertest.FuzzSeed{
		{Status: 200, Body: `[{"name":"example.com","minimum_ttl":3600}]`},
		{Status: 200, Body: `{"domain":"example.com","subname":"home","name":"home.example.com.","type":"A","records":["81.2.69.160"],"ttl":3600}`},
		{Status: 200, Body: `[{"domain":"example.com","subname":"_ddns-owner-a.home","name":"_ddns-owner-a.home.example.com.","type":"TXT","records":["\"ddns-operator:x:default/home\""],"ttl":3600}]`},
		{Status: 400, Body: `{"ttl":["Ensure this value is greater than or equal to 3600."]}`},
		{Status: 401, Body: `{"detail":"Invalid token."}`},
		{Status: 429, RetryAfter: "1", Body: `{"detail":"Request was throttled. Expected available in 1 second."}`},
	})
}
