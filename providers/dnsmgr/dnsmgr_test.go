package dnsmgr_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnsmgr"
	"github.com/ddns-operator/ddns-operator/providers/dnsmgr/dnsmgrfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(token string) map[string][]byte { return map[string][]byte{dnsmgr.TokenKey: []byte(token)} }

func spec(url string) *v1alpha1.DynamicDNSRecordSpec {
	return &v1alpha1.DynamicDNSRecordSpec{DNSMgr: &v1alpha1.DNSMgrOptions{URL: url}}
}

func httpClient() *http.Client { return &http.Client{Timeout: 5 * time.Second} }

func build(t *testing.T, f *dnsmgrfake.Fake, token string) providers.Provider {
	t.Helper()
	p, err := dnsmgr.Descriptor.New(providers.Env{HTTPClient: httpClient()}, secret(token), spec(f.URL))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := dnsmgrfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("dnsmgr fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.Fill(&providertest.Fixture{
			Descriptor: dnsmgr.Descriptor,
			// The instance's URL comes from the spec, as a user sets it.
			Env:    providers.Env{HTTPClient: httpClient()},
			Spec:   spec(f.URL + "/api/"),
			Secret: secret(dnsmgrfake.Token),
			// A token the instance does not know: 401 "Invalid or
			// expired token".
			BadSecret:  secret("dnsmgr_ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000"),
			RetryAfter: true,
		})
	})
}

// urlRecorder fails every request after noting where it went.
type urlRecorder struct{ urls []string }

func (u *urlRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	u.urls = append(u.urls, r.URL.Scheme+"://"+r.URL.Host+r.URL.Path)
	return nil, errors.New("not sent")
}

// The API is spec.dnsmgr.url's /api, whether the URL names it or not; an
// Env endpoint (a gateway, a test) wins; without either there is no
// provider.
func TestBaseURL(t *testing.T) {
	for _, tc := range []struct {
		name, url, endpoint, want string
	}{
		{"host only", "https://dnsmgr.example.com", "", "https://dnsmgr.example.com/api/domains"},
		{"with /api/", "http://10.0.0.5:3001/api/", "", "http://10.0.0.5:3001/api/domains"},
		{"under a path", "https://example.com/dnsmgr/", "", "https://example.com/dnsmgr/api/domains"},
		{"a gateway", "https://dnsmgr.example.com", "https://gateway.example.net/d", "https://gateway.example.net/d/api/domains"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &urlRecorder{}
			p, err := dnsmgr.Descriptor.New(providers.Env{Endpoint: tc.endpoint, HTTPClient: &http.Client{Transport: rec}}, secret(dnsmgrfake.Token), spec(tc.url))
			if err != nil {
				t.Fatal(err)
			}
			_, _ = p.FindZone(context.Background(), "home.example.com", "")
			if len(rec.urls) != 1 || rec.urls[0] != tc.want {
				t.Fatalf("sent to %v, want %s", rec.urls, tc.want)
			}
		})
	}
	if _, err := dnsmgr.Descriptor.New(providers.Env{}, secret(dnsmgrfake.Token), &v1alpha1.DynamicDNSRecordSpec{}); err == nil || !strings.Contains(err.Error(), "spec.dnsmgr.url") {
		t.Fatalf("New without a URL = %v", err)
	}
}

// The token travels as a Bearer token; a wrong one is DNSMgr's 401, an
// authentication error without the token.
func TestWrongToken(t *testing.T) {
	f := dnsmgrfake.New(t, "example.com")
	const wrong = "dnsmgr_1234000000000000000000000000000000000000000000000000000000004321"
	_, err := build(t, f, wrong).FindZone(context.Background(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "Invalid or expired token") || strings.Contains(err.Error(), wrong) {
		t.Fatalf("FindZone with a wrong token = %v", err)
	}
	if seen := strings.Join(f.CredentialsSeen(), " "); !strings.Contains(seen, "Bearer "+wrong) {
		t.Fatalf("the fake did not see the Bearer token (saw %q)", seen)
	}
}

// A change keeps the record's line (DNSMgr's PUT replaces the record).
func TestUpdateKeepsLine(t *testing.T) {
	ctx := context.Background()
	f := dnsmgrfake.New(t, "example.com")
	p := build(t, f, dnsmgrfake.Token)
	seeded := f.SeedRec("example.com", providertest.Rec[dnsmgrfake.X]{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 600, X: dnsmgrfake.X{Line: "telecom"}})
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpdateRecord(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161", Marker: "mine"}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.Get(seeded.ID)
	if got.Value != "81.2.69.161" || got.X.Line != "telecom" || got.TTL != 600 || got.Marker != "mine" {
		t.Fatalf("after the update: %+v", got)
	}
}

func TestAnswers(t *testing.T) {
	f := dnsmgrfake.New(t, "example.com")
	p := build(t, f, dnsmgrfake.Token)
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "invalid token", Status: 401, Body: `{"code":-1,"msg":"Invalid or expired token"}`, Kind: providers.KindAuth, Says: "check the Secret's apiToken"},
		{Name: "domain not allowed", Status: 403, Body: `{"code":-1,"msg":"Token does not have permission for this domain"}`, Kind: providers.KindAuth, Says: "allow the token"},
		{Name: "in-band refusal", Status: 200, Body: `{"code":-1,"msg":"Permission denied"}`, Kind: providers.KindAuth, Says: "write access"},
		{Name: "throttled", Status: 429, Body: `Too many requests to this endpoint, please try again later.`, Kind: providers.KindRateLimited, Says: "HTTP 429"},
		{Name: "server error", Status: 500, Body: `{"code":500,"msg":"Database error"}`, Kind: providers.KindTransient, Says: "Database error"},
		{Name: "no code", Status: 200, Body: `{}`, Kind: providers.KindTransient, Says: "no code"},
		{Name: "not JSON", Status: 200, Body: `<html>`, Kind: providers.KindTransient, Says: "undecodable"},
	}, dnsmgrfake.Token)
}

func TestEndlessPages(t *testing.T) {
	ctx := context.Background()
	f := dnsmgrfake.New(t, "example.com")
	p := build(t, f, dnsmgrfake.Token)
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		f.Seed("example.com", providers.Record{Name: n + ".example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	}
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.(providers.ZoneReader).ListZoneRecords(ctx, z, "A")
		return err
	})
}

// FuzzDNSMgrResponses feeds the provider arbitrary answers.
func FuzzDNSMgrResponses(f *testing.F) {
	const token = "dnsmgr_fuzz00000000000000000000000000000000000000000000000000000000ff"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return dnsmgr.Descriptor.New(providers.Env{HTTPClient: hc}, secret(token), spec(endpoint))
	}, []string{token}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"code":0,"data":[{"id":1,"name":"example.com","account_id":1}],"msg":"success"}`},
		{Status: 200, Body: `{"code":0,"data":{"list":[{"id":1,"name":"example.com"}],"total":21,"page":1,"pageSize":20},"msg":"success"}`},
		{Status: 200, Body: `{"code":0,"data":{"total":1,"list":[{"id":"1083001","name":"home","type":"A","value":"81.2.69.160","line":"0","ttl":600,"remark":"ddns-operator:x:default/home"}]},"msg":"success"}`},
		{Status: 200, Body: `{"code":0,"data":{"id":"1083002"},"msg":"success"}`},
		{Status: 200, Body: `{"code":-1,"msg":"Domain not found"}`},
		{Status: 401, Body: `{"code":-1,"msg":"Invalid or expired token"}`},
	})
}
