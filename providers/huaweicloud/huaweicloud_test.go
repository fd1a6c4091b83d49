package huaweicloud_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/huaweicloud"
	"github.com/ddns-operator/ddns-operator/providers/huaweicloud/huaweicloudfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(ak, sk string) map[string][]byte {
	return map[string][]byte{huaweicloud.AccessKeyIDKey: []byte(ak), huaweicloud.SecretAccessKeyKey: []byte(sk)}
}

func env(f *huaweicloudfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *huaweicloudfake.Fake, o *v1alpha1.HuaweiCloudOptions) providers.Provider {
	t.Helper()
	p, err := huaweicloud.Descriptor.New(env(f), secret(huaweicloudfake.AK, huaweicloudfake.SK), &v1alpha1.DynamicDNSRecordSpec{HuaweiCloud: o})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := huaweicloudfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("huaweicloud fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.Fill(&providertest.Fixture{
			Descriptor: huaweicloud.Descriptor,
			Env:        env(f),
			Secret:     secret(huaweicloudfake.AK, huaweicloudfake.SK),
			// The right AK with a wrong SK: the fake recomputes the
			// signature and answers APIGW.0301.
			BadSecret: secret(huaweicloudfake.AK, "wrongHuaweiCloudSecretAccessKey0000000"),
			// Public zones take TTLs from 1 second.
			MinTTL: 1,
		})
	})
}

// A record set holding several values is one record whose value is not
// the address; the update leaves it holding the one address, keeping its
// line, weight and description.
func TestRecordSetWithSeveralValues(t *testing.T) {
	ctx := context.Background()
	f := huaweicloudfake.New(t, "example.com")
	w := 5
	seeded := f.SeedRec("example.com", providertest.Rec[huaweicloudfake.X]{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 300,
		Marker: "kept", X: huaweicloudfake.X{Line: "default_view", Extra: []string{"81.2.69.159"}, Weight: &w}})
	p := build(t, f, nil)
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 1 || got[0].Value != "81.2.69.159,81.2.69.160" || got[0].ID != seeded.ID {
		t.Fatalf("ListRecords = %+v, %v; want one record holding both values", got, err)
	}
	upd := got[0]
	upd.Value = "81.2.69.161"
	if _, err := p.UpdateRecord(ctx, z, upd); err != nil {
		t.Fatal(err)
	}
	rec, _ := f.Get(seeded.ID)
	if rec.Value != "81.2.69.161" || len(rec.X.Extra) != 0 || rec.X.Weight == nil || *rec.X.Weight != 5 || rec.Marker != "kept" || rec.X.Line != "default_view" {
		t.Fatalf("after the update %+v", rec)
	}
}

// Only record sets of the spec's line are the record's; new ones go
// there.
func TestLines(t *testing.T) {
	ctx := context.Background()
	f := huaweicloudfake.New(t, "example.com")
	f.SeedRec("example.com", providertest.Rec[huaweicloudfake.X]{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 300, X: huaweicloudfake.X{Line: "default_view"}})
	p := build(t, f, &v1alpha1.HuaweiCloudOptions{Line: "Dianxin"})
	z, _ := p.FindZone(ctx, "home.example.com", "")
	if got, err := p.ListRecords(ctx, z, "home.example.com", "A"); err != nil || len(got) != 0 {
		t.Fatalf("a default_view record set was listed for Dianxin: %+v, %v", got, err)
	}
	created, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: 300})
	if err != nil {
		t.Fatal(err)
	}
	if rec, _ := f.Get(created.ID); rec.X.Line != "Dianxin" {
		t.Fatalf("created on line %q", rec.X.Line)
	}
}

// The region picks the endpoint dns.<region>.myhuaweicloud.com.
func TestRegionEndpoint(t *testing.T) {
	rec := &hostRecorder{}
	p, err := huaweicloud.Descriptor.New(providers.Env{HTTPClient: &http.Client{Transport: rec}}, secret("AK", "SK0123456789"),
		&v1alpha1.DynamicDNSRecordSpec{HuaweiCloud: &v1alpha1.HuaweiCloudOptions{Region: "ap-southeast-1"}})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = p.FindZone(context.Background(), "home.example.com", "")
	if len(rec.hosts) != 1 || rec.hosts[0] != "https://dns.ap-southeast-1.myhuaweicloud.com" {
		t.Fatalf("sent to %v", rec.hosts)
	}
}

type hostRecorder struct{ hosts []string }

func (h *hostRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	h.hosts = append(h.hosts, r.URL.Scheme+"://"+r.URL.Host)
	return nil, http.ErrHandlerTimeout
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"no AK", map[string][]byte{huaweicloud.SecretAccessKeyKey: []byte("x")}, `no key "accessKeyId"`},
		{"no SK", map[string][]byte{huaweicloud.AccessKeyIDKey: []byte("x")}, `no key "secretAccessKey"`},
		{"SK with a line break inside", secret("AK", "ab\ncd"), "whitespace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := huaweicloud.Descriptor.New(providers.Env{}, tc.data, nil)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want a credentials error saying %q", err, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	f := huaweicloudfake.New(t, "example.com")
	p, err := huaweicloud.Descriptor.New(env(f), secret(huaweicloudfake.AK, huaweicloudfake.SK), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "gateway refuses the signature", Status: 401, Body: `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`, Kind: providers.KindAuth, Says: "verify aksk signature fail"},
		{Name: "IAM denies the action", Status: 403, Body: `{"code":"DNS.1802","message":"Policy doesn't allow dns:zone:list to be performed."}`, Kind: providers.KindAuth, Says: "dns:zone:list"},
		{Name: "throttled", Status: 429, Body: `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}`, Kind: providers.KindRateLimited, Says: "throttling"},
		{Name: "nested error", Status: 400, Body: `{"error":{"code":"DNS.0303","message":"Attribute 'ttl' is invalid."}}`, Kind: providers.KindInvalid, Says: "Attribute 'ttl'"},
		{Name: "server error", Status: 500, Body: `{"code":"DNS.0001","message":"Internal server error."}`, Kind: providers.KindTransient, Says: "Internal"},
		{Name: "HTML page", Status: 200, Body: `<html></html>`, Kind: providers.KindTransient, Says: "undecodable"},
	}, huaweicloudfake.SK)
}

// FuzzHuaweiCloudResponses feeds the provider arbitrary answers.
func FuzzHuaweiCloudResponses(f *testing.F) {
	s := secret("HPUAFUZZHUAWEIAK0001", "fuzzHuaweiCloudSecretAccessKey000000001")
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return huaweicloud.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, s, nil)
	}, []string{string(s[huaweicloud.SecretAccessKeyKey])}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"zones":[{"id":"ff80","name":"example.com.","zone_type":"public"}],"metadata":{"total_count":1}}`},
		{Status: 200, Body: `{"recordsets":[{"id":"ff81","name":"home.example.com.","type":"A","ttl":300,"records":["81.2.69.160","81.2.69.161"],"line":"default_view","description":"ddns-operator:x:default/home"}],"metadata":{"total_count":1}}`},
		{Status: 202, Body: `{"id":"ff81","name":"home.example.com.","type":"A","ttl":300,"records":["81.2.69.160"],"status":"PENDING_CREATE"}`},
		{Status: 401, Body: `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`},
		{Status: 404, Body: `{"code":"DNS.0101","message":"The zone does not exist."}`},
		{Status: 429, Body: `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}`},
	})
}

// A server that keeps announcing pages while serving the first one again
// is stopped, not followed forever.
func TestEndlessPages(t *testing.T) {
	f := huaweicloudfake.New(t, "example.com")
	p, err := huaweicloud.Descriptor.New(env(f), secret(huaweicloudfake.AK, huaweicloudfake.SK), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.FindZone(ctx, "home.example.com", "")
		return err
	})
}
