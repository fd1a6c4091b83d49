package rainyun_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/rainyun"
	"github.com/ddns-operator/ddns-operator/providers/rainyun/rainyunfake"
)

func secret(key string) map[string][]byte { return map[string][]byte{rainyun.APIKeyKey: []byte(key)} }

func env(f *rainyunfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := rainyunfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("rainyun fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return companionfake.Fill(&f.Fake, &providertest.Fixture{
			Descriptor: rainyun.Descriptor,
			Env:        env(f),
			Secret:     secret(rainyunfake.APIKey),
			BadSecret:  secret("rainyun-wrong-api-key-00000000000"),
			MinTTL:     rainyunfake.MinTTL,
			RetryAfter: true,
		})
	})
}

// Records on another line are not the record's: they are neither listed
// nor changed, and a record is created on the spec's line.
func TestLines(t *testing.T) {
	ctx := context.Background()
	f := rainyunfake.New(t, "example.com")
	f.SeedRec("example.com", providertest.Rec[rainyunfake.X]{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 600, X: rainyunfake.X{Line: "LTEL", Level: 10}})
	p, err := rainyun.Descriptor.New(env(f), secret(rainyunfake.APIKey), &v1alpha1.DynamicDNSRecordSpec{Rainyun: &v1alpha1.RainyunOptions{Line: "LMOB"}})
	if err != nil {
		t.Fatal(err)
	}
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.ListRecords(ctx, z, "home.example.com", "A"); err != nil || len(got) != 0 {
		t.Fatalf("a record of another line was listed: %+v, %v", got, err)
	}
	created, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: 600, Marker: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.Get(created.ID)
	if got.X.Line != "LMOB" {
		t.Fatalf("created on line %q, want LMOB", got.X.Line)
	}
	if recs := f.Records("example.com", "home.example.com", "A"); len(recs) != 2 || recs[0].Value != "81.2.69.160" {
		t.Fatalf("the other line's record changed: %+v", recs)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"missing", map[string][]byte{}, `no key "apiKey"`},
		{"empty", secret(" \n"), "empty"},
		{"inner space", secret("abc def"), "whitespace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rainyun.Descriptor.New(providers.Env{}, tc.data, nil)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want a credentials error saying %q", err, tc.want)
			}
		})
	}
	if _, err := rainyun.Descriptor.New(providers.Env{}, secret(" key-with-newline\n"), nil); err != nil {
		t.Fatalf("a key with surrounding whitespace: %v", err)
	}
}

// The fake's answers map to the kinds a user acts on, with Rainyun's own
// words and without the key.
func TestErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		fault  providertest.Fault
		status int
		body   string
		want   providers.Kind
		text   string
	}{
		{name: "refused key", fault: providertest.FaultAuthRejected, want: providers.KindAuth, text: "API密钥无效"},
		{name: "throttled", fault: providertest.FaultRateLimited, want: providers.KindRateLimited},
		{name: "server error", fault: providertest.FaultServerError, want: providers.KindTransient},
		{name: "code in the envelope only", status: 200, body: `{"code":403,"message":"没有权限"}`, want: providers.KindAuth, text: "没有权限"},
		{name: "refused value", status: 200, body: `{"code":400,"message":"记录值无效"}`, want: providers.KindInvalid, text: "记录值无效"},
		{name: "HTML page", status: 200, body: `<html></html>`, want: providers.KindTransient},
		{name: "gateway page", status: 502, body: `<html>bad gateway</html>`, want: providers.KindTransient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := rainyunfake.New(t, "example.com")
			p, _ := rainyun.Descriptor.New(env(f), secret(rainyunfake.APIKey), nil)
			if tc.fault != providertest.FaultNone {
				f.SetFault(tc.fault)
			} else {
				f.FailWith(tc.status, tc.body)
			}
			_, err := p.FindZone(ctx, "home.example.com", "")
			if providers.KindOf(err) != tc.want || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("FindZone = %v (kind %s), want kind %s saying %q", err, providers.KindOf(err), tc.want, tc.text)
			}
			if strings.Contains(err.Error(), rainyunfake.APIKey) {
				t.Fatalf("the error repeats the key: %v", err)
			}
		})
	}
}

// FuzzRainyunResponses feeds the provider arbitrary answers.
func FuzzRainyunResponses(f *testing.F) {
	s := secret("rainyun-fuzz-api-key-0123456789abcdef")
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return rainyun.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, s, nil)
	}, []string{string(s[rainyun.APIKeyKey])}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"code":200,"message":"ok","data":{"TotalRecords":1,"Records":[{"id":78001,"domain":"example.com"}]}}`},
		{Status: 200, Body: `{"code":200,"message":"ok","data":{"TotalRecords":2,"Records":[{"record_id":1,"host":"home","type":"A","value":"81.2.69.160","line":"DEFAULT","ttl":600,"level":10},{"record_id":2,"host":"_ddns-owner-a.home","type":"TXT","value":"ddns-operator:x:default/home","line":"DEFAULT","ttl":600,"level":10}]}}`},
		{Status: 200, Body: `{"code":200,"message":"ok","data":null}`},
		{Status: 401, Body: `{"code":401,"message":"API密钥无效","data":null}`},
		{Status: 400, Body: `{"code":400,"message":"TTL 最小值为 600","data":null}`},
		{Status: 200, Body: `{"code":200,"message":"ok","data":{"TotalRecords":1073741824,"Records":[{"id":1,"domain":"example.com"}]}}`},
	})
}

// A server that keeps announcing pages while serving the first one again
// is stopped, not followed forever.
func TestEndlessPages(t *testing.T) {
	f := rainyunfake.New(t, "example.com")
	p, err := rainyun.Descriptor.New(env(f), secret(rainyunfake.APIKey), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.FindZone(ctx, "home.example.com", "")
		return err
	})
}
