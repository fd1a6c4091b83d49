package dnsla_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/dnsla"
	"github.com/ddns-operator/ddns-operator/providers/dnsla/dnslafake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(id, key string) map[string][]byte {
	return map[string][]byte{dnsla.APIIDKey: []byte(id), dnsla.APISecretKey: []byte(key)}
}

func env(f *dnslafake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := dnslafake.New(t, zones...)
		t.Cleanup(func() { t.Logf("dnsla fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return companionfake.Fill(&f.Fake, &providertest.Fixture{
			Descriptor: dnsla.Descriptor,
			Env:        env(f),
			Secret:     secret(dnslafake.APIID, dnslafake.APISecret),
			// The right APIID with a wrong secret: DNS.LA answers 401.
			BadSecret: secret(dnslafake.APIID, "dnsla-wrong-api-secret-000000000"),
			MinTTL:    dnslafake.MinTTL,
		})
	})
}

// urlRecorder fails every request after noting its URL.
type urlRecorder struct{ urls []string }

func (u *urlRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	u.urls = append(u.urls, r.URL.Scheme+"://"+r.URL.Host)
	return nil, errors.New("not sent")
}

// The API ID and secret go to https://api.dns.la unless the spec opts into
// plain HTTP, which ddns-go uses.
func TestHTTPSUnlessOptedOut(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    *v1alpha1.DNSLAOptions
		want string
	}{
		{"no options", nil, "https://api.dns.la"},
		{"a line only", &v1alpha1.DNSLAOptions{LineID: "3"}, "https://api.dns.la"},
		{"insecurePlainHTTP", &v1alpha1.DNSLAOptions{InsecurePlainHTTP: true}, "http://api.dns.la"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &urlRecorder{}
			p, err := dnsla.Descriptor.New(providers.Env{HTTPClient: &http.Client{Transport: rec}},
				secret(dnslafake.APIID, dnslafake.APISecret), &v1alpha1.DynamicDNSRecordSpec{DNSLA: tc.o})
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.FindZone(context.Background(), "home.example.com", "")
			if providers.KindOf(err) != providers.KindTransient || len(rec.urls) != 1 || rec.urls[0] != tc.want {
				t.Fatalf("FindZone sent to %v (%v), want %s", rec.urls, err, tc.want)
			}
		})
	}
}

// A record of another line is not the record's.
func TestLines(t *testing.T) {
	ctx := context.Background()
	f := dnslafake.New(t, "example.com")
	f.SeedRec("example.com", providertest.Rec[dnslafake.X]{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 600, X: dnslafake.X{LineID: "7"}})
	p, _ := dnsla.Descriptor.New(env(f), secret(dnslafake.APIID, dnslafake.APISecret), nil)
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.ListRecords(ctx, z, "home.example.com", "A"); err != nil || len(got) != 0 {
		t.Fatalf("a record of line 7 was listed for the default line: %+v, %v", got, err)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"no id", map[string][]byte{dnsla.APISecretKey: []byte("x")}, `no key "apiId"`},
		{"no secret", map[string][]byte{dnsla.APIIDKey: []byte("x")}, `no key "apiSecret"`},
		{"empty secret", secret("id", "\n"), `"apiSecret" is malformed: it is empty`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dnsla.Descriptor.New(providers.Env{}, tc.data, nil)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want a credentials error saying %q", err, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	f := dnslafake.New(t, "example.com")
	p, err := dnsla.Descriptor.New(env(f), secret(dnslafake.APIID, dnslafake.APISecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "refused credentials", Status: 401, Body: `{"code":401,"msg":"认证失败"}`, Kind: providers.KindAuth, Says: "认证失败"},
		{Name: "code in the envelope", Status: 200, Body: `{"code":403,"msg":"没有权限"}`, Kind: providers.KindAuth, Says: "没有权限"},
		{Name: "throttled", Status: 429, Body: `{"code":429,"msg":"请求过于频繁"}`, Kind: providers.KindRateLimited, Says: "请求过于频繁"},
		{Name: "refused request", Status: 200, Body: `{"code":400,"msg":"参数错误"}`, Kind: providers.KindInvalid, Says: "参数错误"},
		{Name: "server error", Status: 500, Body: `{"code":500,"msg":"服务器错误"}`, Kind: providers.KindTransient, Says: "服务器错误"},
		{Name: "not JSON", Status: 200, Body: `<html>`, Kind: providers.KindTransient, Says: "undecodable"},
	}, dnslafake.APISecret)
}

// FuzzDNSLAResponses feeds the provider arbitrary answers.
func FuzzDNSLAResponses(f *testing.F) {
	s := secret("1f7b3c9a6e2d4f80", "dnsla-fuzz-api-secret-0123456789ab")
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return dnsla.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, s, nil)
	}, []string{string(s[dnsla.APISecretKey])}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"code":200,"msg":"","data":{"total":1,"results":[{"id":"85369994254488576","domain":"example.com.","displayDomain":"example.com."}]}}`},
		{Status: 200, Body: `{"code":200,"msg":"","data":{"total":2,"results":[{"id":"1","host":"home","type":1,"data":"81.2.69.160","ttl":600,"lineId":"0"},{"id":"2","host":"_ddns-owner-a.home","type":16,"data":"ddns-operator:x:default/home","ttl":600,"lineId":"0"}]}}`},
		{Status: 200, Body: `{"code":200,"msg":"","data":{"id":"85370000000000001"}}`},
		{Status: 200, Body: `{"code":400,"msg":"TTL值不合法","data":null}`},
		{Status: 200, Body: `{"code":200,"msg":"","data":{"minTTL":600}}`},
		{Status: 401, Body: `{"code":401,"msg":"认证失败"}`},
	})
}

// A server that keeps announcing pages while serving the first one again
// is stopped, not followed forever.
func TestEndlessPages(t *testing.T) {
	f := dnslafake.New(t, "example.com")
	p, err := dnsla.Descriptor.New(env(f), secret(dnslafake.APIID, dnslafake.APISecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.FindZone(ctx, "home.example.com", "")
		return err
	})
}
